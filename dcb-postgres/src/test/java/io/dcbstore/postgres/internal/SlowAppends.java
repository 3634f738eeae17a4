package io.dcbstore.postgres.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** What a slow append of another client does, by hand, for tests of the safe mark. */
final class SlowAppends {
    private SlowAppends() {}

    /**
     * Takes the next sequence number under the id lock (and a transaction id with it) and inserts
     * an event, on a connection with autocommit off; the caller commits (or aborts) it late.
     *
     * @param writer the connection; autocommit is turned off
     * @param table the events table
     * @param type the event type
     * @param payloadJson the payload, a JSON object without quotes to escape
     */
    static void takeASequenceNumber(Connection writer, String table, String type, String payloadJson)
            throws SQLException {
        writer.setAutoCommit(false);
        try (Statement statement = writer.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + Statements.ID_LOCK_CLASS + ", " + table.hashCode() + ")");
            statement.execute("INSERT INTO " + table + " (event_type, payload, occurred_at) VALUES ('" + type + "', '"
                    + payloadJson + "', now())");
            statement.execute("SELECT pg_advisory_unlock(" + Statements.ID_LOCK_CLASS + ", " + table.hashCode() + ")");
        }
    }
}
