package io.dcbstore.simulator.metrics;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.util.Locale;

/**
 * Records the JVM's garbage collection pauses in an {@link ActivityLog} as the collectors report
 * them (JMX notifications, after each collection), until closed. Collectors that run beside the
 * application ({@code ZGC Cycles}, {@code Shenandoah Cycles}, {@code G1 Concurrent GC}) do not
 * pause it and are left out; their pauses come from their own beans.
 */
public final class GcPauses implements AutoCloseable {
    private final ActivityLog log;
    private final RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
    private final GcNotifications notifications;

    /** @param log where each pause goes, from now until {@link #close} */
    public GcPauses(ActivityLog log) {
        this.log = log;
        this.notifications = new GcNotifications(this::handle);
    }

    private void handle(GarbageCollectionNotificationInfo info) {
        String collector = info.getGcName();
        if (collector.contains("Cycles") || collector.contains("Concurrent")) {
            return;
        }
        GcInfo gc = info.getGcInfo();
        // The collection's times are milliseconds since the JVM started: place them on the nanoTime scale.
        long nowNanos = System.nanoTime();
        long uptimeMillis = runtime.getUptime();
        long startNanos = nowNanos - (uptimeMillis - gc.getStartTime()) * 1_000_000L;
        long endNanos = startNanos + Math.max(0, gc.getDuration()) * 1_000_000L;
        log.record(new Activity(
                "gc_pause",
                "jvm",
                String.format(Locale.ROOT, "%s (%s)", collector, info.getGcCause()),
                startNanos,
                endNanos));
    }

    /** Stops recording. */
    @Override
    public void close() {
        notifications.close();
    }
}
