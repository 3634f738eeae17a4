package io.dcbstore.postgres.internal;

import io.dcbstore.postgres.RoutingStatistics;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Where reads went and why some fell back to the primary; cheap to update from many threads. */
final class RoutingCounters {
    private final LongAdder primaryReads = new LongAdder();
    private final LongAdder replicaReads = new LongAdder();
    private final Map<ReadFallback, LongAdder> fallbacks = new EnumMap<>(ReadFallback.class);

    RoutingCounters() {
        for (ReadFallback reason : ReadFallback.values()) {
            fallbacks.put(reason, new LongAdder());
        }
    }

    void primaryRead() {
        primaryReads.increment();
    }

    void replicaRead() {
        replicaReads.increment();
    }

    void fallback(ReadFallback reason) {
        fallbacks.get(reason).increment();
    }

    RoutingStatistics snapshot() {
        return new RoutingStatistics(
                primaryReads.sum(),
                replicaReads.sum(),
                fallbacks.get(ReadFallback.NO_HEALTHY_REPLICA).sum(),
                fallbacks.get(ReadFallback.REPLICA_FAILED).sum(),
                fallbacks.get(ReadFallback.TOKEN_NOT_REPLAYED).sum());
    }
}
