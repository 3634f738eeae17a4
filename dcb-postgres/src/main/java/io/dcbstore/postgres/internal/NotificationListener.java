package io.dcbstore.postgres.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on the store's channel on the primary, on one connection of the pool held for it, and
 * wakes the subscriptions when another process's appends are notified. When the connection
 * fails it reconnects with backoff; the subscriptions poll meanwhile.
 */
final class NotificationListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);
    private static final int WAIT_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final long CHECK_NANOS = 30_000_000_000L;

    private final DataSource primary;
    private final String channel;
    private final Runnable onNotification;
    private final Thread listener;
    private volatile boolean closed;

    /**
     * @param primary the primary's pool
     * @param channel the channel: a validated identifier
     * @param onNotification what to do on each batch of notifications
     */
    NotificationListener(DataSource primary, String channel, Runnable onNotification) {
        this.primary = primary;
        this.channel = channel;
        this.onNotification = onNotification;
        this.listener = new Thread(this::listen, "dcb-listen-" + channel);
        listener.setDaemon(true);
        listener.start();
    }

    private void listen() {
        long backoff = 0;
        while (!closed) {
            try (Connection held = primary.getConnection()) {
                try (Statement statement = held.createStatement()) {
                    statement.execute("LISTEN " + channel);
                }
                if (closed) {
                    // Closed while connecting.
                    unlisten(held);
                    return;
                }
                PGConnection notifications = held.unwrap(PGConnection.class);
                backoff = 0;
                // Events appended while not listening: the subscriptions read once now.
                onNotification.run();
                long checked = System.nanoTime();
                while (!closed) {
                    PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
                    if (received != null && received.length > 0) {
                        onNotification.run();
                    }
                    if (System.nanoTime() - checked > CHECK_NANOS) {
                        // A connection cut without a reset never fails the wait: ask the server.
                        try (Statement statement = held.createStatement()) {
                            statement.setQueryTimeout(5);
                            statement.execute("SELECT 1");
                        }
                        checked = System.nanoTime();
                    }
                }
                unlisten(held);
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                backoff = backoff == 0 ? 100 : Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                LOG.debug("listening for appends failed; again in {} ms", backoff, e);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** The connection goes back to a pool: it must not keep listening (and collecting notifications). */
    private void unlisten(Connection held) {
        try (Statement statement = held.createStatement()) {
            statement.execute("UNLISTEN *");
        } catch (SQLException | RuntimeException e) {
            try {
                held.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // Gone either way.
            }
        }
    }

    @Override
    public void close() {
        // The listener sees the flag within one wait of getNotifications and gives its connection
        // back after UNLISTEN; aborting the connection instead would make the pool log it as broken.
        closed = true;
        try {
            listener.join(WAIT_MILLIS * 5L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
