package io.dcbstore.simulator.growth;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A server's block reads of the current database ({@code pg_stat_database}): found in
 * {@code shared_buffers} (hits) or read from the operating system (its page cache or the disk).
 *
 * @param hits blocks found in shared buffers
 * @param reads blocks read from the operating system
 */
public record BlockCounters(long hits, long reads) {
    /**
     * @param server a primary or a standby (standbys keep these counters for their own reads)
     * @return the counters now
     * @throws SQLException from the database
     */
    public static BlockCounters read(DataSource server) throws SQLException {
        try (Connection connection = server.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT blks_hit, blks_read FROM pg_stat_database WHERE datname = current_database()")) {
            rows.next();
            return new BlockCounters(rows.getLong(1), rows.getLong(2));
        }
    }

    /**
     * @param earlier the counters at the start of a period
     * @return the share of block reads served from shared buffers during the period, or NaN when
     *     there were none
     */
    public double hitRatioSince(BlockCounters earlier) {
        long hit = hits - earlier.hits;
        long total = hit + reads - earlier.reads;
        return total <= 0 ? Double.NaN : hit / (double) total;
    }
}
