package io.dcbstore.simulator.metrics;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * One server's part of {@link ServerActivity}: its connection (opened again after a failure), the
 * activities seen running and not yet ended, and the checkpoint totals last read.
 */
final class ServerSampler {
    static final int QUERY_TIMEOUT_SECONDS = 2;
    private static final String RUNNING_CHECKPOINT = "checkpoint_running";

    /**
     * One query a second: the autovacuum workers, the oldest client transaction over a second old,
     * the checkpointer's wait event, each table's autovacuum and autoanalyze counts (a vacuum that
     * starts and ends between two samples is seen only there) and the checkpoint totals; {@code %s}
     * is the checkpoint totals' source.
     */
    private static final String SQL =
            "SELECT 'autovacuum', pid::text, query, extract(epoch FROM clock_timestamp() - query_start)::float8,"
                    + " 0::float8, 0::float8, 0::float8, 0::float8 FROM pg_stat_activity"
                    + " WHERE backend_type = 'autovacuum worker' AND query_start IS NOT NULL AND query <> ''"
                    + " UNION ALL (SELECT 'long_transaction', pid::text || ':' || xact_start::text,"
                    + " coalesce(state, '') || ': ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 80),"
                    + " extract(epoch FROM clock_timestamp() - xact_start)::float8, 0, 0, 0, 0 FROM pg_stat_activity"
                    + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
                    + " AND xact_start < clock_timestamp() - interval '1 second' ORDER BY xact_start LIMIT 1)"
                    + " UNION ALL SELECT 'checkpointer', pid::text, coalesce(wait_event_type || '/' || wait_event, ''), 0, 0, 0, 0, 0"
                    + " FROM pg_stat_activity WHERE backend_type = 'checkpointer'"
                    + " UNION ALL SELECT 'table_totals', schemaname || '.' || relname, '', 0, autovacuum_count::float8,"
                    + " autoanalyze_count::float8, coalesce(extract(epoch FROM clock_timestamp() - last_autovacuum), 0)::float8,"
                    + " coalesce(extract(epoch FROM clock_timestamp() - last_autoanalyze), 0)::float8 FROM pg_stat_user_tables"
                    + " UNION ALL SELECT 'checkpoint_totals', '', '', 0, %s";
    /** PostgreSQL 17 and later. */
    private static final String CHECKPOINTER_TOTALS =
            "(num_requested + restartpoints_req)::float8, buffers_written::float8,"
                    + " (write_time + sync_time)::float8, sync_time::float8 FROM pg_stat_checkpointer";
    /** Before PostgreSQL 17. */
    private static final String BGWRITER_TOTALS = "checkpoints_req::float8, buffers_checkpoint::float8,"
            + " (checkpoint_write_time + checkpoint_sync_time)::float8, checkpoint_sync_time::float8 FROM pg_stat_bgwriter";

    /** Something seen running, from its start to the last sample that saw it. */
    private record Running(String kind, String detail, long startNanos, long lastSeenNanos) {}

    /** The checkpoint totals: requested checkpoints, buffers written, write and sync time, sync time (ms). */
    private record Totals(double requested, double buffers, double busyMs, double syncMs) {}

    private final ServerActivity.Server server;
    private final ActivityLog log;
    private final Map<String, Running> running = new LinkedHashMap<>();
    private Connection connection;
    private boolean warned;
    private String sql;
    private Totals lastCheckpoint;
    /** Each table's autovacuum and autoanalyze counts at the last sample. */
    private final Map<String, double[]> tableCounts = new HashMap<>();
    /** Tables a worker was seen on since their counts last changed: their vacuum is recorded already. */
    private final Set<String> tablesSeenRunning = new HashSet<>();

    ServerSampler(ServerActivity.Server server, ActivityLog log) {
        this.server = server;
        this.log = log;
    }

