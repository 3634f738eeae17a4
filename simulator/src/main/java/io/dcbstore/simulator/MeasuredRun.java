package io.dcbstore.simulator;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.library.LibraryQueries;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.postgres.RoutingStatistics;
import io.dcbstore.simulator.load.LoadGenerator;
import io.dcbstore.simulator.load.Measurements;
import io.dcbstore.simulator.load.RequestKind;
import io.dcbstore.simulator.load.Outcome;
import io.dcbstore.simulator.load.Workload;
import io.dcbstore.simulator.report.OperationReport;
import io.dcbstore.simulator.report.ReportWriter;
import io.dcbstore.simulator.report.RunReport;
import io.dcbstore.simulator.report.TimelinePoint;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Drives the workload at one rate for one duration and turns the measurements into a {@link RunReport}. */
final class MeasuredRun {
    private final SimulationConfig config;
    private final PostgresEventStore store;
    private final HikariDataSource primaryPool;
    private final HikariDataSource replicaPool;
    private final PostgresStoreConfig storeConfig;
    private final Workload workload;
    private final PrintStream out;

    MeasuredRun(SimulationConfig config, PostgresEventStore store, HikariDataSource primaryPool, HikariDataSource replicaPool,
                PostgresStoreConfig storeConfig, Workload workload, PrintStream out) {
        this.config = config;
        this.store = store;
        this.primaryPool = primaryPool;
        this.replicaPool = replicaPool;
        this.storeConfig = storeConfig;
        this.workload = workload;
        this.out = out;
    }

    RunReport run(double rate, Duration duration, boolean statements, LibraryQueries queries) {
        if (statements) {
            DatabaseTime.reset(primaryPool);
            if (replicaPool != null) {
                DatabaseTime.reset(replicaPool);
            }
        }
        Measurements measurements = new Measurements();
        RoutingStatistics routingBefore = store.routingStatistics();
        List<TimelinePoint> timeline = new ArrayList<>();
        Instant startedAt = Instant.now();
        long started = System.nanoTime();
        out.printf(Locale.ROOT, "running at %.0f req/s for %d s with %d workers...%n", rate, duration.toSeconds(), config.workers());
        new LoadGenerator(workload, measurements, config.workers(), config.timeout(), config.queuePolicy(), LoadGenerator.Clock.SYSTEM)
                .run(rate, duration, second -> timeline.add(live(second, rate, measurements.closeInterval())));
        double elapsed = (System.nanoTime() - started) / 1e9;
        measurements.closeInterval();
        Map<String, Map<String, Object>> databaseTime = new LinkedHashMap<>();
        Map<String, DatabaseTime.Group> primaryGroups = DatabaseTime.read(primaryPool, storeConfig.eventsTable(), storeConfig.snapshotsTable());
        databaseTime.put("primary", asSection(primaryGroups));
        Map<String, DatabaseTime.Group> replicaGroups = replicaPool == null ? Map.of()
                : DatabaseTime.read(replicaPool, storeConfig.eventsTable(), storeConfig.snapshotsTable());
        if (replicaPool != null) {
            databaseTime.put("replica", asSection(replicaGroups));
        }
        Map<RequestKind, Measurements.Totals> totals = measurements.totals();
        Measurements.Totals overall = measurements.overall();
        double[] perCall = meanExecutionPerCall(primaryGroups, replicaGroups, totals);
        List<OperationReport> operations = new ArrayList<>();
        totals.forEach((operation, figures) -> operations.add(report(operation.key(), figures, perCall)));
        OperationReport all = report("all", overall, perCall);
        long finished = all.requests() - all.shed();
        double maxLag = timeline.stream().mapToDouble(TimelinePoint::replicationLagMs).max().orElse(0);
        // Requests are scheduled over the run's duration; the drain after it (waiting for the last
        // ones, up to a few timeouts) is not sending time, so the achieved rate is over the duration.
        double achieved = finished / (double) duration.toSeconds();
        return new RunReport(startedAt.toString(), rate, achieved, elapsed, all, operations, measurements.lateStarts(),
                timeline, databaseTime, routing(routingBefore), snapshots(queries), maxLag, Simulation.environment(config, storeConfig),
                List.of(), 0, measurements.pacingDelayMs());
    }

