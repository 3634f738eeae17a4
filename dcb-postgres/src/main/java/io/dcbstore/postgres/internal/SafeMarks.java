package io.dcbstore.postgres.internal;

import io.dcbstore.Cancellation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;

/**
 * The safe marks seen through each data source, one per server behind it, and the walk that
 * advances them (see {@link Statements#mark()} and the schema's {@code <events>_safe_mark}).
 */
final class SafeMarks {
    private final Statements statements;
    /** Per data source, per server (by start time), the highest safe mark seen there. */
    private final ConcurrentMap<DataSource, ConcurrentMap<Long, NodeMark>> marks = new ConcurrentHashMap<>();

    SafeMarks(Statements statements) {
        this.statements = statements;
    }

    /**
     * Runs mark statements until one stops before the end of its window, each bounded on the
     * server by what is left of the deadline and cancelled with the caller's handle.
     *
     * @return the last mark
     */
    long catchUp(DataSource source, long deadline, Duration timeout, Cancellation cancellation) {
        String sql = statements.catchUp();
        long[] last = new long[1];
        boolean more = true;
        while (more) {
            more = DatabaseCall.run(
                    source,
                    "mark",
                    DatabaseCall.timeLeft("mark", deadline, timeout),
                    cancellation,
                    (operation, connection) -> {
                        try (PreparedStatement statement = operation.prepareServerTimed(connection, sql)) {
                            statement.setString(1, operation.serverTimeout());
                            bind(connection, statement, 2, source);
                            return operation.cancellable(
                                    statement,
                                    (op, c) -> {
                                        statement.execute();
                                        DatabaseCall.skipResults(statement, 2);
                                        try (ResultSet rows = statement.getResultSet()) {
                                            rows.next();
                                            last[0] = rows.getLong(1);
                                            advance(source, rows);
                                            return rows.getBoolean(4);
                                        }
                                    },
                                    connection);
                        }
                    });
        }
        return last[0];
    }

    /**
     * Binds the mark statement's parameters: the marks known for this data source, by server.
     *
     * @return the index after the last parameter bound
     */
    int bind(Connection connection, PreparedStatement statement, int first, DataSource source) throws SQLException {
        Collection<NodeMark> known = knownMarks(source);
        statement.setArray(
                first,
                connection.createArrayOf(
                        "int8", known.stream().map(NodeMark::serverStart).toArray(Long[]::new)));
        statement.setArray(
                first + 1,
                connection.createArrayOf(
                        "int8", known.stream().map(NodeMark::mark).toArray(Long[]::new)));
        statement.setArray(
                first + 2,
                connection.createArrayOf(
                        "int8", known.stream().map(NodeMark::transactionId).toArray(Long[]::new)));
        return first + 3;
    }

    /**
     * A safe mark seen through a data source, the start time of the server process it was seen
     * on and the transaction id of the event at the mark: a mark holds only for that server's
     * history and that table, so the mark function only uses it on that server while the event
     * is still there.
     */
    private record NodeMark(long mark, long serverStart, long transactionId) {}

    /** A data source that leads to more servers than this (a misconfiguration) keeps only the newest marks. */
    private static final int MAX_SERVERS_PER_SOURCE = 16;

    /** @return the marks seen through a data source, one per server */
    private Collection<NodeMark> knownMarks(DataSource source) {
        ConcurrentMap<Long, NodeMark> known = marks.get(source);
        return known == null ? List.of() : List.copyOf(known.values());
    }

    /** Remembers a server's newer safe mark (a mark only grows on one server) from a mark statement's row. */
    void advance(DataSource source, ResultSet marked) throws SQLException {
        NodeMark seen = new NodeMark(marked.getLong(1), marked.getLong(2), marked.getLong(3));
        ConcurrentMap<Long, NodeMark> known = marks.computeIfAbsent(source, ignored -> new ConcurrentHashMap<>());
        if (known.size() >= MAX_SERVERS_PER_SOURCE && !known.containsKey(seen.serverStart())) {
            known.clear();
        }
        known.merge(seen.serverStart(), seen, (old, now) -> old.mark() < now.mark() ? now : old);
    }
}
