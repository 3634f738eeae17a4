package io.dcbstore.simulator.bench;

import static io.dcbstore.library.PayloadKeys.BOOK_ID;
import static io.dcbstore.library.PayloadKeys.READER_ID;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.LibraryEvent.ReaderRegistered;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.cluster.EmbeddedStore;
import io.dcbstore.simulator.seed.LibrarySeeder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the store next to pgbench running the reference's SQL on the same database, in the same
 * run: the conditional append at N writers, the query of one book's and one reader's events
 * (single-threaded latency and 4-thread throughput), and the race on contested boundaries that
 * shows the reference's double appends. Prints a Markdown report; asserts nothing.
 */
@Command(
        name = "bench-store",
        mixinStandardHelpOptions = true,
        description = "Benchmark the event store against pgbench with the reference's SQL on the same database.")
public final class StoreBenchmark implements Callable<Integer> {
    static final String[] QUERY_TYPES = {
        BookCopyAddedToCirculation.TYPE, BookCopyLentToReader.TYPE, BookCopyReturnedByReader.TYPE, ReaderRegistered.TYPE
    };
    static final String[] APPEND_TYPES = {
        BookCopyAddedToCirculation.TYPE, BookCopyLentToReader.TYPE, BookCopyReturnedByReader.TYPE
    };

    @Option(names = "--events", defaultValue = "1000000", description = "events to seed (default ${DEFAULT-VALUE})")
    long events;

    @Option(
            names = "--books",
            defaultValue = "200000",
            description = "book copies in the seed (default ${DEFAULT-VALUE})")
    long books;

    @Option(names = "--readers", defaultValue = "50000", description = "readers in the seed (default ${DEFAULT-VALUE})")
    long readers;

