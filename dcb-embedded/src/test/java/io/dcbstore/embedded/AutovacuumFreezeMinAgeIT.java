package io.dcbstore.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * An experiment on the embedded PostgreSQL 17 for the events table's
 * {@code autovacuum_freeze_min_age = 0} (schema.sql): two append-only tables, one with it and one
 * with the default, each filled in two rounds, each round followed by an insert-driven autovacuum
 * (threshold lowered so that a few thousand rows trigger it) after a checkpoint (as in production,
 * where the vacuum comes long after the pages were written). Then a vacuum made aggressive
 * ({@code vacuum_freeze_table_age = 0}, {@code vacuum_freeze_min_age = 0}: what the aggressive
 * vacuum does to these pages once they are older than 50M transactions). Prints the visibility
 * map, age(relfrozenxid) and the WAL each vacuum wrote.
 */
class AutovacuumFreezeMinAgeIT {
    private static final int TRANSACTIONS_PER_ROUND = 3_000;
    private static final int ROWS_PER_TRANSACTION = 10;

    record Figures(
            long pages,
            long allVisible,
            long allFrozen,
            long frozenXidAge,
            long walBytes,
            long fullPageImages,
            String vacuumLine) {}

    @Test
    void freezeMinAgeZeroFreezesOnTheInsertDrivenVacuumAndLeavesTheAggressiveOneNothing() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(ServerSettings.primary("128MB"));
        settings.put("fsync", "off"); // WAL volume does not depend on it; full_page_writes stays on
        settings.put("synchronous_commit", "off");
        settings.put("autovacuum_naptime", "1s");
        settings.put("autovacuum_vacuum_cost_delay", "0");
        settings.put("log_autovacuum_min_duration", "0");
        try (EmbeddedPostgres server = EmbeddedPostgres.start(settings);
                Connection connection =
                        DriverManager.getConnection(server.jdbcUrl("postgres"), EmbeddedPostgres.USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION pg_visibility");
            Map<String, Map<String, Figures>> results = new LinkedHashMap<>();
            for (String table : new String[] {"events_default", "events_freeze0"}) {
                String freeze = table.endsWith("freeze0") ? ", autovacuum_freeze_min_age = 0" : "";
                statement.execute("CREATE TABLE " + table
                        + " (sequence_number bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb NOT NULL)"
                        + " WITH (fillfactor = 100, autovacuum_enabled = false,"
                        + " autovacuum_vacuum_insert_threshold = 1000, autovacuum_vacuum_insert_scale_factor = 0,"
                        + " autovacuum_analyze_threshold = 2000000000" + freeze + ")");
                Map<String, Figures> phases = new LinkedHashMap<>();
                for (int round = 1; round <= 2; round++) {
                    insert(connection, table);
                    phases.put("insert-driven autovacuum " + round, autovacuum(server, statement, table, round));
                }
                phases.put("aggressive vacuum", aggressiveVacuum(statement, table));
                results.put(table, phases);
            }
            results.forEach((table, phases) ->
                    phases.forEach((phase, figures) -> System.out.printf("%s, after %s: %s%n", table, phase, figures)));

            Figures defaultFirst = results.get("events_default").get("insert-driven autovacuum 1");
            Figures defaultSecond = results.get("events_default").get("insert-driven autovacuum 2");
            Figures freezeFirst = results.get("events_freeze0").get("insert-driven autovacuum 1");
            Figures freezeSecond = results.get("events_freeze0").get("insert-driven autovacuum 2");
            // The default marks pages all-visible and freezes none (no checksums: no opportunistic freezing).
            // One page may be left out: on a loaded machine the vacuum can reach the last page while
            // it still holds the newest rows of a transaction that not every snapshot sees yet.
            assertThat(defaultSecond.allVisible()).isGreaterThanOrEqualTo(defaultSecond.pages() - 1);
            assertThat(defaultSecond.allFrozen()).isLessThan(defaultSecond.pages() / 10);
            // Freeze min age 0: every page all-frozen, and relfrozenxid advances on each insert-driven vacuum.
            assertThat(freezeSecond.allFrozen()).isGreaterThanOrEqualTo(freezeSecond.pages() * 99 / 100);
            assertThat(freezeSecond.frozenXidAge()).isLessThan(100);
            // The default froze nothing, so relfrozenxid stays at the table's first row.
            assertThat(defaultSecond.frozenXidAge()).isGreaterThan(2L * TRANSACTIONS_PER_ROUND - 100);
            // The aggressive vacuum: all the work for the default, nothing for freeze min age 0.
            assertThat(results.get("events_freeze0").get("aggressive vacuum").walBytes())
                    .isLessThan(results.get("events_default")
                                    .get("aggressive vacuum")
                                    .walBytes()
                            / 10);
            assertThat(defaultFirst.pages()).isPositive();
            assertThat(freezeFirst.pages()).isPositive();
        }
    }

