package io.dcbstore.postgres.internal;

import io.dcbstore.EventStream;
import io.dcbstore.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.NoSuchElementException;

/**
 * An {@link EventStream} over a server-side cursor: the driver fetches {@code streamFetchSize}
 * rows per round trip inside a read-only transaction, so memory stays bounded.
 */
final class CursorEventStream implements EventStream {
    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final DatabaseCall operation;
    private StoredEvent next;
    private long maxSequenceNumber;
    private boolean closed;

    CursorEventStream(Connection connection, PreparedStatement statement, ResultSet rows, DatabaseCall operation) {
        this.connection = connection;
        this.statement = statement;
        this.rows = rows;
        this.operation = operation;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (closed) {
            return false;
        }
        try {
            if (rows.next()) {
                next = Reads.toEvent(rows);
                return true;
            }
            close();
            return false;
        } catch (SQLException e) {
            close();
            throw operation.map(e);
        }
    }

    @Override
    public StoredEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the stream has no more events");
        }
        StoredEvent event = next;
        next = null;
        maxSequenceNumber = event.sequenceNumber();
        return event;
    }

    @Override
    public long maxSequenceNumberSoFar() {
        return maxSequenceNumber;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        DatabaseCall.closeQuietly(rows);
        DatabaseCall.closeQuietly(statement);
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // Read-only transaction: nothing to lose; the next operation restores autocommit anyway.
        }
        DatabaseCall.closeQuietly(connection);
    }
}
