package io.dcbstore.simulator.bench;

import static io.dcbstore.library.PayloadKeys.BOOK_ID;
import static io.dcbstore.library.PayloadKeys.READER_ID;
import static io.dcbstore.library.PayloadKeys.TITLE;

import io.dcbstore.Consistency;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.ReadOptions;
import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.ReplicaStatus;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.cluster.EmbeddedStore;
import io.dcbstore.simulator.seed.LibrarySeeder;
import java.time.Duration;
import java.time.Instant;
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
@Command(
        name = "bench-replica",
        mixinStandardHelpOptions = true,
        description = "Benchmark reads from the replica vs the primary under append load, and the replication lag.")
public final class ReplicaBenchmark implements Callable<Integer> {
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

    @Option(
            names = "--append-threads",
            defaultValue = "2",
            description = "threads appending on the primary meanwhile (default ${DEFAULT-VALUE})")
    int appendThreads;

    @Override
    public Integer call() throws Exception {
        ConnectedStore.Options pools =
                ConnectedStore.Options.of("bench", queryThreads + appendThreads + 2, queryThreads + 2);
        try (EmbeddedStore embedded =
                EmbeddedStore.withReplica(ServerSettings.primary("1GB"), ServerSettings.replica("1GB"), pools)) {
            PostgresEventStore store = embedded.connected().store();
            LibrarySeeder.Plan plan = LibrarySeeder.Plan.ofTotal(events, books, readers);
            Duration seeding = embedded.connected().seed(plan, written -> {}).took();
            System.out.printf(
                    Locale.ROOT,
                    "# Replica benchmark, %s%nSeed: %,d events in %.1f s; %d query threads, %d append threads on the"
                            + " primary meanwhile, %d s per run; embedded primary + streaming replica, durable settings.%n%n",
                    Instant.now(),
                    plan.events(),
                    seeding.toNanos() / 1e9,
                    queryThreads,
                    appendThreads,
                    duration);
            embedded.cluster().awaitStreaming(Duration.ofSeconds(60));
            System.out.println(
                    "| round | reads from | queries/s | p50 / p99 ms | appends/s meanwhile | replication lag p50 / max ms | lag max bytes |");
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
        double[] lags =
                lagMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(
                Locale.ROOT,
                "| %d | %s | %,.0f | %.2f / %.2f | %,.0f | %.0f / %.0f | %,d |%n",
                round,
                options.consistency() == Consistency.EVENTUAL ? "replica (EVENTUAL)" : "primary (STRONG)",
                queries.perSecond(),
                latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0,
                appended.perSecond(),
                lags.length == 0 ? 0 : lags[lags.length / 2],
                lags.length == 0 ? 0 : lags[lags.length - 1],
                maxLagBytes[0]);
    }

    private void query(PostgresEventStore store, ReadOptions options, ThreadLocalRandom random) {
        store.query(
                Filter.anyOf(FilterItem.types(StoreBenchmark.QUERY_TYPES)
                        .anyOf(
                                PayloadPredicate.eq(BOOK_ID, "book-" + random.nextLong(books)),
                                PayloadPredicate.eq(READER_ID, "reader-" + random.nextLong(readers)))),
                options);
    }

    private static void appendLend(PostgresEventStore store, ThreadLocalRandom random) {
        String book = "rbook-" + random.nextLong(1, Long.MAX_VALUE);
        Filter boundary = Filter.anyOf(
                FilterItem.types(BookCopyAddedToCirculation.TYPE).allOf(PayloadPredicate.eq(BOOK_ID, book)));
        store.append(boundary, 0, Event.of(BookCopyAddedToCirculation.TYPE, Map.of(BOOK_ID, book, TITLE, "t")));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