    private static void insert(Connection connection, String table) throws Exception {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (int i = 0; i < TRANSACTIONS_PER_ROUND; i++) {
                statement.execute("INSERT INTO " + table + " (payload) SELECT jsonb_build_object('type', 'BookLent',"
                        + " 'book', 'book-' || g, 'reader', 'reader-' || (g * 7), 'pad', repeat('x', 120))"
                        + " FROM generate_series(1, " + ROWS_PER_TRANSACTION + ") g");
                connection.commit();
            }
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static Figures autovacuum(EmbeddedPostgres server, Statement statement, String table, int count)
            throws Exception {
        statement.execute("CHECKPOINT");
        long before = lsn(statement);
        statement.execute("ALTER TABLE " + table + " SET (autovacuum_enabled = true)");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (autovacuums(statement, table) < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no autovacuum of " + table + "\n" + server.logTail());
            }
            Thread.sleep(200);
        }
        statement.execute("ALTER TABLE " + table + " SET (autovacuum_enabled = false)");
        long wal = lsn(statement) - before;
        String line = logLine(server, table, count);
        return figures(statement, table, wal, fullPageImages(line), line);
    }

    private static Figures aggressiveVacuum(Statement statement, String table) throws Exception {
        statement.execute("CHECKPOINT");
        long before = lsn(statement);
        statement.execute("SET vacuum_freeze_table_age = 0");
        statement.execute("SET vacuum_freeze_min_age = 0");
        statement.execute("VACUUM (VERBOSE) " + table);
        StringBuilder verbose = new StringBuilder();
        for (SQLWarning warning = statement.getWarnings(); warning != null; warning = warning.getNextWarning()) {
            verbose.append(warning.getMessage()).append(' ');
        }
        statement.clearWarnings();
        statement.execute("RESET vacuum_freeze_table_age");
        statement.execute("RESET vacuum_freeze_min_age");
        long wal = lsn(statement) - before;
        String text = verbose.toString().replaceAll("\\s+", " ");
        return figures(statement, table, wal, fullPageImages(text), text);
    }

    private static Figures figures(Statement statement, String table, long wal, long fpi, String line)
            throws Exception {
        try (ResultSet rows = statement.executeQuery("SELECT pg_relation_size('" + table
                + "') / 8192, v.all_visible, v.all_frozen, age(c.relfrozenxid) FROM pg_class c,"
                + " pg_visibility_map_summary('" + table + "') v WHERE c.oid = '" + table + "'::regclass")) {
            rows.next();
            return new Figures(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4), wal, fpi, line);
        }
    }

    private static long autovacuums(Statement statement, String table) throws Exception {
        try (ResultSet rows = statement.executeQuery(
                "SELECT autovacuum_count FROM pg_stat_user_tables WHERE relname = '" + table + "'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static long lsn(Statement statement) throws Exception {
        try (ResultSet rows = statement.executeQuery("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The count-th "automatic vacuum" line of the table in the server's log, with its WAL usage. */
    private static String logLine(EmbeddedPostgres server, String table, int count) throws Exception {
        Path log = server.dataDirectory().resolveSibling(server.dataDirectory().getFileName() + ".log");
        for (int attempt = 0; attempt < 50; attempt++) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            String[] vacuums = text.split("automatic vacuum of table \"postgres\\.public\\." + table + "\"", -1);
            if (vacuums.length > count) {
                String tail = vacuums[count];
                int end = tail.indexOf("system usage");
                String entry = end < 0 ? tail : tail.substring(0, end);
                return entry.lines().map(String::trim).collect(Collectors.joining(" "));
            }
            Thread.sleep(100);
        }
        return "(no log line)";
    }

    private static long fullPageImages(String text) {
        java.util.regex.Matcher matcher =
                java.util.regex.Pattern.compile("(\\d+) full page images").matcher(text);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }
}
