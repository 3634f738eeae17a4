package io.dcbstore.postgres.internal;

import io.dcbstore.AppendCondition;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.CommitToken;
import io.dcbstore.Event;
import io.dcbstore.EventStream;
import io.dcbstore.Filter;
import io.dcbstore.InvalidInputException;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.Snapshot;
import io.dcbstore.StoredEvent;
import io.dcbstore.postgres.PostgresStoreConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL implementation of every store operation against one primary. See
 * {@link Statements} for the append protocol and the gap-free read rule.
 */
public final class PostgresEngine {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresEngine.class);

    private final DataSource primary;
    private final PostgresStoreConfig config;
    private final Statements statements;
    private final LockKeys lockKeys;
    private volatile String sequenceName;
    private final java.util.concurrent.ConcurrentMap<String, String> appendStatements = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param primary the primary's data source
     * @param config the validated configuration
     */
    public PostgresEngine(DataSource primary, PostgresStoreConfig config) {
        this.primary = primary;
        this.config = config;
        this.statements = new Statements(config.eventsTable(), config.snapshotsTable());
        this.lockKeys = new LockKeys(config.eventsTable());
    }

    /**
     * Creates tables, indexes and functions if missing; safe to run concurrently. When they all
     * exist it only reads the catalog: the DDL's table locks would otherwise queue behind running
     * appends and streams at every start.
     */
    public void createSchema() {
        if (schemaExists()) {
            return;
        }
        Operation.run(primary, "createSchema", Duration.ofMinutes(5), null, (operation, connection) -> {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(" + lockKeys.key("schema", "") + ")");
                statement.execute(statements.schema());
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
            return null;
        });
    }

    private boolean schemaExists() {
        return Operation.run(primary, "checkSchema", config.defaultTimeout(), null, (operation, connection) -> {
            try (PreparedStatement statement = operation.prepare(connection, "SELECT to_regclass(?) IS NOT NULL AND to_regclass(?) IS NOT NULL"
                    + " AND to_regclass(?) IS NOT NULL AND to_regprocedure(?) IS NOT NULL"
                    + " AND EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = ? AND tgrelid = to_regclass(?))")) {
                statement.setString(1, config.eventsTable());
                statement.setString(2, config.snapshotsTable());
                statement.setString(3, config.eventsTable() + "_payload_idx");
                statement.setString(4, config.eventsTable() + "_condition_failed_if(boolean,bigint)");
                statement.setString(5, config.eventsTable() + "_append_only");
                statement.setString(6, config.eventsTable());
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getBoolean(1);
                }
            }
        });
    }

    /**
     * Checks that the primary runs appends at READ COMMITTED: at a higher default isolation
     * (set on the role, the database or the pool) the append's check would read a snapshot taken
     * before its locks, and two appends on one boundary could both succeed.
     *
     * @throws io.dcbstore.ConfigurationException when it does not
     */
    public void checkIsolation() {
        String isolation = Operation.run(primary, "checkIsolation", config.defaultTimeout(), null, (operation, connection) -> {
            try (PreparedStatement statement = operation.prepare(connection, "SELECT current_setting('transaction_isolation')");
                 ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        });
        if (!"read committed".equals(isolation)) {
            throw new io.dcbstore.ConfigurationException("the primary's connections run at '" + isolation + "', not 'read committed':"
                    + " the append's check would read a snapshot taken before its locks. Remove the default_transaction_isolation"
                    + " setting of the role or database, or the pool's transactionIsolation.");
        }
    }

    /**
     * Reads matching events from a data source. With a commit token in the options, first checks
     * that the token's event is visible there, and returns nothing when it is not (yet).
     *
     * @param source the node to read from
     * @param filter what to read
     * @param options token and cancellation (the timeout is given separately)
     * @param timeout the timeout of this attempt
     * @return the events and their highest sequence number, or empty when the token is not visible
     */
    public Optional<QueryResult> query(DataSource source, Filter filter, ReadOptions options, Duration timeout) {
        WhereClause where = WhereClause.of(filter, true);
        CommitToken token = options.atLeast();
        String sql = Statements.SET_TIMEOUT + ";\n" + (token == null ? "" : statements.tokenVisible() + ";\n") + statements.query(where);
        return Operation.run(source, "query", timeout, options.cancellation(), (operation, connection) -> {
            try (PreparedStatement statement = operation.prepareServerTimed(connection, sql)) {
                int index = 1;
                statement.setString(index++, operation.serverTimeout());
                statement.setString(index++, Statements.planCacheMode(where));
                statement.setString(index++, Statements.parallelWorkers(where));
                if (token != null) {
                    statement.setLong(index++, token.sequenceNumber());
                }
                where.bind(connection, statement, index);
                return operation.cancellable(statement, (op, c) -> readAll(statement, token != null), connection);
            }
        });
    }

    /**
     * Whether a commit token's event is visible on a node under the safe high-water mark.
     *
     * @param source the node
     * @param token the token
     * @param timeout the timeout of this check
     * @return whether it is visible
     */
    public boolean tokenVisible(DataSource source, CommitToken token, Duration timeout) {
        return Operation.run(source, "tokenCheck", timeout, null, (operation, connection) -> {
            try (PreparedStatement statement = operation.prepare(connection, statements.tokenVisible())) {
                statement.setLong(1, token.sequenceNumber());
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getBoolean(1);
                }
            }
        });
    }

    /** @return the default timeout, or the requested one */
    public Duration timeoutOf(Duration requested) {
        return timeout(requested);
    }

    private static Optional<QueryResult> readAll(PreparedStatement statement, boolean checkToken) throws SQLException {
        statement.execute();
        skipResults(statement, 1);
        if (checkToken) {
            boolean visible;
            try (ResultSet check = statement.getResultSet()) {
                check.next();
                visible = check.getBoolean(1);
            }
            skipResults(statement, 1);
            if (!visible) {
                return Optional.empty();
            }
        }
        List<StoredEvent> events = new ArrayList<>();
        try (ResultSet rows = statement.getResultSet()) {
            while (rows.next()) {
                events.add(toEvent(rows));
            }
        }
        return Optional.of(new QueryResult(events, events.isEmpty() ? 0 : events.get(events.size() - 1).sequenceNumber()));
    }

    /**
     * Streams matching events from a data source with a server-side cursor.
     *
     * @param source the node to read from
     * @param filter what to read
     * @param options timeout (per batch) and cancellation
     * @return the open stream
     */
    public EventStream stream(DataSource source, Filter filter, ReadOptions options) {
        WhereClause where = WhereClause.of(filter, true);
        Duration timeout = timeout(options.timeout());
        return Operation.open(source, "stream", timeout, options.cancellation(), (operation, connection) -> {
            connection.setAutoCommit(false);
            PreparedStatement statement = operation.prepare(connection, statements.query(where));
            statement.setFetchSize(config.streamFetchSize());
            where.bind(connection, statement, 1);
            ResultSet rows = operation.cancellable(statement, (op, c) -> statement.executeQuery(), connection);
            return new CursorEventStream(connection, statement, rows, operation);
        });
    }

    /**
     * Appends events under an optional condition (see {@link Statements}).
     *
     * @param events the events
     * @param condition the condition, or {@code null}
     * @param options timeout and cancellation
     * @return what was written
     */
    public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
        if (options == null) {
            throw new InvalidInputException("append options must not be null");
        }
        List<ParsedEvent> parsed = ParsedEvent.parseAll(events, config.maxPayloadBytes());
        LockKeys.Plan locks = lockKeys.plan(condition, parsed);
        WhereClause where = condition == null ? null : WhereClause.of(condition.failIfEventsMatch(), false);
        boolean single = parsed.size() == 1;
        String sql = appendStatements.computeIfAbsent((where == null ? "" : where.sql()) + (single ? "|one" : "|many"),
                shape -> appendSql(where, single));
        // Results before the insert's: timeout, locks, the check (if any), the id allocation.
        int resultsBeforeInsert = where == null ? 3 : 4;
        return Operation.run(primary, "append", timeout(options.timeout()), options.cancellation(), (operation, connection) -> {
            try (PreparedStatement statement = operation.prepareServerTimed(connection, sql)) {
                bindAppend(operation, connection, statement, locks, condition, where, parsed);
                return operation.cancellable(statement, (op, c) -> executeAppend(statement, resultsBeforeInsert, condition), connection);
            } catch (SQLException e) {
                if (!SqlState.APPEND_CONDITION_FAILED.code().equals(e.getSQLState())) {
                    releaseInsertLock(connection);
                }
                throw e;
            } catch (RuntimeException e) {
                releaseInsertLock(connection);
                throw e;
            }
        });
    }

    /** The five (or, without a condition, four) statements of an append, for one filter shape. */
    private String appendSql(WhereClause where, boolean single) {
        List<String> parts = new ArrayList<>(List.of(Statements.SET_TIMEOUT, Statements.TAKE_LOCKS));
        if (where != null) {
            parts.add(statements.check(where));
        }
        parts.add(Statements.allocateIds(sequenceName()));
        parts.add(single ? statements.insertOne() : statements.insertMany());
        return String.join(";\n", parts);
    }

    private void bindAppend(Operation operation, Connection connection, PreparedStatement statement, LockKeys.Plan locks,
                            AppendCondition condition, WhereClause where, List<ParsedEvent> parsed) throws SQLException {
        int index = 1;
        statement.setString(index++, operation.serverTimeout());
        statement.setString(index++, Statements.planCacheMode(where));
        statement.setString(index++, Statements.parallelWorkers(where));
        Long[] keys = new Long[locks.keys().length];
        Boolean[] exclusive = new Boolean[keys.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = locks.keys()[i];
            exclusive[i] = locks.exclusive()[i];
        }
        statement.setArray(index++, connection.createArrayOf("int8", keys));
        statement.setArray(index++, connection.createArrayOf("bool", exclusive));
        if (where != null) {
            statement.setLong(index++, condition.after());
            index = where.bind(connection, statement, index);
        }
        statement.setInt(index++, Statements.ID_LOCK_CLASS);
        statement.setInt(index++, statements.idLockObject());
        statement.setInt(index++, parsed.size());
        statement.setInt(index++, Statements.ID_LOCK_CLASS);
        statement.setInt(index++, statements.idLockObject());
        if (parsed.size() == 1) {
            ParsedEvent event = parsed.get(0);
            statement.setString(index++, event.type());
            statement.setString(index++, event.payload());
            statement.setString(index++, event.metadata());
            statement.setString(index++, event.occurredAt());
        } else {
            statement.setInt(index++, parsed.size());
            statement.setArray(index++, connection.createArrayOf("text", parsed.stream().map(ParsedEvent::type).toArray()));
            statement.setArray(index++, connection.createArrayOf("text", parsed.stream().map(ParsedEvent::payload).toArray()));
            statement.setArray(index++, connection.createArrayOf("text", parsed.stream().map(ParsedEvent::metadata).toArray()));
            statement.setArray(index, connection.createArrayOf("text", parsed.stream().map(ParsedEvent::occurredAt).toArray()));
        }
    }

    private static AppendResult executeAppend(PreparedStatement statement, int resultsBeforeInsert, AppendCondition condition)
            throws SQLException {
        try {
            statement.execute();
        } catch (SQLException e) {
            if (condition != null && SqlState.APPEND_CONDITION_FAILED.code().equals(e.getSQLState())) {
                throw new io.dcbstore.AppendConditionFailedException(condition.after(), Operation.foundSequence(e));
            }
            throw e;
        }
        skipResults(statement, resultsBeforeInsert);
        long first = Long.MAX_VALUE;
        long last = 0;
        long walPosition = 0;
        try (ResultSet inserted = statement.getResultSet()) {
            while (inserted.next()) {
                long sequence = inserted.getLong(1);
                first = Math.min(first, sequence);
                last = Math.max(last, sequence);
                walPosition = Math.max(walPosition, inserted.getLong(2));
            }
        }
        return new AppendResult(first, last, new CommitToken(last, walPosition));
    }

    /** After a failed append the session-level id lock may still be held: release it, or drop the connection. */
    private static void releaseInsertLock(Connection connection) {
        try {
            if (!connection.isClosed()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(Statements.RELEASE_ALL_SESSION_LOCKS);
                }
            }
        } catch (SQLException e) {
            LOG.warn("could not release the insert lock after a failed append; closing the connection", e);
            try {
                connection.abort(Runnable::run);
            } catch (SQLException ignored) {
                // The connection is unusable either way; the server releases the lock when the session ends.
            }
        }
    }

    private static void skipResults(Statement statement, int count) throws SQLException {
        for (int i = 0; i < count; i++) {
            if (!statement.getMoreResults()) {
                if (statement.getUpdateCount() == -1) {
                    throw new SQLException("the statement returned fewer results than expected");
                }
            }
        }
    }

    static StoredEvent toEvent(ResultSet rows) throws SQLException {
        return new StoredEvent(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                rows.getObject(5, OffsetDateTime.class).toInstant());
    }

    /**
     * @param snapshot the snapshot to save
     * @return whether it is now the saved one
     */
    public boolean saveSnapshot(Snapshot snapshot) {
        return Operation.run(primary, "saveSnapshot", config.snapshotTimeout(), null, (operation, connection) -> {
            try (PreparedStatement statement = operation.prepare(connection, statements.saveSnapshot())) {
                statement.setString(1, snapshot.projectionType());
                statement.setString(2, snapshot.filterHash());
                statement.setLong(3, snapshot.sequenceNumber());
                statement.setString(4, snapshot.state());
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    /**
     * @param source the node to read from
     * @param projectionType the projection
     * @param filterHash its filter's hash
     * @return the snapshot, if saved
     */
    public Optional<Snapshot> loadSnapshot(DataSource source, String projectionType, String filterHash) {
        checkSnapshotKey(projectionType, filterHash);
        return Operation.run(source, "loadSnapshot", config.snapshotTimeout(), null, (operation, connection) -> {
            try (PreparedStatement statement = operation.prepare(connection, statements.loadSnapshot())) {
                statement.setString(1, projectionType);
                statement.setString(2, filterHash);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Snapshot(projectionType, filterHash, rows.getLong(1), rows.getString(2),
                            rows.getObject(3, OffsetDateTime.class).toInstant()));
                }
            }
        });
    }

    /**
     * @param projectionType the projection
     * @param filterHash its filter's hash
     * @return whether one was deleted
     */
    public boolean deleteSnapshot(String projectionType, String filterHash) {
        checkSnapshotKey(projectionType, filterHash);
        return Operation.run(primary, "deleteSnapshot", config.snapshotTimeout(), null, (operation, connection) -> {
            try (PreparedStatement statement = operation.prepare(connection, statements.deleteSnapshot())) {
                statement.setString(1, projectionType);
                statement.setString(2, filterHash);
                return statement.executeUpdate() > 0;
            }
        });
    }

    private static void checkSnapshotKey(String projectionType, String filterHash) {
        // Validation lives in the Snapshot record; build a throwaway one to reuse it.
        new Snapshot(projectionType, filterHash, 0, "{}", null);
    }

    /** The identity sequence of the events table, looked up once (after the schema exists). */
    private String sequenceName() {
        String name = sequenceName;
        if (name == null) {
            name = Operation.run(primary, "findSequence", config.defaultTimeout(), null, (operation, connection) -> {
                try (PreparedStatement statement = operation.prepare(connection, Statements.FIND_SEQUENCE)) {
                    statement.setString(1, config.eventsTable());
                    try (ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        return rows.getString(1);
                    }
                }
            });
            if (name == null || !name.matches("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?")) {
                throw new IllegalStateException("the events table " + config.eventsTable()
                        + " has no identity sequence with a plain name (found " + name + "); was it created by this library?");
            }
            sequenceName = name;
        }
        return name;
    }

    private Duration timeout(Duration requested) {
        return requested == null ? config.defaultTimeout() : requested;
    }
}
