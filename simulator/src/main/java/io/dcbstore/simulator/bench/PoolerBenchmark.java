package io.dcbstore.simulator.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.embedded.EmbeddedPgBouncer;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresPools;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.cluster.EmbeddedStore;
import io.dcbstore.simulator.seed.LibrarySeeder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What a pooler in transaction mode costs the store (issue 18), in one session on one seeded
 * embedded primary: the conditional append at N writers and the boundary query at N threads,
 * measured on three stores over the same tables, round after round in turn: directly with pgjdbc's
 * default {@code prepareThreshold} (5: named statements after five executions), directly with
 * {@code prepareThreshold=0} (planned at every execution, as behind PgBouncer), and through a
 * PgBouncer in transaction mode with {@code prepareThreshold=0}.
 */
@Command(
        name = "bench-pooler",
        mixinStandardHelpOptions = true,
        description = "Benchmark the append and the query directly vs through PgBouncer in transaction mode"
                + " (needs the system's pgbouncer), and what prepareThreshold=0 costs.")
public final class PoolerBenchmark implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "1000000", description = "events to seed (default ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--books", defaultValue = "200000", description = "book copies (default ${DEFAULT-VALUE})")
    long books;

    @Option(names = "--readers", defaultValue = "50000", description = "readers (default ${DEFAULT-VALUE})")
    long readers;

    @Option(names = "--duration", defaultValue = "10", description = "seconds per round (default ${DEFAULT-VALUE})")
    int duration;

    @Option(names = "--rounds", defaultValue = "3", description = "rounds of each (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--writers", defaultValue = "8", description = "concurrent appenders (default ${DEFAULT-VALUE})")
    int writers;

    @Option(
            names = "--query-threads",
            defaultValue = "4",
            description = "concurrent queries (default ${DEFAULT-VALUE})")
    int queryThreads;

    /** One way of reaching the server, and the figures measured through it. */
    private record Path(
            String name, PostgresEventStore store, List<StoreProbe.Figures> appends, List<StoreProbe.Figures> queries) {
        Path(String name, PostgresEventStore store) {
            this(name, store, new ArrayList<>(), new ArrayList<>());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (duration < 1 || rounds < 1 || writers < 1 || queryThreads < 1) {
            throw new IllegalArgumentException("--duration, --rounds, --writers and --query-threads must be positive");
        }
        int poolSize = Math.max(writers, queryThreads) + 2;
        ConnectedStore.Options options = ConnectedStore.Options.of("bench", poolSize);
        List<AutoCloseable> opened = new ArrayList<>();
        try (EmbeddedStore embedded = EmbeddedStore.primaryOnly(ServerSettings.primary("1GB"), options)) {
            EmbeddedPostgres server = embedded.cluster().primary();
            LibrarySeeder.Plan plan = LibrarySeeder.Plan.ofTotal(events, books, readers);
            Duration seeding = embedded.connected().seed(plan, written -> {}).took();
            EmbeddedPgBouncer bouncer = EmbeddedPgBouncer.start(
                    server.port(), EmbeddedPostgres.USER, EmbeddedPgBouncer.transactionMode(poolSize, false));
            opened.add(bouncer);
            PostgresStoreConfig config = embedded.connected().storeConfig();
            List<Path> paths = List.of(
                    new Path(
                            "direct, prepareThreshold 5 (pgjdbc's default)",
                            embedded.connected().store()),
                    new Path(
                            "direct, prepareThreshold 0",
                            store(opened, server.jdbcUrl("postgres") + "?prepareThreshold=0", poolSize, config)),
                    new Path(
                            "PgBouncer 1.18, transaction mode, prepareThreshold 0",
                            store(opened, bouncer.jdbcUrl("postgres"), poolSize, config)));
            System.out.printf(
                    Locale.ROOT,
                    "# Pooler benchmark, %s%nSeed: %,d events in %.1f s. Machine: %d cores, %s; embedded PostgreSQL"
                            + " primary (ServerSettings.primary(1GB), durable); PgBouncer pid %d in transaction mode with"
                            + " %d server connections; pools of %d; %d writers, %d query threads, %d rounds of %d s, in turn.%n%n",
                    Instant.now(),
                    plan.events(),
                    seeding.toNanos() / 1e9,
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                    bouncer.pid(),
                    poolSize,
                    poolSize,
                    writers,
                    queryThreads,
                    rounds,
                    duration);
            for (int round = 0; round < rounds; round++) {
                for (Path path : paths) {
                    path.appends().add(StoreProbe.appends(path.store(), writers, duration, 1));
                    path.queries().add(StoreProbe.queries(path.store(), queryThreads, duration, 1, books, readers));
                }
            }
            print(paths);
        } finally {
            for (int i = opened.size() - 1; i >= 0; i--) {
                opened.get(i).close();
            }
        }
        return 0;
    }

    private static PostgresEventStore store(
            List<AutoCloseable> opened, String url, int poolSize, PostgresStoreConfig config) {
        HikariDataSource pool =
                PostgresPools.newPool("bench-" + opened.size(), url, EmbeddedPostgres.USER, "", poolSize);
        opened.add(pool);
        PostgresEventStore store = PostgresEventStore.create(pool, config);
        opened.add(store);
        return store;
    }

    private void print(List<Path> paths) {
        System.out.println(
                "| path | appends/s | append p50 / p99 ms | queries/s | query p50 / p99 ms | appends/s, queries/s vs the first |");
        System.out.println("|---|---|---|---|---|---|");
        double baseAppends = median(paths.get(0).appends(), StoreProbe.Figures::perSecond);
        double baseQueries = median(paths.get(0).queries(), StoreProbe.Figures::perSecond);
        for (Path path : paths) {
            double appends = median(path.appends(), StoreProbe.Figures::perSecond);
            double queries = median(path.queries(), StoreProbe.Figures::perSecond);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %,.0f | %.2f / %.2f | %,.0f | %.2f / %.2f | %.2f, %.2f |%n",
                    path.name(),
                    appends,
                    median(path.appends(), StoreProbe.Figures::p50Ms),
                    median(path.appends(), StoreProbe.Figures::p99Ms),
                    queries,
                    median(path.queries(), StoreProbe.Figures::p50Ms),
                    median(path.queries(), StoreProbe.Figures::p99Ms),
                    appends / baseAppends,
                    queries / baseQueries);
        }
        System.out.println();
        System.out.println("Medians over the rounds; each round ran every path in turn on the same tables.");
    }

    private static double median(
            List<StoreProbe.Figures> figures, java.util.function.ToDoubleFunction<StoreProbe.Figures> figure) {
        List<Double> values = new ArrayList<>();
        figures.forEach(f -> values.add(figure.applyAsDouble(f)));
        return Medians.of(values);
    }
}
