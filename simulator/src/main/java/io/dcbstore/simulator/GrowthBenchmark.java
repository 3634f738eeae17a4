package io.dcbstore.simulator;

import io.dcbstore.embedded.EmbeddedCluster;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.simulator.bench.StoreProbe;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.growth.BlockCounters;
import io.dcbstore.simulator.growth.Footprint;
import io.dcbstore.simulator.growth.GrowthSize;
import io.dcbstore.simulator.growth.HeapAfterGc;
import io.dcbstore.simulator.metrics.Observability;
import io.dcbstore.simulator.metrics.RunMonitor;
import io.dcbstore.simulator.report.GrowthReport;
import io.dcbstore.simulator.report.GrowthRow;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./simulate bench-growth}: how each cost grows with the log. For each size (1M, 10M and 50M
 * events by default) it starts a fresh embedded primary and replica, seeds the library, measures,
 * and removes the servers, so every size is measured in the same session on the same code: the
 * seeding time, what the table and its indexes take, the simulator's find-max with every query
 * reading and with queries answered within the staleness bound (each repeated, {@link GrowthFindMax}),
 * the conditional append and the
 * boundary query at fixed concurrency, the shared-buffers hit ratio on both servers, the JVM's heap
 * after full collections, and the events table's freeze age and autovacuum runs. One table, printed
 * and written with its curves after each size.
 */
@Command(
        name = "bench-growth",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "How each cost grows with the log: for each size, a fresh embedded primary and",
            "replica, seeded; then the simulator's find-max with every query reading and",
            "with --staleness (each --find-max-repeats times), the conditional append and the boundary query at fixed",
            "concurrency, table and index sizes, hit ratios, heap after GC and freeze age.",
            "Writes growth.md, growth.json and growth.html into --report-dir after each size.",
            "Takes the simulation's options for its find-max (--rate is the first step,",
            "--duration each step, 20s unless given, --warmup 10s unless given); the sizes",
            "set --events, --books and --readers. Refuses sizes the disk cannot hold."
        })
final class GrowthBenchmark implements Callable<Integer> {
    /** The simulation options that the sizes and modes set, so a user may not. */
    private static final List<String> SET_HERE = List.of(
            "--events",
            "--books",
            "--readers",
            "--find-max",
            "--max-staleness",
            "--primary-url",
            "--replica-url",
            "--chaos",
            "--chaos-schedule",
            "--metrics-port",
            "--tracing",
            "--check-invariants");
    /** Room on disk beyond the estimate: the run's own appends and the snapshots. */
    private static final double DISK_MARGIN = 1.3;
    /** Both servers' WAL (max_wal_size 4 GB and wal_keep_size 1 GB each) and catalogs. */
    private static final long DISK_FIXED_BYTES = 11_000_000_000L;

    @Spec
    CommandSpec spec;

    /** The find-max's options. */
    @Mixin
    SimulationOptions simulation = new SimulationOptions();

    @Option(
            names = "--sizes",
            defaultValue = "1M,10M,50M",
            description = "events in the log at each size, K and M allowed (default ${DEFAULT-VALUE})")
    String sizes;

    @Option(
            names = "--max-books",
            defaultValue = "2000000",
            description = "a book copy per 5 events up to this many (default ${DEFAULT-VALUE})")
    long maxBooks;

    @Option(
            names = "--max-readers",
            defaultValue = "500000",
            description = "a reader per 20 events up to this many (default ${DEFAULT-VALUE})")
    long maxReaders;

    @Option(
            names = "--staleness",
            defaultValue = "100ms",
            converter = DurationOption.Millis.class,
            description =
                    "the second find-max's --max-staleness; a bare number is milliseconds (default ${DEFAULT-VALUE})")
    Duration staleness;

    @Option(
            names = "--find-max-repeats",
            defaultValue = "3",
            description = "find-max runs in each mode at each size, the modes alternating; the median is the"
                    + " figure, and every run is listed (default ${DEFAULT-VALUE})")
    int findMaxRepeats;

    @Option(
            names = "--probe-seconds",
            defaultValue = "15",
            description =
                    "seconds per round of the append and the query at fixed concurrency (default ${DEFAULT-VALUE})")
    int probeSeconds;

    @Option(
            names = "--probe-rounds",
            defaultValue = "3",
            description = "rounds of each; the median round is reported (default ${DEFAULT-VALUE})")
    int probeRounds;

    @Option(
            names = "--writers",
            defaultValue = "8",
            description = "concurrent conditional appenders, at most --pool-size (default ${DEFAULT-VALUE})")
    int writers;

    @Option(
            names = "--query-threads",
            defaultValue = "4",
            description = "concurrent boundary queries, at most --pool-size (default ${DEFAULT-VALUE})")
    int queryThreads;