    private TimelinePoint live(int second, double rate, Measurements.Interval interval) {
        Histogram latency = interval.combined();
        double[] lag = Simulation.lag(store);
        Map<String, Long> byOperation = new LinkedHashMap<>();
        interval.outcomes().forEach((operation, counts) -> {
            long sum = java.util.Arrays.stream(counts).sum();
            if (sum > 0) {
                byOperation.put(operation.key(), sum);
            }
        });
        int primaryActive = primaryPool.getHikariPoolMXBean() == null ? 0 : primaryPool.getHikariPoolMXBean().getActiveConnections();
        int primaryTotal = primaryPool.getHikariPoolMXBean() == null ? 0 : primaryPool.getHikariPoolMXBean().getTotalConnections();
        int replicaActive = replicaPool == null || replicaPool.getHikariPoolMXBean() == null ? 0
                : replicaPool.getHikariPoolMXBean().getActiveConnections();
        int replicaTotal = replicaPool == null || replicaPool.getHikariPoolMXBean() == null ? 0
                : replicaPool.getHikariPoolMXBean().getTotalConnections();
        long shed = interval.count(Outcome.SHED);
        long backpressure = interval.lateStarts() + shed;
        long completed = interval.finished() - shed;
        TimelinePoint point = new TimelinePoint(second, rate, completed, byOperation, ms(latency, 50), ms(latency, 90),
                ms(latency, 99), latency.getMaxValue() / 1000.0, interval.count(Outcome.ERROR), interval.count(Outcome.TIMEOUT),
                interval.retries(), backpressure, lag[0], (long) lag[1], primaryActive, replicaActive);
        out.printf(Locale.ROOT, "[%4ds] target %5.0f/s achieved %5d/s | p50 %6.2f ms p99 %7.2f ms | errors %d timeouts %d conflicts %d"
                        + " backpressure %d (shed %d) | lag %.0f ms %,d B | pool primary %d/%d replica %d/%d%n",
                second, rate, completed, point.p50Ms(), point.p99Ms(), point.errors(), point.timeouts(), point.conflicts(),
                backpressure, shed, lag[0], (long) lag[1], primaryActive, primaryTotal, replicaActive, replicaTotal);
        return point;
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Mean database execution per store call: read, append, snapshot (both nodes; pg_stat_statements). */
    private static double[] meanExecutionPerCall(Map<String, DatabaseTime.Group> primary, Map<String, DatabaseTime.Group> replica,
                                                 Map<RequestKind, Measurements.Totals> totals) {
        double queries = 0;
        double appends = 0;
        double snapshots = 0;
        for (Measurements.Totals figures : totals.values()) {
            queries += figures.queriesPerRequest() * figures.requests();
            appends += figures.appendsPerRequest() * figures.requests();
            snapshots += figures.snapshotCallsPerRequest() * figures.requests();
        }
        return new double[] {exec(primary, replica, "read") / Math.max(1, queries), exec(primary, replica, "append") / Math.max(1, appends),
            exec(primary, replica, "snapshot") / Math.max(1, snapshots)};
    }

    private static double exec(Map<String, DatabaseTime.Group> primary, Map<String, DatabaseTime.Group> replica, String group) {
        double total = 0;
        if (primary.containsKey(group)) {
            total += primary.get(group).execMillis();
        }
        if (replica.containsKey(group)) {
            total += replica.get(group).execMillis();
        }
        return total;
    }

    private static OperationReport report(String name, Measurements.Totals figures, double[] perCall) {
        Histogram latency = figures.latency();
        double database = figures.queriesPerRequest() * perCall[0] + figures.appendsPerRequest() * perCall[1]
                + figures.snapshotCallsPerRequest() * perCall[2];
        double driver = Math.max(0, figures.meanStoreMs() - figures.meanPoolMs() - database);
        double application = Math.max(0, figures.meanLatencyMs() - figures.meanQueueMs() - figures.meanStoreMs());
        return new OperationReport(name, figures.requests(), figures.count(Outcome.OK), figures.count(Outcome.IDEMPOTENT),
                figures.count(Outcome.BUSINESS_FAILURE), figures.count(Outcome.ERROR), figures.count(Outcome.TIMEOUT),
                figures.count(Outcome.SHED), figures.retries(), ms(latency, 50), ms(latency, 90), ms(latency, 99), ms(latency, 99.9),
                latency.getMaxValue() / 1000.0, figures.meanLatencyMs(), figures.meanQueueMs(), figures.meanPoolMs(), database, driver,
                application);
    }

    private static Map<String, Object> asSection(Map<String, DatabaseTime.Group> groups) {
        Map<String, Object> section = ReportWriter.section();
        groups.forEach((group, figures) -> section.put(group, Map.of("calls", figures.calls(),
                "exec_ms", Math.round(figures.execMillis() * 10) / 10.0)));
        return section;
    }

    private Map<String, Object> routing(RoutingStatistics before) {
        RoutingStatistics after = store.routingStatistics();
        Map<String, Object> routing = ReportWriter.section();
        routing.put("primary_reads", after.primaryReads() - before.primaryReads());
        routing.put("replica_reads", after.replicaReads() - before.replicaReads());
        routing.put("fallbacks", after.fallbacks() - before.fallbacks());
        // The store's SQL cache by filter shape (bounded) and appends that took the global lock, since the store started.
        io.dcbstore.postgres.StatementStatistics statements = store.statementStatistics();
        routing.put("sql_cache_hit_rate", Math.round(statements.sqlCacheHitRate() * 10_000) / 10_000.0);
        routing.put("sql_cache_shapes", statements.sqlCacheSize());
        routing.put("global_lock_appends", statements.globalLockAppends());
        return routing;
    }

    private static Map<String, Object> snapshots(LibraryQueries queries) {
        Map<String, Object> section = ReportWriter.section();
        section.put("statistics", String.valueOf(queries.snapshotStatistics()));
        return section;
    }
}
