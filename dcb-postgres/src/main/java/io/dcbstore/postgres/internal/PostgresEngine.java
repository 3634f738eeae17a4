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
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
    /** Per node, the highest safe mark seen there (see {@link Statements#mark()}). */
    private final ConcurrentMap<DataSource, ConcurrentMap<Long, NodeMark>> marks = new ConcurrentHashMap<>();
    private final SqlCache<String> appendStatements = new SqlCache<>(Statements.SQL_CACHE_CAPACITY);
    private final java.util.concurrent.atomic.LongAdder globalLockAppends = new java.util.concurrent.atomic.LongAdder();

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
                    + " AND to_regclass(?) IS NOT NULL AND to_regprocedure(?) IS NOT NULL AND to_regprocedure(?) IS NOT NULL"
                    + " AND obj_description(to_regprocedure(?), 'pg_proc') IS NOT DISTINCT FROM " + Statements.SCHEMA_VERSION
                    + " AND EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = ? AND tgrelid = to_regclass(?) AND (tgtype & 32) <> 0)")) {
                statement.setString(1, config.eventsTable());
                statement.setString(2, config.snapshotsTable());
                statement.setString(3, config.eventsTable() + "_payload_idx");
                statement.setString(4, config.eventsTable() + "_condition_failed_if(boolean,bigint)");
                statement.setString(5, config.eventsTable() + "_in_pipeline(text)");
                statement.setString(6, config.eventsTable() + "_safe_mark(bigint[],bigint[],bigint[])");
                statement.setString(7, config.eventsTable() + "_append_only");
                statement.setString(8, config.eventsTable());
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getBoolean(1);
                }
            }
        });
    }

    /**
     * Checks, at start, what the append guarantee needs from the server and cannot enforce per
     * statement: a UTF8 database. Lock keys are hashed from the Java strings, while the check
     * compares values after the server converted them to its own encoding; in another encoding
     * two different strings can become the same bytes (in EUC_JP, U+00A6 and U+FFE4 both become
     * 0x8FA2C3), so an event could match a condition without sharing a lock with it, and the
     * stored value would silently differ from the appended one.
     *
     * Also refuses driver options that split pipelines ({@link Operation#checkDriverOptions}).
     *
     * @throws io.dcbstore.ConfigurationException when the database's encoding is not UTF8, or the
     *         driver's options cannot run an operation as one transaction
     */
    public void checkServer() {
        Operation.checkDriverOptions(primary, "primary");
        String encoding = Operation.run(primary, "checkServer", config.defaultTimeout(), null, (operation, connection) -> {
            try (PreparedStatement statement = operation.prepare(connection, "SELECT current_setting('server_encoding')");
                 ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        });
        if (!"UTF8".equals(encoding)) {
            throw new io.dcbstore.ConfigurationException("the primary's database uses the encoding " + encoding + ", not UTF8:"
                    + " the store needs UTF8, because in another encoding two different strings can be stored as the same bytes,"
                    + " and an append could then miss a conflicting one. Create the database with ENCODING 'UTF8'.");
        }
    }

    /**
     * Refuses a replica whose driver options split pipelines.
     *
     * @param replica the replica's data source
     * @param name its name
     */
    public void checkReplica(DataSource replica, String name) {
        Operation.checkDriverOptions(replica, "replica " + name);
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
        String sql = Statements.READ_COMMITTED + ";\n" + Statements.SET_TIMEOUT + ";\n" + statements.mark() + ";\n" + statements.query(where);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Collection<NodeMark> known = knownMarks(source);
            Read read = Operation.run(source, "query", remaining(deadline, timeout), options.cancellation(), (operation, connection) -> {
                try (PreparedStatement statement = operation.prepareServerTimed(connection, sql)) {
                    int index = 1;
                    statement.setString(index++, operation.serverTimeout());
                    statement.setString(index++, Statements.planCacheMode(where));
                    statement.setString(index++, Statements.parallelWorkers(where));
                    index = bindMark(connection, statement, index, known);
                    index = where.bind(connection, statement, index);
                    statement.setLong(index, token == null ? 0 : token.sequenceNumber());
                    return operation.cancellable(statement, (op, c) -> readAll(source, statement, token, filter.sequenceNumberAfter()), connection);
                }
            });
            if (!read.windowFull()) {
                return read.result();
            }
            // Far behind (a first read, or a burst of appends since the last one): walk on, then read again.
            catchUp(source, deadline, timeout, options.cancellation());
        }
    }

    /** A read, and whether its mark stopped only at the end of its window. */
    private record Read(Optional<QueryResult> result, boolean windowFull) {
    }

    /**
     * Runs mark statements until one stops before the end of its window, each bounded on the
     * server by what is left of the deadline and cancelled with the caller's handle.
     *
     * @return the last mark
     */
    private long catchUp(DataSource source, long deadline, Duration timeout, io.dcbstore.Cancellation cancellation) {
        String sql = Statements.READ_COMMITTED + ";\n" + Statements.SERVER_TIMEOUT + ";\n" + statements.mark();
        long[] last = new long[1];
        boolean more = true;
        while (more) {
            more = Operation.run(source, "mark", remaining(deadline, timeout), cancellation, (operation, connection) -> {
                try (PreparedStatement statement = operation.prepareServerTimed(connection, sql)) {
                    statement.setString(1, operation.serverTimeout());
                    bindMark(connection, statement, 2, knownMarks(source));
                    return operation.cancellable(statement, (op, c) -> {
                        statement.execute();
                        skipResults(statement, 2);
                        try (ResultSet rows = statement.getResultSet()) {
                            rows.next();
                            last[0] = rows.getLong(1);
                            advanceMark(source, rows);
                            return rows.getBoolean(4);
                        }
                    }, connection);
                }
            });
        }
        return last[0];
    }

    private static Duration remaining(long deadline, Duration timeout) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new io.dcbstore.OperationTimeoutException("query", timeout, null);
        }
        return Duration.ofNanos(left);
    }

    /**
     * Whether a commit token's event is visible on a node under the safe mark.
     *
     * @param source the node
     * @param token the token
     * @param timeout the timeout of this check
     * @return whether it is visible
     */
    public boolean tokenVisible(DataSource source, CommitToken token, Duration timeout) {
        return catchUp(source, System.nanoTime() + timeout.toNanos(), timeout, null) >= token.sequenceNumber();
    }

    /** @return the counters of the store's SQL */
    public io.dcbstore.postgres.StatementStatistics statementStatistics() {
        return new io.dcbstore.postgres.StatementStatistics(appendStatements.hits() + statements.queryCacheHits(),
                appendStatements.misses() + statements.queryCacheMisses(), appendStatements.size() + statements.queryCacheSize(),
                globalLockAppends.sum());
    }

    /** @return the default timeout, or the requested one */
    public Duration timeoutOf(Duration requested) {
        return timeout(requested);
    }

    /** Binds the mark statement's parameters: the marks known for this data source, by server. */
    private static int bindMark(Connection connection, PreparedStatement statement, int first, Collection<NodeMark> known)
            throws SQLException {
        statement.setArray(first, connection.createArrayOf("int8", known.stream().map(NodeMark::serverStart).toArray(Long[]::new)));
        statement.setArray(first + 1, connection.createArrayOf("int8", known.stream().map(NodeMark::mark).toArray(Long[]::new)));
        statement.setArray(first + 2, connection.createArrayOf("int8", known.stream().map(NodeMark::transactionId).toArray(Long[]::new)));
        return first + 3;
    }

    /**
     * A safe mark seen through a data source, the start time of the server process it was seen
     * on and the transaction id of the event at the mark: a mark holds only for that server's
     * history and that table, so the mark function only uses it on that server while the event
     * is still there.
     */
    private record NodeMark(long mark, long serverStart, long transactionId) {
    }

    /** A data source that leads to more servers than this (a misconfiguration) keeps only the newest marks. */
    private static final int MAX_SERVERS_PER_SOURCE = 16;

    /** @return the marks seen through a data source, one per server */
    private Collection<NodeMark> knownMarks(DataSource source) {
        ConcurrentMap<Long, NodeMark> known = marks.get(source);
        return known == null ? List.of() : List.copyOf(known.values());
    }

    /** Remembers a server's newer safe mark (a mark only grows on one server) from a mark statement's row. */
    private void advanceMark(DataSource source, ResultSet marked) throws SQLException {
        NodeMark seen = new NodeMark(marked.getLong(1), marked.getLong(2), marked.getLong(3));
        ConcurrentMap<Long, NodeMark> known = marks.computeIfAbsent(source, ignored -> new ConcurrentHashMap<>());
        if (known.size() >= MAX_SERVERS_PER_SOURCE && !known.containsKey(seen.serverStart())) {
            known.clear();
        }
        known.merge(seen.serverStart(), seen, (old, now) -> old.mark() < now.mark() ? now : old);
    }

    private Read readAll(DataSource source, PreparedStatement statement, CommitToken token, long after) throws SQLException {
        statement.execute();
        skipResults(statement, 2);
        long mark;
        boolean windowFull;
        try (ResultSet marked = statement.getResultSet()) {
            marked.next();
            mark = marked.getLong(1);
            windowFull = marked.getBoolean(4);
            advanceMark(source, marked);
        }
        skipResults(statement, 1);
        List<StoredEvent> events = new ArrayList<>();
        try (ResultSet rows = statement.getResultSet()) {
            while (rows.next()) {
                events.add(toEvent(rows));
            }
        }
        if (token != null && mark < token.sequenceNumber()) {
            return new Read(Optional.empty(), windowFull);
        }
        return new Read(Optional.of(new QueryResult(events, events.isEmpty() ? after : events.get(events.size() - 1).sequenceNumber())),
                windowFull);
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
        catchUp(source, System.nanoTime() + timeout.toNanos(), timeout, options.cancellation());
        return Operation.open(source, "stream", timeout, options.cancellation(), (operation, connection) -> {
            connection.setAutoCommit(false);
            try (PreparedStatement marking = operation.prepare(connection, statements.mark())) {
                bindMark(connection, marking, 1, knownMarks(source));
                try (ResultSet marked = marking.executeQuery()) {
                    marked.next();
                    advanceMark(source, marked);
                }
            }
            PreparedStatement statement = operation.prepare(connection, statements.query(where));
            statement.setFetchSize(config.streamFetchSize());
            int index = where.bind(connection, statement, 1);
            statement.setLong(index, 0);
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
        List<ParsedEvent> parsed = ParsedEvent.parseAll(events, config.maxPayloadBytes(), config.jsonLimits());
        LockKeys.Plan locks = lockKeys.plan(condition, parsed);
        WhereClause where = condition == null ? null : WhereClause.of(condition.failIfEventsMatch(), false);
        String sql = appendStatements.get(where == null ? "" : where.sql(), shape -> appendSql(where));
        if (locks.global()) {
            globalLockAppends.increment();
        }
        // Results before the insert's: isolation, timeout, locks, the check (if any).
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

    /** The four (or, without a condition, three) statements of an append, for one filter shape. */
    private String appendSql(WhereClause where) {
        List<String> parts = new ArrayList<>(List.of(Statements.READ_COMMITTED, Statements.SET_TIMEOUT, Statements.TAKE_LOCKS));
        if (where != null) {
            parts.add(statements.check(where));
        }
        parts.add(statements.allocateAndInsert(sequenceName()));
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
        statement.setInt(index++, parsed.size());
        statement.setArray(index++, connection.createArrayOf("text", parsed.stream().map(ParsedEvent::type).toArray()));
        statement.setArray(index++, connection.createArrayOf("text", parsed.stream().map(ParsedEvent::payload).toArray()));
        statement.setArray(index++, connection.createArrayOf("text", parsed.stream().map(ParsedEvent::metadata).toArray()));
        statement.setArray(index, connection.createArrayOf("text", parsed.stream().map(ParsedEvent::occurredAt).toArray()));
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
