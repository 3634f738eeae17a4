package io.dcbstore.postgres.internal;

import io.dcbstore.AppendCondition;
import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.CommitToken;
import io.dcbstore.Event;
import io.dcbstore.InvalidInputException;
import io.dcbstore.postgres.PostgresStoreConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The append protocol on the primary (see {@link Statements}): locks, check, allocation and insert in one round trip. */
final class Appends {
    private static final Logger LOG = LoggerFactory.getLogger(Appends.class);

    private final DataSource primary;
    private final PostgresStoreConfig config;
    private final Statements statements;
    private final LockKeys lockKeys;
    private final SqlCache<String> appendStatements = new SqlCache<>(Statements.SQL_CACHE_CAPACITY);
    private final LongAdder globalLockAppends = new LongAdder();
    private final ResentAppends resent;
    private volatile String sequenceName;

    Appends(DataSource primary, PostgresStoreConfig config, Statements statements) {
        this.primary = primary;
        this.config = config;
        this.statements = statements;
        this.lockKeys = new LockKeys(config.eventsTable());
        this.resent = new ResentAppends(primary, statements);
    }

    /**
     * Appends events under an optional condition (see {@link Statements}).
     *
     * @param events the events
     * @param condition the condition, or {@code null}
     * @param options timeout and cancellation
     * @return what was written
     */
    AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
        if (options == null) {
            throw new InvalidInputException("append options must not be null");
        }
        List<ParsedEvent> parsed = ParsedEvent.parseAll(events, config.maxPayloadBytes(), config.jsonLimits());
        LockKeys.Plan locks = lockKeys.plan(condition, parsed);
        WhereClause where =
                condition == null ? null : WhereClause.of(condition.failIfEventsMatch(), false, config.indexedKeys());
        String sql = appendStatements.get(where == null ? "" : where.sql(), shape -> appendSql(where));
        // Looked up once, on a connection of its own: never while the append holds one.
        String sequence = sequenceName();
        if (locks.global()) {
            globalLockAppends.increment();
        }
        // Results before the insert's: isolation, timeout, locks, the check (if any).
        int resultsBeforeInsert = where == null ? 3 : 4;
        Duration timeout = options.timeout() == null ? config.defaultTimeout() : options.timeout();
        try {
            return insert(sql, sequence, timeout, options, locks, condition, where, parsed, resultsBeforeInsert);
        } catch (AppendConditionFailedException | IdsAlreadyStored e) {
            if (parsed.get(0).id() == null) {
                throw e;
            }
            // Re-sent after an unknown outcome? Its own events then fail its condition, or the ids' index.
            return resent.find(parsed, timeout)
                    .orElseThrow(() -> e instanceof IdsAlreadyStored stored
                            ? new IllegalStateException("an event id was stored and is gone", stored.getCause())
                            : (AppendConditionFailedException) e);
        }
    }

    private AppendResult insert(
            String sql,
            String sequence,
            Duration timeout,
            AppendOptions options,
            LockKeys.Plan locks,
            AppendCondition condition,
            WhereClause where,
            List<ParsedEvent> parsed,
            int resultsBeforeInsert) {
        return DatabaseCall.run(primary, "append", timeout, options.cancellation(), (operation, connection) -> {
            try (PreparedStatement statement = operation.prepareServerTimed(connection, sql)) {
                bindAppend(operation, connection, statement, sequence, locks, condition, where, parsed);
                return operation.cancellable(
                        statement, (op, c) -> executeAppend(statement, resultsBeforeInsert, condition), connection);
            }
        });
    }

    /** The four (or, without a condition, three) statements of an append, for one filter shape. */
    private String appendSql(WhereClause where) {
        List<String> parts =
                new ArrayList<>(List.of(Statements.READ_COMMITTED, Statements.SET_TIMEOUT, Statements.TAKE_LOCKS));
        if (where != null) {
            parts.add(statements.check(where));
        }
        parts.add(statements.allocateAndInsert());
        return String.join(";\n", parts);
    }

    private void bindAppend(
            DatabaseCall operation,
            Connection connection,
            PreparedStatement statement,
            String sequence,
            LockKeys.Plan locks,
            AppendCondition condition,
            WhereClause where,
            List<ParsedEvent> parsed)
            throws SQLException {
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
            if (where.keyBounded()) {
                statement.setLong(index++, condition.after());
            }
        }
        statement.setInt(index++, Statements.ID_LOCK_CLASS);
        statement.setInt(index++, statements.idLockObject());
        statement.setString(index++, sequence);
        statement.setInt(index++, parsed.size());
        statement.setInt(index++, parsed.size());
        statement.setArray(
                index++,
                connection.createArrayOf(
                        "text", parsed.stream().map(ParsedEvent::type).toArray()));
        statement.setArray(
                index++,
                connection.createArrayOf(
                        "text", parsed.stream().map(ParsedEvent::payload).toArray()));
        statement.setArray(
                index++,
                connection.createArrayOf(
                        "text", parsed.stream().map(ParsedEvent::metadata).toArray()));
        statement.setArray(
                index++,
                connection.createArrayOf(
                        "text", parsed.stream().map(ParsedEvent::occurredAt).toArray()));
        statement.setArray(
                index,
                connection.createArrayOf(
                        "uuid", parsed.stream().map(ParsedEvent::id).toArray()));
    }

    private static AppendResult executeAppend(
            PreparedStatement statement, int resultsBeforeInsert, AppendCondition condition) throws SQLException {
        try {
            statement.execute();
        } catch (SQLException e) {
            if (condition != null && SqlState.APPEND_CONDITION_FAILED.code().equals(e.getSQLState())) {
                throw new AppendConditionFailedException(condition.after(), DatabaseCall.foundSequence(e));
            }
            if (IdsAlreadyStored.isCause(e)) {
                throw new IdsAlreadyStored(e);
            }
            throw e;
        }
        DatabaseCall.skipResults(statement, resultsBeforeInsert);
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

    /** The insert hit the unique index of the event ids: some id is already stored. */
    private static final class IdsAlreadyStored extends RuntimeException {
        private static final long serialVersionUID = 1L;

        IdsAlreadyStored(SQLException cause) {
            super(cause.getMessage(), cause);
        }

        static boolean isCause(SQLException e) {
            return SqlState.UNIQUE_VIOLATION.code().equals(e.getSQLState())
                    && e instanceof PSQLException server
                    && server.getServerErrorMessage() != null
                    && String.valueOf(server.getServerErrorMessage().getConstraint())
                            .endsWith(Schema.EVENT_ID_INDEX_SUFFIX);
        }
    }

    /** The identity sequence of the events table, looked up once (after the schema exists). */
    private String sequenceName() {
        String name = sequenceName;
        if (name == null) {
            name = DatabaseCall.run(primary, "findSequence", config.defaultTimeout(), null, (operation, connection) -> {
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
                        + " has no identity sequence with a plain name (found " + name
                        + "); was it created by this library?");
            }
            sequenceName = name;
        }
        return name;
    }

    SqlCache<String> sqlCache() {
        return appendStatements;
    }

    long globalLockAppends() {
        return globalLockAppends.sum();
    }
}