    @Option(
            names = "--disk-bytes-per-event",
            defaultValue = "900",
            description = "both servers' table and index bytes per event, to check the disk before the first size"
                    + " is measured; later sizes use the figure measured (default ${DEFAULT-VALUE})")
    long diskBytesPerEvent;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        List<Long> events = validatedSizes();
        SimulationConfig base = simulation.toConfig();
        Path reportDirectory = explicit("--report-dir") ? base.reportDirectory() : Path.of("growth-report");
        try {
            Files.createDirectories(reportDirectory);
        } catch (IOException e) {
            throw new ParameterException(
                    spec.commandLine(), "--report-dir " + reportDirectory + " cannot be a directory: " + e);
        }
        Path dataDisk = Path.of(System.getProperty("java.io.tmpdir"));
        String refusal = diskRefusal(events.get(events.size() - 1), diskBytesPerEvent, dataDisk);
        if (refusal != null) {
            throw new ParameterException(spec.commandLine(), refusal);
        }
        String startedAt = Instant.now().toString();
        List<GrowthRow> rows = new ArrayList<>();
        double measuredPerEvent = diskBytesPerEvent;
        for (long size : events) {
            String late = diskRefusal(size, measuredPerEvent, dataDisk);
            if (late != null) {
                // The sizes measured so far are in the report; the run did not do what was asked.
                throw new IllegalStateException("stopped before " + size + " events: " + late);
            }
            GrowthSize growth = GrowthSize.of(size, maxBooks, maxReaders);
            out.printf(
                    Locale.ROOT,
                    "%n## %s events (%,d book copies, %,d readers)%n",
                    growth.label(),
                    growth.books(),
                    growth.readers());
            GrowthRow row = measure(base, growth, reportDirectory);
            rows.add(row);
            measuredPerEvent = 2 * row.bytesPerEvent();
            GrowthReport report = new GrowthReport(startedAt, machine(), settings(base), rows);
            report.write(reportDirectory);
            out.println();
            out.print(report.markdown());
            out.printf("growth report written to %s%n", reportDirectory.toAbsolutePath());
        }
        return 0;
    }

    private List<Long> validatedSizes() {
        for (String option : SET_HERE) {
            if (explicit(option)) {
                throw new ParameterException(
                        spec.commandLine(),
                        "bench-growth sets " + option + " itself (each size starts its own embedded servers"
                                + " and runs find-max in both modes); leave it out");
            }
        }
        if (probeSeconds < 1 || probeRounds < 1 || maxBooks < 1 || maxReaders < 1 || diskBytesPerEvent < 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--probe-seconds, --probe-rounds, --max-books, --max-readers and --disk-bytes-per-event must be positive");
        }
        if (findMaxRepeats < 1 || findMaxRepeats > 9) {
            throw new ParameterException(
                    spec.commandLine(), "--find-max-repeats must be between 1 and 9, got " + findMaxRepeats);
        }
        if (staleness.compareTo(Duration.ofMillis(1)) < 0 || staleness.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--staleness must be between 1 ms and 10 min (the second find-max's --max-staleness; 0 would"
                            + " measure the first mode twice), got " + staleness.toMillis() + " ms");
        }
        if (writers < 1 || queryThreads < 1 || writers > simulation.poolSize || queryThreads > simulation.poolSize) {
            throw new ParameterException(
                    spec.commandLine(), "--writers and --query-threads must be between 1 and --pool-size");
        }
        try {
            return GrowthSize.parseEvents(sizes);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--sizes: " + e.getMessage());
        }
    }

    private boolean explicit(String option) {
        return spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private Duration step(SimulationConfig config) {
        return explicit("--duration") ? config.duration() : Duration.ofSeconds(20);
    }

    private Duration warmup(SimulationConfig config) {
        return explicit("--warmup") ? config.warmup() : Duration.ofSeconds(10);
    }

    /**
     * @return why the disk cannot hold this size (both servers' data directories), or null when it can
     */
    static String diskRefusal(long events, double bytesPerEvent, Path dataDisk) throws IOException {
        FileStore store = Files.getFileStore(dataDisk);
        long usable = store.getUsableSpace();
        double needed = events * bytesPerEvent * DISK_MARGIN + DISK_FIXED_BYTES;
        if (needed <= usable) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "%,d events need about %.1f GB free for the primary's and the replica's data directories in %s"
                        + " (%.0f bytes of table and indexes per event on both servers, with a 30%% margin, and 11 GB"
                        + " of WAL and catalogs), and %.1f GB are usable;"
                        + " pass smaller --sizes, or run the JVM with -Djava.io.tmpdir on a larger disk",
                events,
                needed / 1e9,
                dataDisk.toAbsolutePath(),
                bytesPerEvent,
                usable / 1e9);
    }

    private GrowthRow measure(SimulationConfig base, GrowthSize size, Path reportDirectory) throws Exception {
        IntFunction<SimulationConfig> reading =
                repeat -> findMaxConfig(base, size, Duration.ZERO, reportDirectory, "every-query-reads", repeat);
        IntFunction<SimulationConfig> eventual = repeat -> findMaxConfig(
                base, size, staleness, reportDirectory, "max-staleness-" + staleness.toMillis() + "ms", repeat);
        try (SimulationServers servers = SimulationServers.open(reading.apply(1), out, Observability.NONE);
                RunMonitor monitor = servers.monitor()) {
            ConnectedStore connected = servers.connected();
            String table = connected.storeConfig().eventsTable();
            long seedingStarted = System.nanoTime();
            HistorySeeding.seedIfEmpty(connected, reading.apply(1), out);
            double seedSeconds = (System.nanoTime() - seedingStarted) / 1e9;
            Footprint seeded = Footprint.read(connected.primaryPool(), table);
            long diskBytes = Footprint.bytesOnDisk(dataDirectories(servers.cluster()));
            out.printf(
                    Locale.ROOT,
                    "table %,d MB, indexes %,d MB, both servers %.1f GB on disk; age(relfrozenxid) %,d%n",
                    seeded.tableBytes() / 1_000_000,
                    seeded.indexBytes() / 1_000_000,
                    diskBytes / 1e9,
                    seeded.frozenXidAge());
            BlockCounters primaryBefore = BlockCounters.read(connected.primaryPool());
            BlockCounters replicaBefore = BlockCounters.read(connected.replicaPool());
            try (HeapAfterGc heap = new HeapAfterGc()) {
                GrowthFindMax findMax = GrowthFindMax.run(
                        findMaxRepeats, reading, eventual, staleness.toMillis(), connected, monitor, out);
                out.printf(
                        "### conditional appends (%d writers) and boundary queries (%d threads)%n",
                        writers, queryThreads);
                StoreProbe.Figures appends = StoreProbe.appends(
                        connected.store(), connected.primaryPool(), writers, probeSeconds, probeRounds);
                StoreProbe.Figures queries = StoreProbe.queries(
                        connected.store(), queryThreads, probeSeconds, probeRounds, size.books(), size.readers());
                Footprint end = Footprint.read(connected.primaryPool(), table);
                return new GrowthRow(
                        size.label(),
                        size.events(),
                        size.books(),
                        size.readers(),
                        seedSeconds,
                        seeded.tableBytes(),
                        seeded.indexBytes(),
                        seeded.indexes(),
                        diskBytes,
                        seeded.frozenXidAge(),
                        end.frozenXidAge(),
                        end.autovacuums() - seeded.autovacuums(),
                        end.autoanalyzes() - seeded.autoanalyzes(),
                        appends.perSecond(),
                        appends.p50Ms(),
                        appends.p99Ms(),
                        appends.walBytesPerOperation(),
                        appends.fullPageImagesPerOperation(),
                        appends.checkpoints(),
                        queries.perSecond(),
                        queries.p50Ms(),
                        queries.p99Ms(),
                        findMax.readingMedian(),
                        findMax.eventualMedian(),
                        findMax.reading(),
                        findMax.eventual(),
                        BlockCounters.read(connected.primaryPool()).hitRatioSince(primaryBefore),
                        BlockCounters.read(connected.replicaPool()).hitRatioSince(replicaBefore),
                        heap.peakAfterMajorBytes(),
                        heap.peakAfterAnyBytes(),
                        end.lastSequenceNumber(),
                        end.allFrozenPages() < 0 || end.pages() == 0
                                ? -1
                                : end.allFrozenPages() / (double) end.pages());
            }
        }
    }

    private SimulationConfig findMaxConfig(
            SimulationConfig base, GrowthSize size, Duration maxStaleness, Path reports, String mode, int repeat) {
        String name = size.label() + "-" + mode + (findMaxRepeats == 1 ? "" : "-" + repeat);
        return base.forGrowth(
                size.events(),
                size.books(),
                size.readers(),
                maxStaleness,
                reports.resolve(name),
                step(base),
                warmup(base));
    }

    private static List<Path> dataDirectories(EmbeddedCluster cluster) {
        List<Path> directories = new ArrayList<>();
        directories.add(cluster.primary().dataDirectory());
        cluster.replicas().stream().map(EmbeddedPostgres::dataDirectory).forEach(directories::add);
        return directories;
    }

    private static String machine() {
        return String.format(
                Locale.ROOT,
                "Machine: %d cores, %s %s, Java %s, heap limit %,d MB; embedded PostgreSQL primary and streaming replica on the same machine.",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                Runtime.version(),
                Runtime.getRuntime().maxMemory() / 1_000_000);
    }

    private String settings(SimulationConfig base) {
        return String.format(
                Locale.ROOT,
                "Sizes %s; a book copy per 5 events up to %,d, a reader per 20 up to %,d; find-max from %.0f req/s,"
                        + " %d-s steps after a %d-s warm-up, p99 bound %d ms, pool %d per server; second find-max with"
                        + " --max-staleness %d ms; %d find-max runs per mode, alternating (median run); appends at %d writers (started right after a CHECKPOINT) and queries at"
                        + " %d threads, %d rounds of %d s (median round).",
                sizes,
                maxBooks,
                maxReaders,
                base.rate(),
                step(base).toSeconds(),
                warmup(base).toSeconds(),
                base.maxP99().toMillis(),
                base.poolSize(),
                staleness.toMillis(),
                findMaxRepeats,
                writers,
                queryThreads,
                probeRounds,
                probeSeconds);
    }
}
