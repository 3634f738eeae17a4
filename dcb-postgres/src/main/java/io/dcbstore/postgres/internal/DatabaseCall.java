package io.dcbstore.postgres.internal;

import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.Cancellation;
import io.dcbstore.ConfigurationException;
import io.dcbstore.DatabaseException;
import io.dcbstore.EventStoreException;
import io.dcbstore.OperationCancelledException;
import io.dcbstore.OperationTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.postgresql.core.BaseConnection;
import org.postgresql.jdbc.PgConnection;
import org.postgresql.jdbc.PgStatement;
import org.postgresql.jdbc.PreferQueryMode;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * One store operation on one pooled connection: applies the timeout (on the server through
 * {@code statement_timeout} for the query and append pipelines, with the driver's timer as a
 * backstop; through the driver's timer alone for the others), wires the caller's {@link Cancellation},
 * and maps every {@link SQLException} to the API's exceptions by SQLSTATE.
 */
final class DatabaseCall {
    /** The body of an operation. */
    @FunctionalInterface
    interface Body<T> {
        T run(DatabaseCall operation, Connection connection) throws SQLException;
    }

    private final String name;
    private final Duration timeout;
    private final Cancellation cancellation;
    private final long deadlineNanos;

    private DatabaseCall(String name, Duration timeout, Cancellation cancellation) {
        this.name = name;
        this.timeout = timeout;
        this.cancellation = cancellation;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    /**
     * Runs an operation on a connection of the data source.
     *
     * @param dataSource where the connection comes from
     * @param name the operation's name, for errors
     * @param timeout the operation's timeout
     * @param cancellation the caller's handle, or {@code null}
     * @param body what to do
     * @param <T> the result type
     * @return the body's result
     */
    static <T> T run(DataSource dataSource, String name, Duration timeout, Cancellation cancellation, Body<T> body) {
        DatabaseCall operation = new DatabaseCall(name, timeout, cancellation);
        if (cancellation != null && cancellation.isCancelled()) {
            throw new OperationCancelledException(name, null);
        }
        StoreCall measured = StoreCall.current();
        long started = 0;
        try (Connection connection = dataSource.getConnection()) {
            started = measured == null ? 0 : System.nanoTime(); // the database part: not the wait for a connection
            requireAutoCommit(connection);
            int networkTimeout = operation.armNetworkTimeout(connection);
            try {
                return body.run(operation, connection);
            } finally {
                Abandonment.resetNetworkTimeout(connection, networkTimeout);
            }
        } catch (SQLException e) {
            throw operation.map(e);
        } finally {
            if (measured != null && started != 0) {
                measured.addDatabaseTime(System.nanoTime() - started);
            }
        }
    }

    /**
     * Like {@link #run} but leaves the connection open when the body succeeds: the body's result
     * owns it (a stream). The connection is closed if the body fails.
     *
     * @param dataSource where the connection comes from
     * @param name the operation's name, for errors
     * @param timeout the timeout of each round trip
     * @param cancellation the caller's handle, or {@code null}
     * @param body what to do
     * @param <T> the result type
     * @return the body's result, which must close the connection
     */
    static <T> T open(DataSource dataSource, String name, Duration timeout, Cancellation cancellation, Body<T> body) {
        DatabaseCall operation = new DatabaseCall(name, timeout, cancellation);
        if (cancellation != null && cancellation.isCancelled()) {
            throw new OperationCancelledException(name, null);
        }
        StoreCall measured = StoreCall.current();
        long started = 0;
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            started = measured == null ? 0 : System.nanoTime();
            return body.run(operation, connection);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw operation.map(e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        } finally {
            if (measured != null && started != 0) {
                measured.addDatabaseTime(System.nanoTime() - started);
            }
        }
    }

    /**
     * Appends and reads rely on the implicit transaction of one pipeline: with autocommit off, a
     * pool would roll back acknowledged appends on close. A local check, no round trip.
     */
    private static void requireAutoCommit(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.setAutoCommit(true);
        }
    }

    /**
     * Refuses, at start, driver options under which no pipeline runs as one transaction:
     * {@code preferQueryMode=simple} sends every statement as its own query (its own transaction),
     * and {@code prepareThreshold=-1} (forced binary transfer) describes each statement first and
     * then misassigns their result formats (08P01 on every execution). Every other option of
     * pgjdbc that changes the protocol works ({@code stringtype=unspecified} through
     * {@link #prepare}); the test suite runs each of them.
     *
     * <p>Also finds whether the node is reached through a connection pooler ({@link Pooling}), and
     * refuses server-side prepared statements behind one in transaction mode: pgjdbc names a
     * statement after its fifth execution on a connection ({@code prepareThreshold}, default 5)
     * and then only binds it, but the pooler may give that client another server connection, where
     * the name is unknown or names another client's statement (PgBouncer before 1.21 keeps no
     * prepared statements in transaction mode).
     *
     * @param dataSource a node's data source
     * @param node its name, for the message
     * @return how the node is reached
     */
    static Pooling checkDriverOptions(DataSource dataSource, String node) {
        DatabaseCall operation = new DatabaseCall("checkDriverOptions", Duration.ofSeconds(30), null);
        try {
            boolean proxied;
            int prepareThreshold;
            try (Connection connection = dataSource.getConnection()) {
                PgConnection driver = connection.unwrap(PgConnection.class);
                if (driver.getPreferQueryMode() == PreferQueryMode.SIMPLE) {
                    throw new ConfigurationException(
                            "the " + node + "'s connections use preferQueryMode=simple: pgjdbc then sends each"
                                    + " statement of an append as its own transaction, and the append's check would not run under its locks."
                                    + " Remove preferQueryMode=simple from the JDBC URL or data source (extended, extendedForPrepared and"
                                    + " extendedCacheEverything work).");
                }
                if (driver.getForceBinary() || driver.getPrepareThreshold() < 0) {
                    throw new ConfigurationException(
                            "the " + node + "'s connections use prepareThreshold=-1 (forced binary transfer):"
                                    + " pgjdbc then fails every multi-statement execution with 08P01. Use a prepareThreshold of 0 or more.");
                }
                prepareThreshold = driver.getPrepareThreshold();
                proxied = Pooling.proxied(connection);
            }
            Pooling pooling = proxied ? Pooling.probe(dataSource, node) : Pooling.DIRECT;
            if (pooling == Pooling.TRANSACTION && prepareThreshold > 0) {
                throw new ConfigurationException(
                        "the " + node + " is reached through a connection pooler in transaction"
                                + " mode (PgBouncer pool_mode=transaction, or a proxy that hands server connections to other"
                                + " clients between transactions), and its connections use server-side prepared statements"
                                + " (prepareThreshold=" + prepareThreshold
                                + ", pgjdbc's default is 5): after a server connection"
                                + " changes hands they fail (\"prepared statement does not exist\") or run another client's"
                                + " statement. Add prepareThreshold=0 to the JDBC URL (or the data source's properties).");
            }
            return pooling;
        } catch (SQLException e) {
            throw operation.map(e);
        }
    }

    static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception ignored) {
            // Closing is best effort; the pool discards broken connections.
        }
    }

    /** @return the statement timeout text for {@code set_config}, in milliseconds */
    String serverTimeout() {
        return Long.toString(Math.max(1, remainingMillis()));
    }

    private long remainingMillis() {
        return (deadlineNanos - System.nanoTime()) / 1_000_000;
    }

    /**
     * Prepares a statement bound to this operation's deadline and cancellation.
     *
     * @param connection the operation's connection
     * @param sql the statement text
     * @return the statement
     * @throws SQLException from the driver; a timeout when the deadline already passed
     */
    PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        return prepare(connection, sql, 0);
    }

    /**
     * Prepares a pipeline that sets its own {@code statement_timeout} first (see
     * {@link Statements#SET_TIMEOUT}): the server enforces the deadline, and the driver's timer is
     * only a backstop {@link #CLIENT_BACKSTOP_MILLIS} later, for a server that does not answer.
     * When the driver's timer fires it cancels through a new connection (a new server process),
     * which under overload multiplies the load that caused the timeouts.
     *
     * @param connection the operation's connection
     * @param sql the pipeline, starting with {@link Statements#SET_TIMEOUT}
     * @return the statement
     * @throws SQLException from the driver; a timeout when the deadline already passed
     */
    PreparedStatement prepareServerTimed(Connection connection, String sql) throws SQLException {
        return prepare(connection, sql, CLIENT_BACKSTOP_MILLIS);
    }

    /** How long after the deadline the driver cancels a statement whose server timeout did not fire. */
    static final long CLIENT_BACKSTOP_MILLIS = 500;

    /**
     * Bounds how long the call waits for any answer on its connection ({@link Abandonment}).
     *
     * @return the connection's network timeout before, to reset after the call
     */
    int armNetworkTimeout(Connection connection) throws SQLException {
        return Abandonment.armNetworkTimeout(connection, remainingMillis() + CLIENT_BACKSTOP_MILLIS);
    }

    private PreparedStatement prepare(Connection connection, String sql, long backstopMillis) throws SQLException {
        long remaining = remainingMillis();
        if (remaining <= 0) {
            throw new OperationTimeoutException(name, timeout, null);
        }
        PreparedStatement statement = connection.prepareStatement(sql);
        PgStatement driverStatement = statement.unwrap(PgStatement.class);
        driverStatement.setQueryTimeoutMs(remaining + backstopMillis);
        if (!connection.unwrap(BaseConnection.class).getStringVarcharFlag()) {
            // stringtype=unspecified: text parameters are untyped, so a statement prepared on the
            // server gets described, and pgjdbc then sends a Sync before any statement of the
            // pipeline whose result has a variable-width column, splitting one operation into
            // several transactions. Statements that are never prepared are never described.
            driverStatement.setPrepareThreshold(0);
        }
        return statement;
    }

    /**
     * Runs a JDBC action while the caller's cancellation may cancel the statement.
     *
     * @param statement the statement that runs
     * @param action what runs it
     * @param <T> the result type
     * @return the action's result
     * @throws SQLException from the driver
     */
    @SuppressWarnings("try") // the resource is held for its scope, not used in it
    <T> T cancellable(PreparedStatement statement, Body<T> action, Connection connection) throws SQLException {
        if (cancellation == null) {
            return action.run(this, connection);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        try (AutoCloseable registration = cancellation.onCancel(() -> {
            cancelQuietly(statement);
            Abandonment.abandonIfStillRunning(connection, running);
        })) {
            return action.run(this, connection);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unregistering a cancellation failed", e);
        } finally {
            running.set(false);
        }
    }

    private static void cancelQuietly(PreparedStatement statement) {
        try {
            statement.cancel();
        } catch (SQLException ignored) {
            // The statement finished or the connection is gone: nothing left to cancel.
        }
    }

    /** @return the API exception for a driver exception */
    EventStoreException map(SQLException e) {
        String code = e.getSQLState();
        SqlState state = SqlState.of(code);
        if (state == SqlState.APPEND_CONDITION_FAILED) {
            return conflict(e);
        }
        if (state == SqlState.PIPELINE_SPLIT) {
            return new ConfigurationException(name + " failed: " + e.getMessage()
                    + (e instanceof PSQLException psql
                                    && psql.getServerErrorMessage() != null
                                    && psql.getServerErrorMessage().getHint() != null
                            ? " (" + psql.getServerErrorMessage().getHint() + ")"
                            : ""));
        }
        if (state == SqlState.QUERY_CANCELED) {
            if (cancellation != null && cancellation.isCancelled()) {
                return new OperationCancelledException(name, e);
            }
            return new OperationTimeoutException(name, timeout, e);
        }
        if ((SqlState.isConnectionFailure(code) || code == null)
                && !(e instanceof SQLTransientException)
                && ((cancellation != null && cancellation.isCancelled()) || remainingMillis() <= 0)) {
            // The connection was given up (Abandonment): the server's answer never came, so whether
            // the statement ran is unknown. Not a timeout or a cancel, which promise it did not.
            return new DatabaseException(
                    name + " got no answer by its deadline or after its cancel, and gave up its connection: its"
                            + " outcome is unknown (an append may have been stored; give events ids to re-send it safely): "
                            + e.getMessage(),
                    code,
                    true,
                    e);
        }
        // A pool that gave no connection in time says so with a transient exception and no SQLSTATE.
        boolean retryable = SqlState.isConnectionFailure(code)
                || (state != null && state.retryable())
                || (code == null && e instanceof SQLTransientException);
        return new DatabaseException(name + " failed: " + e.getMessage(), code, retryable, e);
    }

    private static AppendConditionFailedException conflict(SQLException e) {
        return new AppendConditionFailedException(-1, foundSequence(e));
    }

    /** @return the sequence number the failed check found (the DETAIL of DCB01), or -1 */
    static long foundSequence(SQLException e) {
        if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            ServerErrorMessage message = psql.getServerErrorMessage();
            return parseOrMinusOne(message.getDetail());
        }
        return -1;
    }

    private static long parseOrMinusOne(String number) {
        try {
            return number == null ? -1 : Long.parseLong(number.trim());
        } catch (NumberFormatException ignored) {
            return -1;
        }
    }

    /**
     * @param name the operation's name, for the error
     * @param deadline its deadline, in {@link System#nanoTime()}
     * @param timeout its whole timeout, for the error
     * @return the time left until the deadline
     * @throws OperationTimeoutException when none is left
     */
    static Duration timeLeft(String name, long deadline, Duration timeout) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new OperationTimeoutException(name, timeout, null);
        }
        return Duration.ofNanos(left);
    }

    /** Moves past the results of the first statements of a pipeline. */
    static void skipResults(Statement statement, int count) throws SQLException {
        for (int i = 0; i < count; i++) {
            if (!statement.getMoreResults()) {
                if (statement.getUpdateCount() == -1) {
                    throw new SQLException("the statement returned fewer results than expected");
                }
            }
        }
    }
}
