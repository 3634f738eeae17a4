package io.dcbstore.simulator.metrics;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The JVM's report after each garbage collection (a JMX notification from every collector), handed
 * to a consumer on the JMX notification thread until closed.
 */
public final class GcNotifications implements AutoCloseable {
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener;

    /** @param consumer receives each collection's report, from now until {@link #close} */
    public GcNotifications(Consumer<GarbageCollectionNotificationInfo> consumer) {
        this.listener = (Notification notification, Object handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                consumer.accept(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
            }
        };
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
    }

    /** Stops the reports. */
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
