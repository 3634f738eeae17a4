package io.dcbstore.postgres.internal;

/** Why a read that could have gone to a replica went to the primary. */
public enum ReadFallback {
    /** No replica was healthy. */
    NO_HEALTHY_REPLICA("no_healthy_replica"),
    /** The replica failed the read. */
    REPLICA_FAILED("replica_failed"),
    /** No replica had replayed the read's commit token in time. */
    TOKEN_NOT_REPLAYED("token_not_replayed");

    private final String tag;

    ReadFallback(String tag) {
        this.tag = tag;
    }

    /** @return the reason as a metric tag */
    public String tag() {
        return tag;
    }
}
