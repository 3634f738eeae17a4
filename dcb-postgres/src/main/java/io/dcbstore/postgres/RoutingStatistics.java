package io.dcbstore.postgres;

/**
 * Counters of where reads went since the store started.
 *
 * @param primaryReads reads served by the primary (STRONG reads and fallbacks)
 * @param replicaReads EVENTUAL reads served by a replica
 * @param fallbacksNoHealthyReplica EVENTUAL reads sent to the primary because no replica was healthy
 * @param fallbacksReplicaFailed EVENTUAL reads retried on the primary after a replica failed them
 * @param fallbacksTokenNotReplayed reads with a commit token no replica had replayed in time
 */
public record RoutingStatistics(
        long primaryReads,
        long replicaReads,
        long fallbacksNoHealthyReplica,
        long fallbacksReplicaFailed,
        long fallbacksTokenNotReplayed) {
    /** @return all fallbacks together */
    public long fallbacks() {
        return fallbacksNoHealthyReplica + fallbacksReplicaFailed + fallbacksTokenNotReplayed;
    }
}
