package io.dcbstore.simulator.seed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Checkpoints after a bulk load, so that a run measured next does not pay for the load's pages.
 *
 * <p>A load of millions of events, and the freeze after it, leave gigabytes of dirty pages: in
 * {@code shared_buffers}, written out by the next checkpoint, and in the operating system's page
 * cache, flushed by that checkpoint's {@code fsync}s. Left alone, that checkpoint spreads over the
 * first minutes of the run ({@code checkpoint_completion_target}), and its writes compete with
 * the run's WAL flushes for the disk. A replica does the same at its next restartpoint, which a
 * {@code CHECKPOINT} on the standby starts once it has replayed the primary's checkpoint.
 */
public final class Checkpoints {
    /** PostgreSQL's {@code insufficient_privilege}: neither a superuser nor in {@code pg_checkpoint}. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private static final long REPLAY_WAIT_NANOS = 120_000_000_000L;

    private Checkpoints() {}

    /**
     * Starts a checkpoint and waits for it: the changes after it begin a new cycle of full-page images.
     *
     * @param server the server, connected as a superuser or a member of {@code pg_checkpoint}
     * @throws SQLException from the database
     */
    public static void checkpoint(DataSource server) throws SQLException {
        try (Connection connection = server.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
        }
    }

    /**
     * Checkpoints the primary, waits until the replica has replayed that checkpoint (at most two
     * minutes), then starts the replica's restartpoint.
     *
     * @param primary the primary
     * @param replica the replica, or {@code null} without one
     * @return false when the role may not checkpoint (then nothing was done); true when done
     * @throws SQLException from the database, other than a missing privilege
     */
    public static boolean afterLoad(DataSource primary, DataSource replica) throws SQLException {
        try {
            checkpoint(primary);
            if (replica != null) {
                awaitReplay(primary, replica);
                checkpoint(replica);
            }
            return true;
        } catch (SQLException e) {
            if (INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private static void awaitReplay(DataSource primary, DataSource replica) throws SQLException {
        String lsn;
        try (Connection connection = primary.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rows.next();
            lsn = rows.getString(1);
        }
        long deadline = System.nanoTime() + REPLAY_WAIT_NANOS;
        try (Connection connection = replica.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT coalesce(pg_last_wal_replay_lsn() >= ?::pg_lsn, true)")) {
            statement.setString(1, lsn);
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    if (rows.getBoolean(1)) {
                        return;
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
