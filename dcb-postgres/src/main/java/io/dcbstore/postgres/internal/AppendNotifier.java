package io.dcbstore.postgres.internal;

import io.dcbstore.EventStoreException;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells other processes' subscriptions that events were appended: after an append of this store
 * commits, a thread of its own sends {@code NOTIFY} on the store's channel, in a transaction of its
 * own (so appends never take the notification queue's global lock at their commit), at most once
 * per interval; appends in between share one notification. That transaction commits without
 * waiting for its WAL flush ({@code synchronous_commit} off for it alone).
 */
final class AppendNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppendNotifier.class);

    /** How long one notification may take. */
    private static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(5);

    /** A notification's timeout plus a margin: a sender in the middle of one ends within it. */
    private static final long JOIN_MILLIS = NOTIFY_TIMEOUT.toMillis() + 1_000;

    private final DataSource primary;
    private final String channel;
    private final long intervalNanos;
    private final Thread sender;
    private volatile boolean pending;
    private volatile boolean closed;
    private long failures;

    AppendNotifier(DataSource primary, String channel, Duration interval) {
        this.primary = primary;
        this.channel = channel;
        this.intervalNanos = interval.toNanos();
        this.sender = new Thread(this::send, "dcb-notify-" + channel);
        sender.setDaemon(true);
        sender.start();
    }

    /** An append committed: a notification follows within the interval. */
    void appended() {
        if (!pending) {
            pending = true;
            LockSupport.unpark(sender);
        }
    }

    private void send() {
        while (!closed) {
            if (!pending) {
                LockSupport.park(this);
                continue;
            }
            pending = false;
            notifyOnce();
            // Appends unpark this thread: the interval is kept by the clock, not by one park.
            long next = System.nanoTime() + intervalNanos;
            for (long left = intervalNanos; left > 0 && !closed; left = next - System.nanoTime()) {
                LockSupport.parkNanos(this, left);
            }
        }
    }

    private void notifyOnce() {
        try {
            DatabaseCall.run(primary, "notify", NOTIFY_TIMEOUT, null, (operation, connection) -> {
                // A notification takes a transaction id, so its commit is a WAL flush; it need not
                // be durable, so it does not wait for one (the append it announces already did).
                try (PreparedStatement statement = operation.prepare(
                        connection, "SELECT set_config('synchronous_commit', 'off', true), pg_notify(?, '')")) {
                    statement.setString(1, channel);
                    statement.execute();
                }
                return null;
            });
        } catch (EventStoreException | IllegalStateException e) {
            // Subscriptions of other processes still poll; say so now and then, not per append.
            if (failures++ % 1000 == 0) {
                LOG.warn("could not notify subscriptions of appends (they poll meanwhile): {}", e.getMessage());
            }
        }
    }

    /**
     * Stops the sender and waits for it to end (at most a notification's own timeout), so that
     * the store's close returns with no thread of its own left, and the pool it notifies through
     * can be closed next.
     */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(sender);
        try {
            sender.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
