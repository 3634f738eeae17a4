package io.dcbstore.simulator.bench;

import static io.dcbstore.simulator.bench.BenchmarkOutput.line;

import io.dcbstore.simulator.seed.Checkpoints;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the full-page images cost the conditional append, and what {@code wal_compression} wins back.
 * After a checkpoint, the first change of each page writes the whole page to the WAL, and a commit
 * waits for its WAL to be flushed; on a large log the appends touch more distinct index pages, so
 * more of them pay for a full page. Each round starts with a {@code CHECKPOINT}, so every setting
 * starts from the same point of the checkpoint cycle; the settings' order rotates from round to round.
 * The embedded binaries have no lz4 or zstd, so the compression measured is pglz.
 */
final class WalCompressionBenchmark {
    private static final List<String> SETTINGS = List.of("off", "pglz");

    private WalCompressionBenchmark() {}

    /**
     * @param primary the seeded primary, connected as a superuser (ALTER SYSTEM)
     * @param writers append threads
     * @param seconds seconds per run
     * @param rounds rounds (each runs every setting)
     * @param append the conditional append
     * @throws Exception when a run fails
     */
    static void run(DataSource primary, int writers, int seconds, int rounds, LoadLoop.Action append) throws Exception {
        line("");
        line(
                "## wal_compression: conditional appends, %d writers, %d s per run, each run after a CHECKPOINT,"
                        + " the order rotating from round to round",
                writers, seconds);
        line(
                "| round | wal_compression | appends/s | p50 / p99 / p99.9 ms | WAL bytes per append | full-page images per append |");
        line("|---|---|---|---|---|---|");
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, List<Double>> p99 = new LinkedHashMap<>();
        try {
            for (int round = 1; round <= rounds; round++) {
                for (int k = 0; k < SETTINGS.size(); k++) {
                    String setting = SETTINGS.get((k + round - 1) % SETTINGS.size());
                    set(primary, setting);
                    Checkpoints.checkpoint(primary);
                    WalCounters before = WalCounters.read(primary);
                    LoadLoop.Result result = LoadLoop.run(writers, seconds, append);
                    WalCounters wal = WalCounters.read(primary).since(before);
                    rates.computeIfAbsent(setting, name -> new ArrayList<>()).add(result.perSecond());
                    p99.computeIfAbsent(setting, name -> new ArrayList<>())
                            .add(result.latencyMicros().getValueAtPercentile(99) / 1000.0);
                    line(
                            "| %d | %s | %,.0f | %s | %,.0f | %.2f |",
                            round,
                            setting,
                            result.perSecond(),
                            StoreBenchmark.percentiles(result.latencyMicros()),
                            wal.bytes() / (double) Math.max(1, result.operations()),
                            wal.fullPageImages() / (double) Math.max(1, result.operations()));
                }
            }
        } finally {
            execute(primary, "ALTER SYSTEM RESET wal_compression");
            execute(primary, "SELECT pg_reload_conf()");
        }
        double base = Medians.of(rates.get(SETTINGS.get(0)));
        double baseP99 = Medians.of(p99.get(SETTINGS.get(0)));
        for (String setting : SETTINGS) {
            double rate = Medians.of(rates.get(setting));
            double settingP99 = Medians.of(p99.get(setting));
            line(
                    "wal_compression = %s: median %,.0f appends/s (%.3f of off), median p99 %.2f ms (%.2f of off).",
                    setting, rate, rate / base, settingP99, settingP99 / baseP99);
        }
    }

    /** Sets the compression for every session: ALTER SYSTEM, a reload, and a wait for backends to read it. */
    private static void set(DataSource primary, String setting) throws SQLException, InterruptedException {
        execute(primary, "ALTER SYSTEM SET wal_compression = '" + setting + "'");
        execute(primary, "SELECT pg_reload_conf()");
        Thread.sleep(500);
    }

    private static void execute(DataSource primary, String sql) throws SQLException {
        try (Connection connection = primary.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