    @Option(
            names = "--duration",
            defaultValue = "15",
            description = "seconds per measurement (default ${DEFAULT-VALUE})")
    int duration;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description = "alternating rounds of ours vs pgbench (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--writers", defaultValue = "8", description = "concurrent appenders (default ${DEFAULT-VALUE})")
    int writers;

    @Option(
            names = "--query-threads",
            defaultValue = "4",
            description = "threads for query throughput (default ${DEFAULT-VALUE})")
    int queryThreads;

    @Option(
            names = "--pgbench",
            defaultValue = "pgbench",
            description = "pgbench executable (default ${DEFAULT-VALUE})")
    String pgbenchExecutable;

    @Option(
            names = "--shared-buffers",
            defaultValue = "1GB",
            description = "primary shared_buffers (default ${DEFAULT-VALUE})")
    String sharedBuffers;

    @Option(
            names = "--gin-seconds",
            defaultValue = "40",
            description = "seconds per GIN fastupdate on/off run, 0 to skip (default ${DEFAULT-VALUE})")
    int ginSeconds;

    @Option(
            names = "--wide-seconds",
            defaultValue = "10",
            description =
                    "seconds per run of appends with 10 vs 70 payload fields, 0 to skip (default ${DEFAULT-VALUE})")
    int wideSeconds;

    @Option(
            names = "--telemetry-seconds",
            defaultValue = "10",
            description =
                    "seconds per run of the metrics-and-tracing on/off comparison (0: skip) (default ${DEFAULT-VALUE})")
    int telemetrySeconds;

    @Option(names = "--telemetry-only", description = "run only the metrics-and-tracing comparison (after seeding)")
    boolean telemetryOnly;

    @Option(
            names = "--append-variants-seconds",
            defaultValue = "0",
            description = "seconds per run of the comparison of appends with and without notifications and event ids;"
                    + " 0 skips it (default ${DEFAULT-VALUE})")
    int appendVariantsSeconds;

    @Option(
            names = "--wal-compression-seconds",
            defaultValue = "0",
            description = "seconds per run of the comparison of appends with wal_compression off and pglz, each run"
                    + " after a CHECKPOINT; 0 skips it (default ${DEFAULT-VALUE})")
    int walCompressionSeconds;

    @Override
    public Integer call() throws Exception {
        Path scripts = Pgbench.extractReferenceScripts();
        ConnectedStore.Options pools = ConnectedStore.Options.of("bench", Math.max(writers, queryThreads) + 2);
        try (EmbeddedStore embedded = EmbeddedStore.primaryOnly(ServerSettings.primary(sharedBuffers), pools)) {
            PostgresEventStore store = embedded.connected().store();
            HikariDataSource pool = embedded.connected().primaryPool();
            EmbeddedPostgres server = embedded.cluster().primary();
            line("# Store benchmark, %s", Instant.now());
            line(
                    "Machine: %d cores, %s; PostgreSQL embedded (settings: ServerSettings.primary(%s), durable).",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                    sharedBuffers);
            seed(embedded.connected());
            Pgbench pgbench =
                    new Pgbench(pgbenchExecutable, "127.0.0.1", server.port(), EmbeddedPostgres.USER, "postgres");
            boolean withPgbench = pgbench.available();
            if (!withPgbench) {
                line(
                        "pgbench not found (%s): only our figures are printed. Install postgresql-client.",
                        pgbenchExecutable);
            }
            if (!telemetryOnly) {
                appendBenchmark(store, pgbench, withPgbench, scripts);
                lockingOptions(pgbench, withPgbench, scripts);
                queryBenchmark(store, pgbench, withPgbench, scripts);
                RaceBenchmark.run(store, pool, writers, withPgbench ? pgbench : null, scripts);
            }
            if (telemetrySeconds > 0) {
                TelemetryBenchmark.run(
                        pool,
                        writers,
                        queryThreads,
                        telemetrySeconds,
                        rounds,
                        target -> random -> appendNewBook(target, random),
                        target -> random -> queryBookAndReader(target, random));
            }
            if (appendVariantsSeconds > 0) {
                AppendVariantsBenchmark.run(
                        pool,
                        writers,
                        appendVariantsSeconds,
                        rounds,
                        (target, ids) -> random -> appendNewBook(target, random, ids));
            }
            if (walCompressionSeconds > 0 && !telemetryOnly) {
                WalCompressionBenchmark.run(
                        pool, writers, walCompressionSeconds, rounds, random -> appendNewBook(store, random));
            }
            if (wideSeconds > 0 && !telemetryOnly) {
                WideEventsBenchmark.run(store, writers, wideSeconds);
            }
            if (ginSeconds > 0 && !telemetryOnly) {
                ginPendingList(store, pool);
            }
        }
        return 0;
    }

    private void seed(ConnectedStore connected) throws Exception {
        LibrarySeeder.Plan plan = LibrarySeeder.Plan.ofTotal(events, books, readers);
        Duration took = connected
                .seed(plan, written -> System.err.printf("\rseeded %,d events", written))
                .took();
        System.err.println();
        line(
                "Seed: %,d events (%,d books, %,d readers, %,d lending cycles) in %.1f s, checkpoint included.",
                plan.events(), plan.books(), plan.readers(), plan.lendingCycles(), took.toNanos() / 1e9);
    }

    private void appendBenchmark(PostgresEventStore store, Pgbench pgbench, boolean withPgbench, Path scripts)
            throws Exception {
        line("");
        line("## Conditional append of a new book's first event, %d writers, %d s per run", writers, duration);
        LoadLoop.run(writers, 5, random -> appendNewBook(store, random));
        line(
                "| round | ours (appends/s) | ours p50 / p99 / p99.9 ms | pgbench append.sql (tps) | pgbench p50 / p99 / p99.9 ms | ours / pgbench |");
        line("|---|---|---|---|---|---|");
        List<Double> ratios = new ArrayList<>();
        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            LoadLoop.Result result = LoadLoop.run(writers, duration, random -> appendNewBook(store, random));
            ours.add(result.perSecond());
            if (withPgbench) {
                Pgbench.Result reference = pgbench.run(scripts.resolve("append.sql"), writers, duration);
                theirs.add(reference.tps());
                ratios.add(result.perSecond() / reference.tps());
                line(
                        "| %d | %,.0f | %s | %,.0f | %s | %.2f |",
                        round,
                        result.perSecond(),
                        percentiles(result.latencyMicros()),
                        reference.tps(),
                        percentiles(reference.latencyMicros()),
                        result.perSecond() / reference.tps());
            } else {
                line("| %d | %,.0f | %s | - | - | - |", round, result.perSecond(), percentiles(result.latencyMicros()));
            }
        }
        line(
                "Median: ours %,.0f/s, pgbench %s/s, ratio %s.",
                Medians.of(ours),
                theirs.isEmpty() ? "-" : String.format(Locale.ROOT, "%,.0f", Medians.of(theirs)),
                ratios.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f", Medians.of(ratios)));
    }

    static void appendNewBook(PostgresEventStore store, ThreadLocalRandom random) {
        appendNewBook(store, random, false);
    }

    /** A conditional append of a new book's first event; with a random event id when asked. */
    private static void appendNewBook(PostgresEventStore store, ThreadLocalRandom random, boolean withId) {
        String book = "nbook-" + random.nextLong(1, Long.MAX_VALUE);
        Filter boundary = Filter.anyOf(FilterItem.types(APPEND_TYPES).allOf(PayloadPredicate.eq(BOOK_ID, book)));
        store.append(
                boundary,
                0,
                Event.of(
                                BookCopyAddedToCirculation.TYPE,
                                Map.of(
                                        BOOK_ID,
                                        book,
                                        READER_ID,
                                        "reader-" + random.nextInt(50_000),
                                        "Title",
                                        "t",
                                        "Author",
                                        "a"))
                        .withMetadata("{\"MessageID\": \"m\"}")
                        .withId(withId ? new UUID(random.nextLong(), random.nextLong()) : null));
    }

    /** The reference's other ways to make the append safe, on the same database: two advisory locks, one global lock. */
    private void lockingOptions(Pgbench pgbench, boolean withPgbench, Path scripts) throws Exception {
        if (!withPgbench) {
            return;
        }
        line("");
        line(
                "## Other designs for a safe append, as pgbench scripts on the same database (%d clients, %d s)",
                writers, duration);
        line("| design | tps | p50 / p99 / p99.9 ms |");
        line("|---|---|---|");
        for (String[] design : new String[][] {
            {"append.sql", "lock-free CTE (the reference; unsafe)"},
            {"append_lock2.sql", "two advisory locks in an explicit transaction"},
            {"append_global.sql", "one global advisory lock"}
        }) {
            Pgbench.Result result = pgbench.run(scripts.resolve(design[0]), writers, duration);
            line("| %s | %,.0f | %s |", design[1], result.tps(), percentiles(result.latencyMicros()));
        }
    }

    /**
     * The payload index with the GIN pending list on (PostgreSQL's default) and off (ours): the
     * throughput of every second, to show the stalls when the pending list is flushed.
     */
    private void ginPendingList(PostgresEventStore store, HikariDataSource pool) throws Exception {
        line("");
        line("## GIN fastupdate: conditional appends per second over %d s, %d writers", ginSeconds, writers);
        line(
                "| payload index | appends/s (mean) | worst second | seconds under 10%% of the mean | p99 / p99.9 / max ms |");
        line("|---|---|---|---|---|");
        for (String setting : new String[] {"on", "off"}) {
            try (Connection connection = pool.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("ALTER INDEX events_payload_idx SET (fastupdate = " + setting + ")");
                statement.execute("VACUUM events");
            }
            LoadLoop.Result result = LoadLoop.run(writers, ginSeconds, random -> appendNewBook(store, random));
            double mean = result.perSecond();
            long stalled = Arrays.stream(result.countsPerSecond())
                    .filter(count -> count < mean / 10)
                    .count();
            line(
                    "| fastupdate = %s | %,.0f | %,d | %d | %.1f / %.1f / %.1f |",
                    setting,
                    mean,
                    result.worstSecond(),
                    stalled,
                    result.latencyMicros().getValueAtPercentile(99) / 1000.0,
                    result.latencyMicros().getValueAtPercentile(99.9) / 1000.0,
                    result.latencyMicros().getMaxValue() / 1000.0);
        }
    }

    private void queryBenchmark(PostgresEventStore store, Pgbench pgbench, boolean withPgbench, Path scripts)
            throws Exception {
        line("");
        line("## Query of one book's and one reader's events (4 types, BookID OR ReaderID), %d s per run", duration);
        line("| run | ours | pgbench query.sql | ours / pgbench |");
        line("|---|---|---|---|");
        LoadLoop.run(1, 3, random -> queryBookAndReader(store, random));
        for (int round = 1; round <= rounds; round++) {
            LoadLoop.Result single = LoadLoop.run(1, duration, random -> queryBookAndReader(store, random));
            String singleReference = "-";
            String singleRatio = "-";
            if (withPgbench) {
                Pgbench.Result reference = pgbench.run(scripts.resolve("query.sql"), 1, duration);
                singleReference = "p50/p99/p99.9 " + percentiles(reference.latencyMicros()) + " ms, "
                        + String.format(Locale.ROOT, "%,.0f/s", reference.tps());
                singleRatio = String.format(
                        Locale.ROOT,
                        "p50 %.2f",
                        single.latencyMicros().getValueAtPercentile(50)
                                / (double) reference.latencyMicros().getValueAtPercentile(50));
            }
            line(
                    "| %d: 1 thread | p50/p99/p99.9 %s ms, %,.0f/s | %s | %s |",
                    round, percentiles(single.latencyMicros()), single.perSecond(), singleReference, singleRatio);
            LoadLoop.Result parallel =
                    LoadLoop.run(queryThreads, duration, random -> queryBookAndReader(store, random));
            String parallelReference = "-";
            String parallelRatio = "-";
            if (withPgbench) {
                Pgbench.Result reference = pgbench.run(scripts.resolve("query.sql"), queryThreads, duration);
                parallelReference = String.format(Locale.ROOT, "%,.0f/s", reference.tps());
                parallelRatio = String.format(Locale.ROOT, "%.2f", parallel.perSecond() / reference.tps());
            }
            line(
                    "| %d: %d threads | %,.0f/s (p99 %.2f ms) | %s | %s |",
                    round,
                    queryThreads,
                    parallel.perSecond(),
                    parallel.latencyMicros().getValueAtPercentile(99) / 1000.0,
                    parallelReference,
                    parallelRatio);
        }
    }

    private void queryBookAndReader(PostgresEventStore store, ThreadLocalRandom random) {
        queryBookAndReader(store, random, books, readers);
    }

    /** The query of one seeded book's and one seeded reader's events, both picked at random. */
    static void queryBookAndReader(PostgresEventStore store, ThreadLocalRandom random, long books, long readers) {
        Filter filter = Filter.anyOf(FilterItem.types(QUERY_TYPES)
                .anyOf(
                        PayloadPredicate.eq(BOOK_ID, "book-" + random.nextLong(books)),
                        PayloadPredicate.eq(READER_ID, "reader-" + random.nextLong(readers))));
        store.query(filter);
    }

    static String percentiles(Histogram micros) {
        return String.format(
                Locale.ROOT,
                "%.2f / %.2f / %.2f",
                micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0,
                micros.getValueAtPercentile(99.9) / 1000.0);
    }

    private static void line(String format, Object... arguments) {
        BenchmarkOutput.line(format, arguments);
    }
}
