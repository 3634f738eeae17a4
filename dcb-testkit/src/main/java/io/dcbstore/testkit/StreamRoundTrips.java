package io.dcbstore.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Counts, as the server sees them, the round trips in which an open stream fetched its rows. The
 * stream's backend is the one backend of the test database with an open transaction (a cursor
 * lives in one); each fetch makes it active and then idle in transaction again, which moves its
 * {@code state_change}. A stream that loaded every row at once shows one round trip however many
 * events it is asked for; one read outside a transaction shows no open transaction at all.
 */
final class StreamRoundTrips implements AutoCloseable {
    private final Connection observer;
    private final PreparedStatement state;
    private final Set<String> fetches = new HashSet<>();

    private StreamRoundTrips(Connection observer, int pid) throws SQLException {
        this.observer = observer;
        this.state = observer.prepareStatement("SELECT state, state_change FROM pg_stat_activity WHERE pid = ?");
        state.setInt(1, pid);
    }

    /**
     * Finds the backend of the one stream now open on the test database.
     *
     * @return a watch on it; close it
     * @throws SQLException when the server cannot be asked
     */
    static StreamRoundTrips ofTheOpenStream() throws SQLException {
        Connection observer = TestDatabase.get().unpooled().getConnection();
        try (PreparedStatement open = observer.prepareStatement("SELECT pid FROM pg_stat_activity"
                        + " WHERE pid <> pg_backend_pid() AND datname = current_database()"
                        + " AND state = 'idle in transaction'");
                ResultSet rows = open.executeQuery()) {
            List<Integer> pids = new ArrayList<>();
            while (rows.next()) {
                pids.add(rows.getInt(1));
            }
            if (pids.size() != 1) {
                throw new AssertionError("the stream should hold the one open transaction of the database (a cursor"
                        + " needs one), found backends " + pids);
            }
            return new StreamRoundTrips(observer, pids.get(0));
        } catch (SQLException | RuntimeException | Error e) {
            observer.close();
            throw e;
        }
    }

    /**
     * Records the backend's state while the stream is open between two events: idle in its
     * transaction, since the last fetch.
     *
     * @throws SQLException when the server cannot be asked
     */
    void observe() throws SQLException {
        try (ResultSet rows = state.executeQuery()) {
            if (!rows.next() || !"idle in transaction".equals(rows.getString(1))) {
                throw new AssertionError("the open stream's backend is no longer idle in its transaction");
            }
            fetches.add(rows.getString(2));
        }
    }

    /** @return the round trips seen: distinct ends of a fetch */
    int fetches() {
        return fetches.size();
    }

    @Override
    public void close() throws SQLException {
        observer.close();
    }
}