    /** Runs the query once; on a failure, ends what was running and reconnects at the next sample. */
    synchronized void sample() {
        Set<String> seen = new HashSet<>();
        try {
            if (connection == null) {
                connect();
            }
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                long now = System.nanoTime();
                try (ResultSet rows = statement.executeQuery(sql)) {
                    while (rows.next()) {
                        row(rows, now, seen);
                    }
                }
            }
        } catch (SQLException e) {
            closeConnection();
            if (!warned) {
                // Once per server: a sampler that never works would otherwise only show as a window with nothing in it.
                warned = true;
                System.err.printf(
                        "%s's activity (autovacuum, checkpoints) not sampled: %s; trying again each second%n",
                        server.name(), e.getMessage());
            }
        }
        endUnseen(seen);
    }

    private void connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", server.user());
        properties.setProperty("password", server.password());
        properties.setProperty("connectTimeout", Integer.toString(QUERY_TIMEOUT_SECONDS));
        properties.setProperty("socketTimeout", Integer.toString(QUERY_TIMEOUT_SECONDS * 2));
        properties.setProperty("ApplicationName", "dcb-simulator-activity");
        connection = DriverManager.getConnection(server.jdbcUrl(), properties);
        connection.setAutoCommit(true);
        int version = connection.getMetaData().getDatabaseMajorVersion();
        sql = String.format(Locale.ROOT, SQL, version >= 17 ? CHECKPOINTER_TOTALS : BGWRITER_TOTALS);
    }

    private void row(ResultSet rows, long now, Set<String> seen) throws SQLException {
        String kind = rows.getString(1);
        String key = kind + ":" + rows.getString(2);
        String detail = rows.getString(3);
        long startNanos = now - (long) (rows.getDouble(4) * 1e9);
        switch (kind) {
            case "autovacuum" -> {
                String what = detail.startsWith("autovacuum: ") ? detail.substring("autovacuum: ".length()) : detail;
                String vacuumOrAnalyze = what.startsWith("ANALYZE") ? "autoanalyze" : "autovacuum";
                see(key + ":" + detail, vacuumOrAnalyze, what, startNanos, now, seen);
                Arrays.stream(what.split(" "))
                        .filter(word -> word.contains("."))
                        .findFirst()
                        .ifPresent(tablesSeenRunning::add);
            }
            case "table_totals" ->
                tableCounts(
                        rows.getString(2),
                        new double[] {rows.getDouble(5), rows.getDouble(6)},
                        now - (long) (rows.getDouble(7) * 1e9),
                        now - (long) (rows.getDouble(8) * 1e9));
            case "long_transaction" -> see(key, kind, "oldest client transaction, " + detail, startNanos, now, seen);
            case "checkpointer" -> {
                // Writing (paced, or waiting for the disk) or syncing: a checkpoint is running.
                if (detail.equals("Timeout/CheckpointWriteDelay") || detail.startsWith("IO/")) {
                    see(
                            RUNNING_CHECKPOINT,
                            "checkpoint",
                            "running (seen in the checkpointer's wait events)",
                            now,
                            now,
                            seen);
                }
            }
            default ->
                checkpointTotals(
                        new Totals(rows.getDouble(5), rows.getDouble(6), rows.getDouble(7), rows.getDouble(8)),
                        now,
                        seen);
        }
    }

    /**
     * A table whose autovacuum or autoanalyze count went up without a worker seen on it: it ran
     * between two samples, in less than a second; recorded when it ended.
     */
    private void tableCounts(String table, double[] counts, long lastVacuumNanos, long lastAnalyzeNanos) {
        double[] before = tableCounts.put(table, counts);
        if (before == null || (counts[0] <= before[0] && counts[1] <= before[1])) {
            return;
        }
        if (!tablesSeenRunning.remove(table)) {
            if (counts[0] > before[0]) {
                log.record(new Activity(
                        "autovacuum",
                        server.name(),
                        "VACUUM " + table + " (under a second)",
                        lastVacuumNanos,
                        lastVacuumNanos));
            }
            if (counts[1] > before[1]) {
                log.record(new Activity(
                        "autoanalyze",
                        server.name(),
                        "ANALYZE " + table + " (under a second)",
                        lastAnalyzeNanos,
                        lastAnalyzeNanos));
            }
        }
    }

    private void see(String key, String kind, String detail, long startNanos, long now, Set<String> seen) {
        seen.add(key);
        running.merge(
                key,
                new Running(kind, detail, startNanos, now),
                (earlier, later) -> new Running(earlier.kind(), earlier.detail(), earlier.startNanos(), now));
    }

    /** A checkpoint that finished since the last sample changed the write and sync time: it ran for that long. */
    private void checkpointTotals(Totals totals, long now, Set<String> seen) {
        if (lastCheckpoint != null && totals.busyMs() > lastCheckpoint.busyMs()) {
            double busyMs = totals.busyMs() - lastCheckpoint.busyMs();
            String what = server.name().equals("primary") ? "checkpoint" : "restartpoint";
            log.record(new Activity(
                    "checkpoint",
                    server.name(),
                    String.format(
                            Locale.ROOT,
                            "%s %s, %,.0f buffers written, write %.1f s, sync %.2f s",
                            totals.requested() > lastCheckpoint.requested() ? "requested" : "timed",
                            what,
                            totals.buffers() - lastCheckpoint.buffers(),
                            (busyMs - (totals.syncMs() - lastCheckpoint.syncMs())) / 1000,
                            (totals.syncMs() - lastCheckpoint.syncMs()) / 1000),
                    now - (long) (busyMs * 1e6),
                    now));
            running.remove(RUNNING_CHECKPOINT); // the finished one covers it
            seen.remove(RUNNING_CHECKPOINT);
        }
        if (lastCheckpoint == null || totals.busyMs() > lastCheckpoint.busyMs()) {
            lastCheckpoint = totals;
        }
    }

    private void endUnseen(Set<String> seen) {
        for (Iterator<Map.Entry<String, Running>> entries = running.entrySet().iterator(); entries.hasNext(); ) {
            Map.Entry<String, Running> entry = entries.next();
            if (!seen.contains(entry.getKey())) {
                record(entry.getValue());
                entries.remove();
            }
        }
    }

    private void record(Running activity) {
        log.record(new Activity(
                activity.kind(), server.name(), activity.detail(), activity.startNanos(), activity.lastSeenNanos()));
    }

    /** Records what is still running as ended now, and closes the connection. */
    synchronized void close() {
        running.values().forEach(this::record);
        running.clear();
        closeConnection();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing a broken connection: nothing to do.
            }
            connection = null;
        }
    }
}
