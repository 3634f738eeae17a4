package io.dcbstore.simulator.growth;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import io.dcbstore.simulator.metrics.GcNotifications;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The heap the JVM held after its collections, from now until closed (JMX notifications after each
 * collection): the peak after full collections (major ones, or whole cycles of ZGC and Shenandoah),
 * which is the live data at that moment (the primed projections, the snapshot being written), and
 * the peak after any collection, which also counts old garbage not yet collected.
 */
public final class HeapAfterGc implements AutoCloseable {
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());
    private final GcNotifications notifications;
    private final AtomicLong peakAfterMajor = new AtomicLong();
    private final AtomicLong peakAfterAny = new AtomicLong();
    private final AtomicLong majors = new AtomicLong();

    /** Starts listening. */
    public HeapAfterGc() {
        this.notifications = new GcNotifications(this::handle);
    }

    private void handle(GarbageCollectionNotificationInfo info) {
        long used = usedAfter(info.getGcInfo());
        peakAfterAny.accumulateAndGet(used, Math::max);
        if (isFull(info)) {
            majors.incrementAndGet();
            peakAfterMajor.accumulateAndGet(used, Math::max);
        }
    }

    /**
     * A full collection: "end of major GC" (Serial, Parallel, G1's full collections), or a whole
     * concurrent cycle of a collector that has no generations or is in its major cycle ("end of GC
     * cycle" of ZGC and Shenandoah; generational ZGC's "ZGC Major Cycles", not its minor ones).
     */
    static boolean isFull(GarbageCollectionNotificationInfo info) {
        String action = info.getGcAction();
        return action.contains("major")
                || (action.contains("cycle") && !info.getGcName().contains("Minor"));
    }

    private long usedAfter(GcInfo gc) {
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : gc.getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        return used;
    }

    /** @return the most heap in use after a full collection, in bytes (0 when none ran) */
    public long peakAfterMajorBytes() {
        return peakAfterMajor.get();
    }

    /** @return the most heap in use after any collection, in bytes */
    public long peakAfterAnyBytes() {
        return peakAfterAny.get();
    }

    /** @return the full collections seen */
    public long majorCollections() {
        return majors.get();
    }

    /** Stops listening. */
    @Override
    public void close() {
        notifications.close();
    }
}
