package io.dcbstore.postgres.internal;

import io.dcbstore.Cancellation;
import io.dcbstore.CommitToken;
import io.dcbstore.EventStream;
import io.dcbstore.Filter;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.StoredEvent;
import io.dcbstore.postgres.PostgresStoreConfig;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The read path on any node: a query (isolation, timeout, the safe mark, the read up to it, in
 * one round trip), the visibility of a commit token, and streams over a server-side cursor.
 */
final class Reads {
    private final Statements statements;
    private final PostgresStoreConfig config;
    private final SafeMarks marks;

    /** The most sequence numbers one subscription page scans past its position. */
    static final long PAGE_WINDOW = 100_000;

    Reads(Statements statements, PostgresStoreConfig config) {
        this.statements = statements;
        this.config = config;
        this.marks = new SafeMarks(statements);
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
    Optional<QueryResult> query(DataSource source, Filter filter, ReadOptions options, Duration timeout) {
        CommitToken token = options.atLeast();
        WhereClause where = WhereClause.of(filter, true, config.indexedKeys());
        Read read = read(source, where, statements.read(where), token, 0, 0, timeout, options.cancellation());
        if (token != null && read.mark() < token.sequenceNumber()) {
            return Optional.empty();
        }
        List<StoredEvent> events = read.events();
        return Optional.of(new QueryResult(
                events,
                events.isEmpty()
                        ? filter.sequenceNumberAfter()
                        : events.get(events.size() - 1).sequenceNumber()));
    }

    /**
     * Reads a page of matching events for a subscription: at most {@code limit}, in order, up to
     * the safe mark, and at most {@link #PAGE_WINDOW} sequence numbers past the position.
     *
     * @param source the node to read from
     * @param filter what to read, with the position to read after
     * @param limit the most events to return
     * @param timeout the timeout of this read
     * @return the page
     */
    EventPage page(DataSource source, Filter filter, int limit, Duration timeout) {
        WhereClause where = WhereClause.of(filter, true, config.indexedKeys());
        long after = filter.sequenceNumberAfter();
        long upTo = after > Long.MAX_VALUE - PAGE_WINDOW ? Long.MAX_VALUE : after + PAGE_WINDOW;
        Read read = read(source, where, statements.readPage(where), null, upTo, limit, timeout, null);
        List<StoredEvent> events = read.events();
        if (events.size() >= limit) {
            return new EventPage(events, events.get(events.size() - 1).sequenceNumber(), true);
        }
        // Short of its limit: every match up to the mark (or the window's end) was returned, so
        // the next read starts there; when the mark lies beyond the window, more may follow at once.
        long scannedThrough = Math.max(after, Math.min(read.mark(), upTo));
        return new EventPage(events, scannedThrough, read.mark() > upTo);
    }

    private Read read(
            DataSource source,
            WhereClause where,
            String sql,
            CommitToken token,
            long upTo,
            int limit,
            Duration timeout,
            Cancellation cancellation) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Read read = DatabaseCall.run(
                    source,
                    "query",
                    DatabaseCall.timeLeft("query", deadline, timeout),
                    cancellation,
                    (operation, connection) -> {
                        try (PreparedStatement statement = operation.prepareServerTimed(connection, sql)) {
                            int index = 1;
                            statement.setString(index++, operation.serverTimeout());
                            statement.setString(
                                    index++,
                                    limit > 0 ? Statements.PAGE_PLAN_CACHE_MODE : Statements.planCacheMode(where));
                            statement.setString(index++, Statements.parallelWorkers(where));
                            index = marks.bind(connection, statement, index, source);
                            index = where.bind(connection, statement, index);
                            statement.setLong(index++, token == null ? 0 : token.sequenceNumber());
                            if (limit > 0) {
                                statement.setLong(index++, upTo);
                                statement.setInt(index, limit);
                            }
                            return operation.cancellable(statement, (op, c) -> readAll(source, statement), connection);
                        }
                    });
            if (!read.windowFull()) {
                return read;
            }
            // Far behind (a first read, or a burst of appends since the last one): walk on, then read again.
            marks.catchUp(source, deadline, timeout, cancellation);
        }
    }

    /** A read: its events, the safe mark it read up to, and whether the mark stopped only at the end of its window. */
    private record Read(List<StoredEvent> events, long mark, boolean windowFull) {}

    /**
     * Whether a commit token's event is visible on a node under the safe mark.
     *
     * @param source the node
     * @param token the token
     * @param timeout the timeout of this check
     * @return whether it is visible
     */
    boolean tokenVisible(DataSource source, CommitToken token, Duration timeout) {
        return marks.catchUp(source, System.nanoTime() + timeout.toNanos(), timeout, null) >= token.sequenceNumber();
    }

    private Read readAll(DataSource source, PreparedStatement statement) throws SQLException {
        statement.execute();
        DatabaseCall.skipResults(statement, 2);
        long mark;
        boolean windowFull;
        try (ResultSet marked = statement.getResultSet()) {
            marked.next();
            mark = marked.getLong(1);
            windowFull = marked.getBoolean(4);
            marks.advance(source, marked);
        }
        DatabaseCall.skipResults(statement, 1);
        List<StoredEvent> events = new ArrayList<>();
        try (ResultSet rows = statement.getResultSet()) {
            while (rows.next()) {
                events.add(toEvent(rows));
            }
        }
        return new Read(events, mark, windowFull);
    }

    /**
     * Streams matching events from a data source with a server-side cursor.
     *
     * @param source the node to read from
     * @param filter what to read
     * @param options cancellation
     * @param timeout the timeout of each round trip
     * @return the open stream
     */
    EventStream stream(DataSource source, Filter filter, ReadOptions options, Duration timeout) {
        WhereClause where = WhereClause.of(filter, true, config.indexedKeys());
        marks.catchUp(source, System.nanoTime() + timeout.toNanos(), timeout, options.cancellation());
        return DatabaseCall.open(source, "stream", timeout, options.cancellation(), (operation, connection) -> {
            connection.setAutoCommit(false);
            try (PreparedStatement marking = operation.prepare(connection, statements.mark())) {
                marks.bind(connection, marking, 1, source);
                // Cancellable like the cursor's query: it reads the events table and may wait for a lock too.
                operation.cancellable(
                        marking,
                        (op, c) -> {
                            try (ResultSet marked = marking.executeQuery()) {
                                marked.next();
                                marks.advance(source, marked);
                            }
                            return null;
                        },
                        connection);
            }
            PreparedStatement statement = operation.prepare(connection, statements.query(where));
            statement.setFetchSize(config.streamFetchSize());
            int index = where.bind(connection, statement, 1);
            statement.setLong(index, 0);
            ResultSet rows = operation.cancellable(statement, (op, c) -> statement.executeQuery(), connection);
            return new CursorEventStream(connection, statement, rows, operation);
        });
    }

    /** @return the event of the current row of a read */
    static StoredEvent toEvent(ResultSet rows) throws SQLException {
        return new StoredEvent(
                rows.getLong(1),
                rows.getString(2),
                rows.getString(3),
                rows.getString(4),
                rows.getObject(5, OffsetDateTime.class).toInstant(),
                rows.getObject(6, UUID.class));
    }
}
