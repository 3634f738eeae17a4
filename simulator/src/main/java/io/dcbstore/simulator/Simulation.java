package io.dcbstore.simulator;

import io.dcbstore.library.CommandSettings;
import io.dcbstore.library.LibraryCommands;
import io.dcbstore.library.LibraryFollower;
import io.dcbstore.library.LibraryQueries;
import io.dcbstore.library.ObservedLibrary;
import io.dcbstore.library.QuerySettings;
import io.dcbstore.simulator.chaos.Chaos;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.load.TimedEventStore;
import io.dcbstore.simulator.load.Workload;
import io.dcbstore.simulator.metrics.MetricsEndpoint;
import io.dcbstore.simulator.metrics.Observability;
import io.dcbstore.simulator.metrics.RunMonitor;
import io.dcbstore.simulator.metrics.SimulatorMeters;
import io.dcbstore.simulator.metrics.Tracing;
import io.dcbstore.simulator.report.ConsoleSummary;
import io.dcbstore.simulator.report.ReportWriter;
import io.dcbstore.simulator.report.RunReport;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One simulation run: starts (or connects to) a primary and a replica, seeds the library, drives
 * it at the target rate (or ramps it with --find-max), reports, checks the invariants, and stops
 * everything it started. Each step is its own class; this one puts them in order.
 */
final class Simulation {
    private final SimulationConfig config;
    private final PrintStream out;
    private final Consumer<ConnectedStore> beforeChecks;

    Simulation(SimulationConfig config, PrintStream out) {
        this(config, out, servers -> {});
    }

    /**
     * A test seam, not for users: {@code beforeChecks} runs on the store after the measured run
     * (and the chaos schedule) and before the append audit and the invariant check, so that a test
     * can break the log as a fault would and see the checks fail.
     *
     * @param config the run's configuration
     * @param out where the run prints
     * @param beforeChecks what to do to the store before the checks
     */
    Simulation(SimulationConfig config, PrintStream out, Consumer<ConnectedStore> beforeChecks) {
        this.config = config;
        this.out = out;
        this.beforeChecks = beforeChecks;
    }

    /** @return the process exit code: 0, or 1 when an invariant is violated */
    int run() throws Exception {
        MetricsEndpoint endpoint = config.metricsPort() > 0 ? new MetricsEndpoint(config.metricsPort()) : null;
        Tracing tracing = config.tracing() ? Tracing.dropping() : null;
        try {
            Observability observability = new Observability(
                    endpoint == null ? null : endpoint.registry(), tracing == null ? null : tracing.observations());
            SimulatorMeters meters = endpoint == null ? null : new SimulatorMeters(endpoint.registry());
            if (endpoint != null) {
                out.printf("metrics on http://localhost:%d/metrics%n", endpoint.port());
            }
            try (SimulationServers servers = SimulationServers.open(config, out, observability);
                    RunMonitor monitor = servers.monitor()) {
                HistorySeeding.seedIfEmpty(servers.connected(), config, out);
                Chaos chaos = config.chaos() == null ? null : ChaosSetup.create(config.chaos(), servers, out);
                return drive(servers.connected(), observability, meters, chaos, monitor);
            }
        } finally {
            if (tracing != null) {
                tracing.close();
            }
            if (endpoint != null) {
                endpoint.close();
            }
        }
    }

    private int drive(
            ConnectedStore servers,
            Observability observability,
            SimulatorMeters meters,
            Chaos chaos,
            RunMonitor monitor)
            throws Exception {
        RunReport report = load(servers, observability, meters, chaos, monitor);
        // A chaos run always checks the invariants: the faults must not have broken them.
        int invariants = config.checkInvariants() || chaos != null ? InvariantCheck.run(servers.store(), out) : 0;
        return chaos != null && !report.chaos().appendAudit().holds() ? 1 : invariants;
    }

    /**
     * Projections live in memory (each query reads only newer events); store snapshots serve cold
     * starts, so they are saved rarely, on a background thread.
     *
     * @param maxStaleness how old a cached projection may be to answer without a read
     * @param snapshotEvery events between two snapshots of a projection
     * @return the query settings of a simulation (also those of {@code bench-mix}'s sample)
     */
    static QuerySettings querySettings(Duration maxStaleness, int snapshotEvery) {
        return QuerySettings.defaults().withSnapshotAfterEvents(snapshotEvery).withMaxStaleness(maxStaleness);
    }

    /**
     * Drives the load on servers that are running and seeded (the measured run, or the find-max
     * steps), prints the summary and writes the report.
     *
     * @param servers the store and its pools
     * @param observability where the handlers record
     * @param meters where every finished request also goes, or null
     * @param chaos the faults to cause, or null
     * @param monitor what watches the servers and the JVM during the run
     * @return the run's report
     * @throws Exception when the run fails
     */
    RunReport load(
            ConnectedStore servers,
            Observability observability,
            SimulatorMeters meters,
            Chaos chaos,
            RunMonitor monitor)
            throws Exception {
        TimedEventStore timed = new TimedEventStore(
                chaos == null ? servers.store() : chaos.acknowledging(servers.store()), monitor.activities());
        LibraryCommands commands = ObservedLibrary.commands(
                timed,
                CommandSettings.defaults().withStorySnapshotsAfter(config.storySnapshots()),
                observability.meters(),
                observability.observations());
        LibraryQueries queries = ObservedLibrary.queries(
                timed,
                querySettings(config.maxStaleness(), config.snapshotEvery()),
                observability.meters(),
                observability.observations());
        ProjectionPriming.prime(queries, config.maxStaleness(), out);
        try (LibraryFollower follower = config.decisionStates() != 0
                ? LibraryFollower.start(timed, queries, commands, config.decisionStates())
                : config.follow() ? LibraryFollower.start(timed, queries) : null) {
            if (follower != null && config.decisionStates() == 0) {
                out.println("one follower of the log keeps the library-wide projections current");
            } else if (follower != null) {
                out.printf(
                        "commands decide from up to %,d states kept current by one follower of the log%n",
                        config.decisionStates());
            }
            return measure(servers, commands, queries, meters, chaos, monitor);
        }
    }

    private RunReport measure(
            ConnectedStore servers,
            LibraryCommands commands,
            LibraryQueries queries,
            SimulatorMeters meters,
            Chaos chaos,
            RunMonitor monitor)
            throws Exception {
        HeapSettling.settle(out);
        Workload workload =
                new Workload(commands, queries, config.mix(), config.seed(), config.books(), config.readers());
        RunSetup setup = new RunSetup(
                config, servers, workload, DatabaseTime.enable(servers.primaryPool()), out, meters, chaos, monitor);
        WarmUp.run(setup);
        RunReport report = config.findMax()
                ? new FindMax(setup).run()
                : new MeasuredRun(setup).run(config.rate(), config.duration());
        beforeChecks.accept(servers);
        if (chaos != null) {
            out.println("checking every acknowledged append against the log...");
            report = report.withChaos(report.chaos().withAppendAudit(chaos.audit(servers.store())));
        }
        ConsoleSummary.print(report, out);
        ReportWriter.write(report, config.reportDirectory());
        out.printf(
                "report written to %s (report.json, report.html)%n",
                config.reportDirectory().toAbsolutePath());
        return report;
    }
}
