package io.dcbstore.simulator.growth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * What the events table takes and how old its oldest unfrozen transaction is, read on the primary.
 *
 * @param tableBytes the table's heap (with its TOAST), without indexes
 * @param indexBytes all its indexes
 * @param indexes each index's bytes, by name
 * @param frozenXidAge {@code age(relfrozenxid)} of the table: how far an anti-wraparound vacuum is
 * @param lastSequenceNumber the highest sequence number in the log
 * @param autovacuums autovacuum runs on the table since the server started
 * @param autoanalyzes autoanalyze runs on the table since the server started
 * @param pages the table's pages
 * @param allFrozenPages pages the visibility map marks all-frozen (an aggressive vacuum skips them),
 *     or -1 when the pg_visibility extension is not available
 */
public record Footprint(
        long tableBytes,
        long indexBytes,
        Map<String, Long> indexes,
        long frozenXidAge,
        long lastSequenceNumber,
        long autovacuums,
        long autoanalyzes,
        long pages,
        long allFrozenPages) {
    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** Copies the index map. */
    public Footprint {
        indexes = Map.copyOf(indexes);
    }

    /**
     * @param primary the primary
     * @param table the events table (a validated identifier)
     * @return the table's footprint now
     * @throws SQLException from the database
     */
    public static Footprint read(DataSource primary, String table) throws SQLException {
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        try (Connection connection = primary.getConnection()) {
            Map<String, Long> indexes = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT indexrelname, pg_relation_size(indexrelid) FROM pg_stat_user_indexes"
                            + " WHERE relid = ?::regclass ORDER BY indexrelname")) {
                statement.setString(1, table);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        indexes.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT pg_table_size(c.oid), pg_indexes_size(c.oid), age(c.relfrozenxid),"
                            + " coalesce(s.autovacuum_count, 0), coalesce(s.autoanalyze_count, 0)"
                            + " FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid"
                            + " WHERE c.oid = ?::regclass")) {
                statement.setString(1, table);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    long[] visibility = visibility(connection, table);
                    return new Footprint(
                            rows.getLong(1),
                            rows.getLong(2),
                            indexes,
                            rows.getLong(3),
                            lastSequenceNumber(connection, table),
                            rows.getLong(4),
                            rows.getLong(5),
                            visibility[0],
                            visibility[1]);
                }
            }
        }
    }

    /** The table's pages and those all-frozen, from pg_visibility when it can be installed (superuser). */
    private static long[] visibility(Connection connection, String table) throws SQLException {
        long pages;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_relation_size(?::regclass) / current_setting('block_size')::bigint")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                pages = rows.getLong(1);
            }
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement install = connection.prepareStatement("CREATE EXTENSION IF NOT EXISTS pg_visibility");
                PreparedStatement summary =
                        connection.prepareStatement("SELECT all_frozen FROM pg_visibility_map_summary(?::regclass)")) {
            install.execute();
            summary.setString(1, table);
            try (ResultSet rows = summary.executeQuery()) {
                rows.next();
                long frozen = rows.getLong(1);
                connection.commit();
                return new long[] {pages, frozen};
            }
        } catch (SQLException e) {
            // Not a superuser, or a build without contrib: the figure is left out.
            connection.rollback();
            return new long[] {pages, -1};
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static long lastSequenceNumber(Connection connection, String table) throws SQLException {
        try (PreparedStatement statement =
                        connection.prepareStatement("SELECT coalesce(max(sequence_number), 0) FROM " + table);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** @return the table and its indexes */
    public long totalBytes() {
        return tableBytes + indexBytes;
    }

    /**
     * @param directories data directories
     * @return the bytes of every regular file under them (what the servers take on disk, WAL included)
     */
    public static long bytesOnDisk(Iterable<Path> directories) {
        long total = 0;
        for (Path directory : directories) {
            try (Stream<Path> files = Files.walk(directory)) {
                total += files.filter(Files::isRegularFile)
                        .mapToLong(Footprint::sizeOrZero)
                        .sum();
            } catch (IOException e) {
                throw new UncheckedIOException("could not measure " + directory, e);
            }
        }
        return total;
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            // A WAL segment recycled or a temporary file removed while walking.
            return 0;
        }
    }
}
