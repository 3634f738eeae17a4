package io.dcbstore.simulator.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A primary's write-ahead log counters ({@code pg_stat_wal}) and its checkpoints so far: what a
 * period of appends wrote to the WAL, and how much of it was full-page images (the first change of
 * each page after a checkpoint writes the whole 8 kB page).
 *
 * @param records WAL records written
 * @param fullPageImages full-page images written
 * @param bytes WAL bytes written
 * @param checkpoints checkpoints started (timed and requested)
 */
public record WalCounters(long records, long fullPageImages, long bytes, long checkpoints) {
    /** PostgreSQL 17 moved the checkpoint counters from {@code pg_stat_bgwriter} to {@code pg_stat_checkpointer}. */
    private static final int CHECKPOINTER_VIEW_SINCE = 170000;

    /**
     * Backends report their WAL counters when a transaction ends or they go idle, at most once a
     * second ({@code PGSTAT_MIN_INTERVAL}); a read first waits that long for the last reports.
     */
    private static final long REPORT_INTERVAL_MILLIS = 1_100;

    /**
     * @param primary the primary (PostgreSQL 14 or later: {@code pg_stat_wal})
     * @return the counters once the work done before the call has been reported
     * @throws SQLException from the database
     * @throws InterruptedException when interrupted while waiting for the reports
     */
    public static WalCounters read(DataSource primary) throws SQLException, InterruptedException {
        Thread.sleep(REPORT_INTERVAL_MILLIS);
        try (Connection connection = primary.getConnection();
                Statement statement = connection.createStatement()) {
            String checkpoints = connection.getMetaData().getDatabaseMajorVersion() * 10000 >= CHECKPOINTER_VIEW_SINCE
                    ? "(SELECT num_timed + num_requested FROM pg_stat_checkpointer)"
                    : "(SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter)";
            try (ResultSet rows = statement.executeQuery(
                    "SELECT wal_records, wal_fpi, wal_bytes::bigint, " + checkpoints + " FROM pg_stat_wal")) {
                rows.next();
                return new WalCounters(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4));
            }
        }
    }

    /**
     * @param earlier the counters at the start of a period
     * @return what was written during the period
     */
    public WalCounters since(WalCounters earlier) {
        return new WalCounters(
                records - earlier.records,
                fullPageImages - earlier.fullPageImages,
                bytes - earlier.bytes,
                checkpoints - earlier.checkpoints);
    }
}
