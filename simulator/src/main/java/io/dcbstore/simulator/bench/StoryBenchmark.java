package io.dcbstore.simulator.bench;

import static io.dcbstore.simulator.bench.BenchmarkOutput.line;

import io.dcbstore.Event;
import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.library.BookDetails;
import io.dcbstore.library.BookId;
import io.dcbstore.library.CommandOutcome;
import io.dcbstore.library.CommandSettings;
import io.dcbstore.library.EventMetadata;
import io.dcbstore.library.FailureReason;
import io.dcbstore.library.LendBookCopyToReader;
import io.dcbstore.library.LibraryCommands;
import io.dcbstore.library.LibraryEvent;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.LibraryEvent.ReaderRegistered;
import io.dcbstore.library.LibraryEventCodec;
import io.dcbstore.library.PayloadKeys;
import io.dcbstore.library.ReaderId;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.cluster.EmbeddedStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What a lend costs as the stories it reads grow, read from the start of the log and resumed from
 * story snapshots ({@code CommandSettings#storySnapshotsAfter}), each with and without the
 * entities' keys indexed ({@code PostgresStoreConfig#indexedKeys}). For each story length, readers
 * are written with that many lending cycles and then ten copies on loan; each measured request is
 * a lend of one more copy, refused ({@code READER_HAS_TOO_MANY_BOOKS}) after reading the copy's
 * and the reader's whole stories. The refusal appends only a failure event, which no story
 * contains, so every request reads stories of the same length. Both modes run in alternating
 * rounds on the same log; the figures are the median round's. Prints a Markdown table; asserts
 * nothing.
 */
@Command(
        name = "bench-stories",
        mixinStandardHelpOptions = true,
        description =
                "Benchmark a lend's read of long stories: from the start of the log vs resumed from story snapshots.")
public final class StoryBenchmark implements Callable<Integer> {
    private static final EventMetadata METADATA = new EventMetadata("bench", "bench", "bench");
    private static final BookDetails DETAILS = new BookDetails("isbn", "A Title", "An Author", "1st", "A Press", 2001);

    @Spec
    CommandSpec spec;

    @Option(
            names = "--cycles",
            split = ",",
            defaultValue = "10,100,1000",
            description = "lending cycles per reader, one story length per value (default ${DEFAULT-VALUE})")
    List<Integer> cycles;

    @Option(names = "--readers", defaultValue = "200", description = "readers per length (default ${DEFAULT-VALUE})")
    int readers;

    @Option(names = "--threads", defaultValue = "4", description = "concurrent commands (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--seconds", defaultValue = "10", description = "seconds per round (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--rounds", defaultValue = "3", description = "rounds per mode (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--save-after",
            defaultValue = "32",
            description = "storySnapshotsAfter of the resuming mode (default ${DEFAULT-VALUE})")
    int saveAfter;

    @Override
    public Integer call() throws Exception {
        if (cycles.isEmpty()
                || cycles.stream().anyMatch(c -> c < 1)
                || readers < 1
                || threads < 1
                || seconds < 1
                || rounds < 1
                || saveAfter < 1) {
            throw new ParameterException(spec.commandLine(), "every option must be positive");
        }
        ConnectedStore.Options pools = ConnectedStore.Options.of("bench-stories", threads + 2);
        try (EmbeddedStore embedded = EmbeddedStore.primaryOnly(ServerSettings.primary("1GB"), pools)) {
            PostgresEventStore store = embedded.connected().store();
            line("# Story benchmark, %s", Instant.now());
            line(
                    "Machine: %d cores; PostgreSQL embedded (ServerSettings.primary(1GB), durable); %d readers per"
                            + " length, %d threads, %d rounds of %d s per mode, alternating; stories saved after %d events.",
                    Runtime.getRuntime().availableProcessors(), readers, threads, rounds, seconds, saveAfter);
            line("");
            line(
                    "| cycles per reader | reader's story (events) | mode | lends/s | p50 / p99 / p99.9 ms | per-round p99 (ms) |");
            line("|---|---|---|---|---|---|");
            // The same tables through a store whose statements also name the entities' keys: it
            // creates their indexes (maintained for both stores' appends from here on).
            PostgresEventStore keyed = PostgresEventStore.create(
                    embedded.connected().primaryPool(),
                    embedded.connected().storeConfig().withIndexedKeys(PayloadKeys.BOOK_ID, PayloadKeys.READER_ID));
            try {
                for (int length : cycles) {
                    write(store, length);
                    measure(store, keyed, length);
                }
            } finally {
                keyed.close();
            }
        }
        return 0;
    }

    private void measure(PostgresEventStore store, PostgresEventStore keyed, int length) throws Exception {
        CommandSettings quiet = CommandSettings.defaults();
        CommandSettings resuming = quiet.withStorySnapshotsAfter(saveAfter);
        Map<String, LibraryCommands> modes = new LinkedHashMap<>();
        modes.put("from the start", LibraryCommands.create(store, quiet));
        modes.put("resumed", LibraryCommands.create(store, resuming));
        modes.put("from the start, keys indexed", LibraryCommands.create(keyed, quiet));
        modes.put("resumed, keys indexed", LibraryCommands.create(keyed, resuming));
        Map<String, List<LoadLoop.Result>> results = new LinkedHashMap<>();
        modes.keySet().forEach(mode -> results.put(mode, new ArrayList<>()));
        for (String mode : modes.keySet()) {
            // warm: every reader once (the resuming mode saves each story on its first read)
            for (int reader = 0; reader < readers; reader++) {
                lend(modes.get(mode), length, reader);
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (String mode : modes.keySet()) {
                LibraryCommands commands = modes.get(mode);
                results.get(mode)
                        .add(LoadLoop.run(threads, seconds, random -> lend(commands, length, random.nextInt(readers))));
            }
        }
        for (String mode : modes.keySet()) {
            List<LoadLoop.Result> runs = results.get(mode);
            List<Double> rates = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            for (LoadLoop.Result run : runs) {
                rates.add(run.perSecond());
                p99.add(run.latencyMicros().getValueAtPercentile(99) / 1000.0);
            }
            LoadLoop.Result median = runs.get(rates.indexOf(Medians.of(rates)));
            Histogram latency = median.latencyMicros();
            line(
                    "| %,d | %,d | %s | %,.0f | %s | %s |",
                    length,
                    1 + 2 * length + LendBookCopyToReader.MAX_BOOKS_PER_READER,
                    mode,
                    Medians.of(rates),
                    StoreBenchmark.percentiles(latency),
                    p99.stream().map(v -> String.format("%.2f", v)).toList());
        }
    }

    private static void lend(LibraryCommands commands, int length, int reader) {
        CommandOutcome outcome =
                commands.handle(new LendBookCopyToReader(copy(length, reader, -1), reader(length, reader)));
        if (outcome.failureReason() != FailureReason.READER_HAS_TOO_MANY_BOOKS) {
            throw new IllegalStateException("the benchmark's lend was not refused for too many books: " + outcome);
        }
    }

    /** Writes, per reader: registered, {@code length} cycles of a new copy added, lent and returned, ten loans. */
    private void write(PostgresEventStore store, int length) {
        long started = System.nanoTime();
        for (int reader = 0; reader < readers; reader++) {
            ReaderId readerId = reader(length, reader);
            List<LibraryEvent> events = new ArrayList<>();
            events.add(new ReaderRegistered(readerId, "Reader " + reader));
            events.add(new BookCopyAddedToCirculation(copy(length, reader, -1), DETAILS));
            for (int cycle = 0; cycle < length + LendBookCopyToReader.MAX_BOOKS_PER_READER; cycle++) {
                BookId copy = copy(length, reader, cycle);
                events.add(new BookCopyAddedToCirculation(copy, DETAILS));
                events.add(new BookCopyLentToReader(copy, readerId));
                if (cycle < length) {
                    events.add(new BookCopyReturnedByReader(copy, readerId));
                }
                if (events.size() >= 900) {
                    append(store, events);
                }
            }
            append(store, events);
        }
        System.err.printf(
                "wrote %,d readers with %,d cycles in %.1f s%n", readers, length, (System.nanoTime() - started) / 1e9);
    }

    private static void append(PostgresEventStore store, List<LibraryEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        store.append(events.stream()
                .map(event -> LibraryEventCodec.encode(event, METADATA, now))
                .toArray(Event[]::new));
        events.clear();
    }

    private static ReaderId reader(int length, int reader) {
        return ReaderId.of("story-" + length + "-reader-" + reader);
    }

    private static BookId copy(int length, int reader, int cycle) {
        return BookId.of("story-" + length + "-copy-" + reader + "-" + (cycle < 0 ? "target" : cycle));
    }
}
