package io.dcbstore.simulator.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.ReadOptions;
import io.dcbstore.embedded.EmbeddedCluster;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.postgres.ReplicaStatus;
import io.dcbstore.simulator.seed.LibrarySeeder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Query throughput at N threads from the replica versus the primary while appends run on the
 * primary, and the replication lag under that load, on an embedded primary + streaming replica.
 */
@Command(name = "bench-replica", mixinStandardHelpOptions = true,
        description = "Benchmark reads from the replica vs the primary under append load, and the replication lag.")
public final class ReplicaBenchmark implements Callable<Integer> {
    private static final String[] QUERY_TYPES = {"BookCopyAddedToCirculation", "BookCopyLentToReader", "BookCopyReturnedByReader", "ReaderRegistered"};

    @Option(names = "--events", defaultValue = "1000000", description = "events to seed (default ${DEFAULT-VALUE})")
    long events;
    @Option(names = "--books", defaultValue = "200000", description = "book copies (default ${DEFAULT-VALUE})")
    long books;
    @Option(names = "--readers", defaultValue = "50000", description = "readers (default ${DEFAULT-VALUE})")
    long readers;
    @Option(names = "--duration", defaultValue = "20", description = "seconds per run (default ${DEFAULT-VALUE})")
    int duration;
    @Option(names = "--rounds", defaultValue = "3", description = "alternating rounds (default ${DEFAULT-VALUE})")
    int rounds;
    @Option(names = "--query-threads", defaultValue = "4", description = "query threads (default ${DEFAULT-VALUE})")
    int queryThreads;
    @Option(names = "--append-threads", defaultValue = "2", description = "threads appending on the primary meanwhile (default ${DEFAULT-VALUE})")
    int appendThreads;

    @Override
    public Integer call() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(1, ServerSettings.primary("1GB"), ServerSettings.replica("1GB"));
             HikariDataSource primary = PostgresEventStore.newPool("bench-primary", cluster.primary().jdbcUrl("postgres"),
                     EmbeddedPostgres.USER, "", queryThreads + appendThreads + 2);
             HikariDataSource replica = PostgresEventStore.newPool("bench-replica", cluster.replicas().get(0).jdbcUrl("postgres"),
                     EmbeddedPostgres.USER, "", queryThreads + 2);
             PostgresEventStore store = PostgresEventStore.builder(primary).replica("replica-1", replica)
                     .config(PostgresStoreConfig.defaults()).build()) {
            LibrarySeeder.Plan plan = LibrarySeeder.Plan.ofTotal(events, books, readers);
            long started = System.nanoTime();
            new LibrarySeeder(primary, "events").seed(plan, written -> { });
            System.out.printf(Locale.ROOT, "# Replica benchmark, %s%nSeed: %,d events in %.1f s; %d query threads, %d append threads on the"
                    + " primary meanwhile, %d s per run; embedded primary + streaming replica, durable settings.%n%n",
                    java.time.Instant.now(), plan.events(), (System.nanoTime() - started) / 1e9, queryThreads, appendThreads, duration);
            cluster.awaitStreaming(java.time.Duration.ofSeconds(60));
            System.out.println("| round | reads from | queries/s | p50 / p99 ms | appends/s meanwhile | replication lag p50 / max ms | lag max bytes |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (int round = 1; round <= rounds; round++) {
                for (ReadOptions options : List.of(ReadOptions.EVENTUAL, ReadOptions.STRONG)) {
                    measure(store, options, round);
                }
            }
            System.out.println();
            System.out.println("routing: " + store.routingStatistics());
        }
        return 0;
    }

    private void measure(PostgresEventStore store, ReadOptions options, int round) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        CompletableFuture<LoadLoop.Result> appends = CompletableFuture.supplyAsync(() -> {
            try {
                return LoadLoop.run(appendThreads, duration, random -> appendLend(store, random));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<Double> lagMillis = new ArrayList<>();
        long[] maxLagBytes = {0};
        CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> {
            while (running.get()) {
                for (ReplicaStatus status : store.replicaStatus()) {
                    lagMillis.add((double) Math.max(0, status.lagTime().toMillis()));
                    maxLagBytes[0] = Math.max(maxLagBytes[0], status.lagBytes());
                }
                sleep(100);
            }
        });
        LoadLoop.Result queries = LoadLoop.run(queryThreads, duration, random -> query(store, options, random));
        LoadLoop.Result appended = appends.get();
        running.set(false);
        sampler.get();
        Histogram latency = queries.latencyMicros();
        double[] lags = lagMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "| %d | %s | %,.0f | %.2f / %.2f | %,.0f | %.0f / %.0f | %,d |%n", round,
                options.consistency() == io.dcbstore.Consistency.EVENTUAL ? "replica (EVENTUAL)" : "primary (STRONG)",
                queries.perSecond(), latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
                appended.perSecond(), lags.length == 0 ? 0 : lags[lags.length / 2], lags.length == 0 ? 0 : lags[lags.length - 1],
                maxLagBytes[0]);
    }

    private void query(PostgresEventStore store, ReadOptions options, ThreadLocalRandom random) {
        store.query(Filter.anyOf(FilterItem.types(QUERY_TYPES).anyOf(
                PayloadPredicate.eq("BookID", "book-" + random.nextLong(books)),
                PayloadPredicate.eq("ReaderID", "reader-" + random.nextLong(readers)))), options);
    }

    private static void appendLend(PostgresEventStore store, ThreadLocalRandom random) {
        String book = "rbook-" + random.nextLong(1, Long.MAX_VALUE);
        Filter boundary = Filter.anyOf(FilterItem.types("BookCopyAddedToCirculation").allOf(PayloadPredicate.eq("BookID", book)));
        store.append(boundary, 0, Event.of("BookCopyAddedToCirculation", Map.of("BookID", book, "Title", "t")));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
