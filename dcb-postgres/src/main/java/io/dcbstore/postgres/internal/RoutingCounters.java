package io.dcbstore.postgres.internal;

import io.dcbstore.postgres.RoutingStatistics;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Where reads went and why some fell back to the primary; cheap to update from many threads. */
final class RoutingCounters {
    /** Why a read that could have gone to a replica went to the primary. */
    enum Fallback {
        /** No replica was healthy. */
        NO_HEALTHY_REPLICA,
        /** The replica failed the read. */
        REPLICA_FAILED,
        /** No replica had replayed the read's commit token in time. */
        TOKEN_NOT_REPLAYED
    }

    private final LongAdder primaryReads = new LongAdder();
    private final LongAdder replicaReads = new LongAdder();
    private final Map<Fallback, LongAdder> fallbacks = new EnumMap<>(Fallback.class);

    RoutingCounters() {
        for (Fallback reason : Fallback.values()) {
            fallbacks.put(reason, new LongAdder());
        }
    }

    void primaryRead() {
        primaryReads.increment();
    }

    void replicaRead() {
        replicaReads.increment();
    }

    void fallback(Fallback reason) {
        fallbacks.get(reason).increment();
    }

    RoutingStatistics snapshot() {
        return new RoutingStatistics(
                primaryReads.sum(),
                replicaReads.sum(),
                fallbacks.get(Fallback.NO_HEALTHY_REPLICA).sum(),
                fallbacks.get(Fallback.REPLICA_FAILED).sum(),
                fallbacks.get(Fallback.TOKEN_NOT_REPLAYED).sum());
    }
}
