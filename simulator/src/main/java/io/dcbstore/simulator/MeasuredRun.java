package io.dcbstore.simulator;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.postgres.RoutingStatistics;
import io.dcbstore.postgres.StatementStatistics;
import io.dcbstore.simulator.chaos.Chaos;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.load.Measurements;
import io.dcbstore.simulator.load.Outcome;
import io.dcbstore.simulator.load.RequestKind;
import io.dcbstore.simulator.metrics.RunMonitor;
import io.dcbstore.simulator.report.ChaosReport;
import io.dcbstore.simulator.report.DatabaseTimeReport;
import io.dcbstore.simulator.report.Figures;
import io.dcbstore.simulator.report.OperationReport;
import io.dcbstore.simulator.report.PacingDelay;
import io.dcbstore.simulator.report.RoutingReport;
import io.dcbstore.simulator.report.RunReport;
import io.dcbstore.simulator.report.SnapshotsReport;
import io.dcbstore.simulator.report.Steadiness;
import io.dcbstore.simulator.report.TimelinePoint;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Drives the workload at one rate for one duration and turns the measurements into a {@link RunReport},
 * with its 10-second windows, what ran in each besides the requests, and the CPU each process used.
 */
final class MeasuredRun {
    private final RunSetup setup;

    MeasuredRun(RunSetup setup) {
        this.setup = setup;
    }

    RunReport run(double rate, Duration duration) {
        ConnectedStore servers = setup.servers();
        if (setup.statementTimes()) {
            DatabaseTime.reset(servers.primaryPool());
            if (servers.replicaPool() != null) {
                DatabaseTime.reset(servers.replicaPool());
            }
        }
        Measurements measurements = new Measurements();
        RoutingStatistics routingBefore = servers.store().routingStatistics();
        TimelineSampler timeline =
                new TimelineSampler(servers, measurements, rate, new LiveLine(setup.out(), duration));
        Instant startedAt = Instant.now();
        setup.out()
                .printf(
                        Locale.ROOT,
                        "running at %.0f req/s for %d s with %d workers...%n",
                        rate,
                        duration.toSeconds(),
                        setup.config().workers());
        try (RunMonitor.Run monitoring = setup.monitor().begin()) {
            long started = monitoring.startNanos();
            Chaos.Run chaos = setup.chaos() == null
                    ? null
                    : setup.chaos().begin(measurements, started, setup.config().timeout());
            ChaosReport outages;
            try {
                setup.loadGenerator(measurements).run(rate, duration, timeline::sample);
            } finally {
                outages = chaos == null ? null : chaos.end();
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            measurements.closeInterval();
            Measurements.Totals overall = measurements.overall();
            RunMonitor.Observed observed = monitoring.end(overall.requests() - overall.count(Outcome.SHED));
            Steadiness steadiness = Steadiness.of(
                    timeline.windows().windowSeconds(),
                    observed.windows(timeline.windows().windows()));
            RunReport report = report(
                            startedAt, rate, duration, elapsed, measurements, timeline.points(), routingBefore)
                    .withWindowsAndCpu(steadiness, observed.cpu());
            return outages == null ? report : report.withChaos(outages);
        }
    }

    private RunReport report(
            Instant startedAt,
            double rate,
            Duration duration,
            double elapsed,
            Measurements measurements,
            List<TimelinePoint> timeline,
            RoutingStatistics routingBefore) {
        ConnectedStore servers = setup.servers();
        PostgresStoreConfig storeConfig = servers.storeConfig();
        DatabaseTime.Groups primary = statementGroups(servers.primaryPool(), storeConfig);
        DatabaseTime.Groups replica = servers.replicaPool() == null
                ? DatabaseTime.Groups.NONE
                : statementGroups(servers.replicaPool(), storeConfig);
        Map<RequestKind, Measurements.Totals> totals = measurements.totals();
        ExecutionPerCall perCall = ExecutionPerCall.of(primary, replica, totals.values());
        Figures overall = perCall.figures(measurements.overall());
        Map<String, OperationReport> operations = new LinkedHashMap<>();
        long scheduled = Math.max(1, overall.requests());
        totals.forEach((operation, figures) -> {
            Figures own = perCall.figures(figures);
            // Each scheduled request has one operation, so its share of the schedule is its share of the target.
            operations.put(
                    operation.key(),
                    new OperationReport(
                            rate * own.requests() / scheduled,
                            (own.requests() - own.shed()) / Math.max(1e-9, elapsed),
                            elapsed,
                            own));
        });
        // Requests are scheduled over the run's duration; the drain after it (waiting for the last
        // ones, up to a few timeouts) is not sending time, so the achieved rate is over the duration.
        double achieved = (overall.requests() - overall.shed()) / (double) duration.toSeconds();
        double maxLag = timeline.stream()
                .mapToDouble(TimelinePoint::replicationLagMs)
                .max()
                .orElse(0);
        DatabaseTimeReport databaseTime =
                new DatabaseTimeReport(primary.report(), servers.replicaPool() == null ? null : replica.report());
        return new RunReport(
                startedAt.toString(),
                rate,
                achieved,
                elapsed,
                overall,
                measurements.lateStarts() + overall.shed(),
                measurements.lateStarts(),
                pacingDelay(measurements.pacingDelay()),
                maxLag,
                operations,
                databaseTime,
                routing(routingBefore),
                new SnapshotsReport(setup.workload().queries().snapshotStatistics()),
                Environment.describe(setup.config(), storeConfig),
                null,
                null,
                null,
                null,
                timeline);
    }

    private static DatabaseTime.Groups statementGroups(HikariDataSource node, PostgresStoreConfig storeConfig) {
        return DatabaseTime.read(node, storeConfig.eventsTable(), storeConfig.snapshotsTable());
    }

    private static PacingDelay pacingDelay(Histogram micros) {
        return new PacingDelay(
                micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0,
                LatencyMillis.max(micros),
                micros.getMean() / 1000.0);
    }

    private RoutingReport routing(RoutingStatistics before) {
        RoutingStatistics after = setup.servers().store().routingStatistics();
        // The store's SQL cache by filter shape (bounded) and appends that took the global lock, since the store
        // started.
        StatementStatistics statements = setup.servers().store().statementStatistics();
        return new RoutingReport(
                after.primaryReads() - before.primaryReads(),
                after.replicaReads() - before.replicaReads(),
                after.fallbacks() - before.fallbacks(),
                Math.round(statements.sqlCacheHitRate() * 10_000) / 10_000.0,
                statements.sqlCacheSize(),
                statements.globalLockAppends());
    }
}
