package io.dcbstore.postgres.internal;

import io.dcbstore.AppendResult;
import io.dcbstore.CommitToken;
import io.dcbstore.EventIdConflictException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Recognises an append that was already stored under its event ids: a client re-sent it after an
 * unknown outcome (its connection died after the server committed). Asked only after an append
 * with ids failed its condition or hit the unique index of the ids, so appends pay nothing for it.
 */
final class ResentAppends {
    private final DataSource primary;
    private final Statements statements;

    ResentAppends(DataSource primary, Statements statements) {
        this.primary = primary;
        this.statements = statements;
    }

    /**
     * @param events the append's events, every one with an id
     * @param timeout the timeout of the look-up
     * @return the stored append's result when every id is stored, in order, as one whole append
     *     (no more, no fewer events), with the same types and payloads; empty when none is stored
     * @throws EventIdConflictException when some ids are stored, but not as this append
     */
    Optional<AppendResult> find(List<ParsedEvent> events, Duration timeout) {
        List<Stored> stored = DatabaseCall.run(primary, "findResentAppend", timeout, null, (operation, connection) -> {
            try (PreparedStatement statement = operation.prepare(connection, statements.storedUnderIds())) {
                bind(connection, statement, events);
                List<Stored> rows = new ArrayList<>(events.size());
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        long sequence = result.getLong(1);
                        rows.add(new Stored(result.wasNull() ? 0 : sequence, result.getBoolean(2), result.getLong(3)));
                    }
                }
                return rows;
            }
        });
        List<UUID> found = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            if (stored.get(i).sequenceNumber() > 0) {
                found.add(events.get(i).id());
            }
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (found.size() < events.size()) {
            throw new EventIdConflictException(
                    found,
                    "only " + found.size() + " of the append's " + events.size()
                            + " ids are stored: they were used by another append");
        }
        long first = stored.get(0).sequenceNumber();
        for (int i = 0; i < stored.size(); i++) {
            Stored row = stored.get(i);
            if (!row.same()) {
                throw new EventIdConflictException(
                        found,
                        "event " + i + " is stored at sequence number " + row.sequenceNumber()
                                + " with another type or payload");
            }
            if (row.sequenceNumber() != first + i) {
                throw new EventIdConflictException(found, "the ids are stored in another order or by several appends");
            }
        }
        long last = first + events.size() - 1;
        if (!isOneWholeAppend(first, last, timeout)) {
            throw new EventIdConflictException(
                    found, "the ids are stored as part of a larger append, or by several appends");
        }
        return Optional.of(new AppendResult(
                first, last, new CommitToken(last, stored.get(0).walPosition())));
    }

    private boolean isOneWholeAppend(long first, long last, Duration timeout) {
        return DatabaseCall.run(primary, "findResentAppend", timeout, null, (operation, connection) -> {
            try (PreparedStatement statement = operation.prepare(connection, statements.isOneWholeAppend())) {
                statement.setLong(1, first);
                statement.setLong(2, last);
                statement.setLong(3, first);
                statement.setLong(4, last);
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    return result.getBoolean(1);
                }
            }
        });
    }

    private static void bind(Connection connection, PreparedStatement statement, List<ParsedEvent> events)
            throws SQLException {
        statement.setArray(
                1,
                connection.createArrayOf(
                        "uuid", events.stream().map(ParsedEvent::id).toArray()));
        statement.setArray(
                2,
                connection.createArrayOf(
                        "text", events.stream().map(ParsedEvent::type).toArray()));
        statement.setArray(
                3,
                connection.createArrayOf(
                        "text", events.stream().map(ParsedEvent::payload).toArray()));
    }

    /** One id's row: where it is stored (0 for nowhere), whether as the same event, the WAL position now. */
    private record Stored(long sequenceNumber, boolean same, long walPosition) {}
}
