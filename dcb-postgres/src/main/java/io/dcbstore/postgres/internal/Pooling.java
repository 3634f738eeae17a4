package io.dcbstore.postgres.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.ConfigurationException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * What stands between the store and a server, found at start: nothing, a pooler that keeps one
 * server connection per client connection (PgBouncer's session mode), or one that hands server
 * connections to other clients between transactions (PgBouncer's transaction mode, and the proxies
 * that behave like it).
 *
 * <h2>How it is found</h2>
 * <ol>
 *   <li>On one connection, the backend process id the driver was given at login (BackendKeyData)
 *       against {@code pg_backend_pid()}. A direct connection, or a plain TCP proxy, passes the
 *       server's own key through, so they are equal; a pooler gives each client a key of its own
 *       (PgBouncer draws it at random), so they differ. No extra round trip beyond the query.</li>
 *   <li>Only when they differ: two client connections A and B. A asks for its backend; B opens a
 *       transaction and asks for its own; A asks again. Behind a session pooler A keeps its
 *       backend and B has another. Behind a transaction pooler, A's backend went back to the pool
 *       after its first query, so B may get it (the same backend for two clients), A may get
 *       another one, or A may wait (B holds the pool's only server): each of these is impossible
 *       directly or in session mode. After B's transaction, A runs a few more queries: a pooler
 *       that hands its servers out in turn shows it there. Up to three trials; when none shows it,
 *       session.</li>
 * </ol>
 * A pooler in statement mode refuses B's transaction: refused here, because streams and schema
 * changes need transactions of several statements.
 */
enum Pooling {
    /** A direct connection (or a proxy that passes the server's backend key through). */
    DIRECT,
    /** A pooler that keeps one server connection for each client connection. */
    SESSION,
    /** A pooler that hands server connections to other clients between transactions. */
    TRANSACTION;

    /** How long A's second query may wait for a server before the wait itself is the verdict. */
    private static final long PINNED_WAIT_MILLIS = 500;

    private static final int TRIALS = 3;

    /** How long one trial may take: two client connections and a few queries. */
    private static final long TRIAL_MILLIS = 5_000;

    /**
     * The first step: free, on a connection the caller opened anyway.
     *
     * @param connection an open connection of the node
     * @return whether something between the driver and the server gave the driver its own backend key
     * @throws SQLException when the query fails
     */
    static boolean proxied(Connection connection) throws SQLException {
        return backendPid(connection) != connection.unwrap(PGConnection.class).getBackendPID();
    }

    /**
     * The second step, for a node found {@link #proxied}; call it with no connection of the data
     * source held, since it takes two.
     *
     * @param dataSource the node's data source
     * @param node the node's name, for messages
     * @return {@link #SESSION} or {@link #TRANSACTION}
     * @throws SQLException when a query fails
     * @throws ConfigurationException behind a pooler in statement mode, or one in session mode
     *     that cannot give two client connections a server connection each
     */
    static Pooling probe(DataSource dataSource, String node) throws SQLException {
        requireTransactions(dataSource, node);
        if (maximumPoolSize(dataSource) < 2) {
            return TRANSACTION; // two connections cannot be had to tell: assume the stricter mode
        }
        ExecutorService threads = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "dcb-pooling-probe");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int trial = 0; trial < TRIALS; trial++) {
                if (trial(dataSource, threads, node)) {
                    return TRANSACTION;
                }
            }
            return SESSION;
        } finally {
            threads.shutdownNow();
        }
    }

    /** Refuses a pooler in statement mode: one connection, one transaction of two statements. */
    private static void requireTransactions(DataSource dataSource, String node) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try {
                connection.setAutoCommit(false);
                backendPid(connection);
                backendPid(connection);
                rollback(connection);
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                throw new ConfigurationException("the " + node + " is reached through a pooler that refuses a"
                        + " transaction of two statements (" + e.getMessage() + "): a pooler in statement mode"
                        + " cannot run the store's streams and schema changes. Use transaction or session mode.");
            }
        }
    }

    /** @return the pool's maximum size when the data source is (or wraps) a HikariCP pool, else a large number */
    private static int maximumPoolSize(DataSource dataSource) throws SQLException {
        if (dataSource instanceof HikariDataSource pool) {
            return pool.getMaximumPoolSize();
        }
        return dataSource.isWrapperFor(HikariDataSource.class)
                ? dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize()
                : Integer.MAX_VALUE;
    }

    /**
     * One trial, bounded in time: a pooler in session mode with fewer server connections than
     * clients gives B none while A holds one, and would keep B waiting until its own
     * query_wait_timeout (two minutes by default).
     *
     * @return whether the trial showed servers handed from one client to another
     */
    private static boolean trial(DataSource dataSource, ExecutorService threads, String node) throws SQLException {
        List<Connection> opened = new CopyOnWriteArrayList<>();
        Future<Boolean> trial = threads.submit(() -> sharesServers(dataSource, threads, opened));
        Boolean shared = await(trial, TRIAL_MILLIS);
        if (shared != null) {
            return shared;
        }
        for (Connection connection : opened) {
            try {
                connection.abort(Runnable::run); // a waiting client's query is dropped with it
            } catch (SQLException ignored) {
                // Broken either way; the pool discards it.
            }
        }
        trial.cancel(true);
        throw new ConfigurationException("the " + node + " is reached through a connection pooler that gave a"
                + " second client connection no server connection within " + TRIAL_MILLIS + " ms while the first"
                + " held one: a pooler in session mode needs at least as many server connections"
                + " (PgBouncer: default_pool_size, max_db_connections) as the store's pool has connections.");
    }

    private static boolean sharesServers(DataSource dataSource, ExecutorService threads, List<Connection> opened)
            throws SQLException {
        try (Connection a = dataSource.getConnection()) {
            opened.add(a);
            a.setAutoCommit(true);
            long a1 = backendPid(a);
            try (Connection b = dataSource.getConnection()) {
                opened.add(b);
                b.setAutoCommit(false);
                long pinned = backendPid(b);
                boolean ended = false;
                try {
                    if (pinned == a1) {
                        return true; // two clients on one backend
                    }
                    Future<Long> again = threads.submit(() -> backendPid(a));
                    Long a2 = await(again, PINNED_WAIT_MILLIS);
                    rollback(b); // lets a waiting A go on
                    ended = true;
                    if (a2 == null) {
                        if (await(again, 10_000) == null) {
                            again.cancel(true);
                            throw new SQLException("the pooling probe's query did not end within 10,000 ms");
                        }
                        return true; // A had no server of its own: it waited for B's
                    }
                    if (a2 != a1) {
                        return true;
                    }
                } finally {
                    if (!ended) {
                        rollback(b);
                    }
                    b.setAutoCommit(true);
                }
            }
            // A pooler that hands its servers out in turn may give A its first one again while B
            // holds another: a few more transactions of A's show the turn.
            for (int query = 0; query < 3; query++) {
                if (backendPid(a) != a1) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Ends a transaction with a plain statement: pgjdbc's own rollback may be a named prepared
     * statement (under a prepareThreshold above 0), which would stay on a pooler's server for the
     * next client to trip over.
     */
    private static void rollback(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ROLLBACK");
        }
    }

    /** @return the task's result, or null when it has not ended within the wait */
    private static <T> T await(Future<T> task, long waitMillis) throws SQLException {
        try {
            return task.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while probing the pooler", e);
        }
    }

    private static long backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
