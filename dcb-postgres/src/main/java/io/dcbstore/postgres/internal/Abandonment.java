package io.dcbstore.postgres.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gives up the connection of a call that gets no answer: a call that a connection pooler keeps
 * waiting for a server connection (all of them busy) never sees the server's
 * {@code statement_timeout}, and PgBouncer 1.18 ignores a cancel request for a client that has no
 * server, so without this the call would wait for the pooler's own limit (two minutes by default)
 * and then run, long after its deadline. The pooler drops the queued query of a client that
 * disconnects. The call then fails with a retryable {@code DatabaseException} whose outcome is
 * unknown ({@link DatabaseCall#map}): a reply lost after the commit looks the same.
 */
final class Abandonment {
    private Abandonment() {}

    /** How long after the driver's cancel a call that still has no answer gives up its connection. */
    static final long AFTER_CANCEL_MILLIS = 1_000;

    /** One daemon thread, started on first use, ended when idle, with no class loader of the caller's. */
    private static final class Scheduler {
        static final ScheduledThreadPoolExecutor EXECUTOR = executor();

        private static ScheduledThreadPoolExecutor executor() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(null, task, "dcb-abandon-cancelled", 0, false);
                thread.setDaemon(true);
                thread.setContextClassLoader(null);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            executor.setKeepAliveTime(1, TimeUnit.SECONDS);
            executor.allowCoreThreadTimeOut(true);
            return executor;
        }
    }

    /**
     * Sets the connection's network timeout to the call's bound and {@link #AFTER_CANCEL_MILLIS} more.
     *
     * @param connection the call's connection
     * @param boundMillis until the driver's own cancel (the deadline and its backstop)
     * @return the network timeout before, to reset after the call
     * @throws SQLException from the driver
     */
    static int armNetworkTimeout(Connection connection, long boundMillis) throws SQLException {
        int before = connection.getNetworkTimeout();
        long bound = Math.max(1, boundMillis) + AFTER_CANCEL_MILLIS;
        connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, bound));
        return before;
    }

    static void resetNetworkTimeout(Connection connection, int before) {
        try {
            if (!connection.isClosed()) {
                connection.setNetworkTimeout(Runnable::run, before);
            }
        } catch (SQLException ignored) {
            // The connection broke: the pool discards it.
        }
    }

    /**
     * After a cancel: aborts the connection {@link #AFTER_CANCEL_MILLIS} later if the call has not ended.
     *
     * @param connection the call's connection
     * @param running set to false when the call ends
     */
    static void abandonIfStillRunning(Connection connection, AtomicBoolean running) {
        Scheduler.EXECUTOR.schedule(
                () -> {
                    if (running.get()) {
                        try {
                            connection.abort(Runnable::run);
                        } catch (SQLException ignored) {
                            // Already closed.
                        }
                    }
                },
                AFTER_CANCEL_MILLIS,
                TimeUnit.MILLISECONDS);
    }
}
