package io.dcbstore.simulator;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.embedded.EmbeddedCluster;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.library.LibraryCommands;
import io.dcbstore.library.InvariantReport;
import io.dcbstore.library.LibraryInvariants;
import io.dcbstore.library.LibraryQueries;
import io.dcbstore.library.QuerySettings;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.postgres.ReplicaStatus;
import io.dcbstore.simulator.load.LoadGenerator;
import io.dcbstore.simulator.load.Measurements;
import io.dcbstore.simulator.load.TimedDataSource;
import io.dcbstore.simulator.load.TimedEventStore;
import io.dcbstore.simulator.load.Workload;
import io.dcbstore.simulator.report.ReportWriter;
import io.dcbstore.simulator.report.RunReport;
import io.dcbstore.simulator.seed.LibrarySeeder;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One simulation run: starts (or connects to) a primary and a replica, seeds the library, drives
 * it at the target rate (or ramps it with --find-max), reports, checks the invariants, and stops
 * everything it started.
 */
final class Simulation {
    private final SimulationConfig config;
    private final PrintStream out;

    Simulation(SimulationConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** @return the process exit code: 0, or 1 when an invariant is violated */
    int run() throws Exception {
        EmbeddedCluster cluster = null;
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            String primaryUrl = config.primaryUrl();
            String replicaUrl = config.replicaUrl();
            String user = config.user();
            String password = config.password();
            if (primaryUrl == null) {
                out.println("starting an embedded PostgreSQL primary and a streaming replica...");
                cluster = EmbeddedCluster.start(1, ServerSettings.primary("1GB"), ServerSettings.replica("512MB"));
                primaryUrl = cluster.primary().jdbcUrl("postgres");
                replicaUrl = cluster.replicas().get(0).jdbcUrl("postgres");
                user = EmbeddedPostgres.USER;
                password = "";
                out.printf("primary on port %d, replica on port %d%n", cluster.primary().port(), cluster.replicas().get(0).port());
            }
            HikariDataSource primaryPool = PostgresEventStore.newPool("sim-primary", primaryUrl, user, password, config.poolSize());
            resources.add(primaryPool);
            HikariDataSource replicaPool = null;
            if (replicaUrl != null) {
                replicaPool = PostgresEventStore.newPool("sim-replica", replicaUrl, user, password, config.poolSize());
                resources.add(replicaPool);
            }
            PostgresStoreConfig storeConfig = PostgresStoreConfig.defaults().withDefaultTimeout(config.timeout());
            PostgresEventStore.Builder builder = PostgresEventStore.builder(new TimedDataSource(primaryPool)).config(storeConfig);
            if (replicaPool != null) {
                builder.replica("replica-1", new TimedDataSource(replicaPool));
            }
            PostgresEventStore store = builder.build();
            resources.add(0, store);
            seedIfEmpty(primaryPool, storeConfig.eventsTable());
            return drive(store, primaryPool, replicaPool, storeConfig);
        } finally {
            for (AutoCloseable resource : resources) {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    // Best effort: everything we started is stopped below.
                }
            }
            if (cluster != null) {
                cluster.close();
                out.println("stopped the embedded primary and replica");
            }
        }
    }

    private void seedIfEmpty(HikariDataSource primary, String table) throws SQLException {
        long existing;
        try (Connection connection = primary.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM (SELECT 1 FROM " + table + " LIMIT 1) AS any_event")) {
            rows.next();
            existing = rows.getLong(1);
        }
        if (existing > 0) {
            out.printf("the event table already holds events: not seeding (ids book-0..%d and reader-0..%d are assumed)%n",
                    config.books() - 1, config.readers() - 1);
            return;
        }
        LibrarySeeder.Plan plan = LibrarySeeder.Plan.ofTotal(Math.max(config.events(), config.books() + config.readers()),
                config.books(), config.readers());
        long started = System.nanoTime();
        new LibrarySeeder(primary, table).seed(plan, written -> out.printf("\rseeding: %,d of %,d events", written, plan.events()));
        out.printf("%nseeded %,d events (%,d books, %,d readers, %,d lending cycles) in %.1f s%n", plan.events(), plan.books(),
                plan.readers(), plan.lendingCycles(), (System.nanoTime() - started) / 1e9);
    }

    private int drive(PostgresEventStore store, HikariDataSource primaryPool, HikariDataSource replicaPool, PostgresStoreConfig storeConfig)
            throws Exception {
        TimedEventStore timed = new TimedEventStore(store);
        LibraryCommands commands = LibraryCommands.create(timed);
        // Projections live in memory (each query reads only newer events); store snapshots serve cold
        // starts, so they are saved rarely: saving a multi-megabyte state inside a query costs ~0.5 s.
        LibraryQueries queries = LibraryQueries.create(timed, QuerySettings.defaults().withSnapshotAfterEvents(20_000)
                .withMaxStaleness(config.maxStaleness()));
        primeProjections(queries);
        settleHeap();
        Workload workload = new Workload(commands, queries, config.mix(), config.seed(), config.books(), config.readers());
        boolean statements = DatabaseTime.enable(primaryPool);
        if (!config.warmup().isZero()) {
            Duration ramp = config.warmup().multipliedBy(2).dividedBy(3);
            double from = config.rate() / 10;
            out.printf(Locale.ROOT, "warming up for %d s (not measured): %.0f -> %.0f req/s over %d s, then steady...%n",
                    config.warmup().toSeconds(), from, config.rate(), ramp.toSeconds());
            new LoadGenerator(workload, new Measurements(), config.workers(), config.timeout(), config.queuePolicy(), LoadGenerator.Clock.SYSTEM)
                    .run(from, config.rate(), ramp, config.warmup(), second -> { });
        }
        RunReport report;
        if (config.findMax()) {
            report = new FindMax(config, store, primaryPool, replicaPool, storeConfig, workload, out).run(statements);
        } else {
            report = new MeasuredRun(config, store, primaryPool, replicaPool, storeConfig, workload, out).run(config.rate(), config.duration(),
                    statements, queries);
        }
        ReportWriter.printSummary(report, out);
        ReportWriter.write(report, config.reportDirectory());
        out.printf("report written to %s (report.json, report.html)%n", config.reportDirectory().toAbsolutePath());
        return checkInvariants(store);
    }

    /** Builds the library-wide projections once, so that the first requests do not all replay the history at once. */
    private void primeProjections(LibraryQueries queries) {
        long started = System.nanoTime();
        queries.booksInCirculation(io.dcbstore.ReadOptions.STRONG.withTimeout(Duration.ofMinutes(5)));
        queries.booksLentOut(io.dcbstore.ReadOptions.STRONG.withTimeout(Duration.ofMinutes(5)));
        queries.registeredReaders(io.dcbstore.ReadOptions.STRONG.withTimeout(Duration.ofMinutes(5)));
        if (!config.maxStaleness().isZero()) {
            // Under bounded staleness, every reader's loans come from one shared projection: build it too.
            queries.booksLentByReader(io.dcbstore.library.ReaderId.of("reader-0"), io.dcbstore.ReadOptions.EVENTUAL.withTimeout(Duration.ofMinutes(5)));
        }
        out.printf(Locale.ROOT, "primed the library-wide projections in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /**
     * Collects the garbage of seeding and priming while nothing is measured. The primed
     * projections are hundreds of MB of live objects in the young generation; left alone, the
     * collector copies and compacts them during the warm-up and the first measured seconds
     * (measured: young pauses up to 1.4 s and full collections of 0.6-1.1 s), and at 1,000 req/s
     * on 2 cores the backlog of those pauses takes tens of seconds to drain.
     */
    private void settleHeap() {
        long started = System.nanoTime();
        System.gc();
        out.printf(Locale.ROOT, "settled the heap (full collection) in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    private int checkInvariants(PostgresEventStore store) {
        if (!config.checkInvariants()) {
            return 0;
        }
        out.println("checking the invariants from the event log...");
        InvariantReport result = LibraryInvariants.check(store);
        out.printf(Locale.ROOT, "invariants: %,d events read, %,d loans checked over %,d books and %,d readers: %s%n",
                result.eventsRead(), result.loansChecked(), result.books(), result.readers(),
                result.holds() ? "no violation" : result.violationCount() + " VIOLATIONS");
        result.violations().forEach(violation -> out.println("  " + violation));
        return result.holds() ? 0 : 1;
    }

    /** Replica lag for the live line and the timeline: the largest over replicas, in ms and bytes. */
    static double[] lag(PostgresEventStore store) {
        double ms = 0;
        double bytes = 0;
        for (ReplicaStatus status : store.replicaStatus()) {
            ms = Math.max(ms, Math.max(0, status.lagTime().toMillis()));
            bytes = Math.max(bytes, Math.max(0, status.lagBytes()));
        }
        return new double[] {ms, bytes};
    }

    /** @return the environment section of the report */
    static Map<String, Object> environment(SimulationConfig config, PostgresStoreConfig storeConfig) {
        Map<String, Object> environment = ReportWriter.section();
        environment.put("cores", Runtime.getRuntime().availableProcessors());
        environment.put("java", System.getProperty("java.version"));
        environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        environment.put("cluster", config.primaryUrl() == null ? "embedded primary + 1 streaming replica (ServerSettings.primary/replica)"
                : "external: " + config.primaryUrl() + (config.replicaUrl() == null ? "" : " + " + config.replicaUrl()));
        environment.put("workers", config.workers());
        environment.put("pool_size_per_node", config.poolSize());
        environment.put("timeout_ms", config.timeout().toMillis());
        environment.put("queue_policy", config.queuePolicy().name().toLowerCase(Locale.ROOT));
        environment.put("max_staleness_ms", config.maxStaleness().toMillis());
        environment.put("seed", config.seed());
        environment.put("books", config.books());
        environment.put("readers", config.readers());
        environment.put("seed_events", config.events());
        environment.put("mix", config.mix().toString());
        environment.put("store_timeout_ms", storeConfig.defaultTimeout().toMillis());
        environment.put("finished_at", Instant.now().toString());
        return environment;
    }
}
