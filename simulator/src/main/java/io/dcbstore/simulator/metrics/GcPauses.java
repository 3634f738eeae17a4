package io.dcbstore.simulator.metrics;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Records the JVM's garbage collection pauses in an {@link ActivityLog} as the collectors report
 * them (JMX notifications, after each collection), until closed. Collectors that run beside the
 * application ({@code ZGC Cycles}, {@code Shenandoah Cycles}, {@code G1 Concurrent GC}) do not
 * pause it and are left out; their pauses come from their own beans.
 */
public final class GcPauses implements AutoCloseable {
    private final ActivityLog log;
    private final RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::handle;

    /** @param log where each pause goes, from now until {@link #close} */
    public GcPauses(ActivityLog log) {
        this.log = log;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
    }

    private void handle(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
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
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // Already removed.
            }
        }
        emitters.clear();
    }
}
