package io.dcbstore.library;

import static io.dcbstore.library.TestStores.addCopy;
import static io.dcbstore.library.TestStores.log;
import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.EventStore;
import io.dcbstore.ReadOptions;
import io.dcbstore.library.CommandOutcome.Status;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.LibraryEvent.LendingBookToReaderFailed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Racing commands, with the race forced: every racer reads its boundary before any of them appends
 * ({@link RacingStore}), so the conflicts the store reports show the race was contested, and each
 * test checks what the log holds afterwards, not only what the callers were told.
 */
class LibraryCommandsConcurrencyTest {
    private static final int THREADS = 8;
    private static final RetryPolicy PATIENT =
            RetryPolicy.defaults().withMaxAttempts(200).withBackoff(Duration.ofMillis(1), Duration.ofMillis(20));

    private EventStore real;
    private RacingStore store;
    private LibraryCommands commands;
    private ExecutorService threads;

    @BeforeEach
    void setUp() {
        real = TestStores.newStore();
        store = new RacingStore(real, THREADS);
        commands =
                LibraryCommands.create(store, TestStores.deterministicSettings().withRetryPolicy(PATIENT));
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        real.close();
    }

    @Test
    void eightThreadsLendingOneCopyToDifferentReadersLetExactlyOneSucceed() throws Exception {
        BookId book = BookId.random();
        List<ReaderId> readers =
                IntStream.range(0, THREADS).mapToObj(index -> ReaderId.random()).toList();
        readers.forEach(reader -> commands.handle(new RegisterReader(reader, "Reader")));
        long added = commands.handle(addCopy(book)).appendResult().lastSequenceNumber();

        List<CommandOutcome> outcomes = race(readers, reader -> new LendBookCopyToReader(book, reader));

        assertThat(store.positionsRead())
                .as("every racer read the copy as just added, before any of them appended")
                .hasSize(THREADS)
                .containsOnly(added);
        assertThat(store.conflicts())
                .as("every loser's first append was refused by the store")
                .isEqualTo(THREADS - 1)
                .isEqualTo(totalRetries(outcomes));
        assertThat(outcomes)
                .filteredOn(outcome -> outcome.status() == Status.SUCCESS)
                .hasSize(1);
        assertThat(outcomes)
                .filteredOn(outcome -> outcome.status() == Status.BUSINESS_FAILURE)
                .hasSize(THREADS - 1)
                .allSatisfy(outcome ->
                        assertThat(outcome.failureReason()).isEqualTo(FailureReason.BOOK_LENT_TO_ANOTHER_READER));
        ReaderId winner = readers.get(indexOfTheOnlySuccess(outcomes));
        assertThat(log(real))
                .as("the log holds one loan of the copy, to the reader who was told so")
                .filteredOn(recorded -> recorded.event() instanceof BookCopyLentToReader)
                .extracting(RecordedLibraryEvent::event)
                .containsExactly(new BookCopyLentToReader(book, winner));
        assertThat(log(real))
                .filteredOn(recorded -> recorded.event() instanceof LendingBookToReaderFailed)
                .hasSize(THREADS - 1);
        assertTheLogHolds();
    }

    @Test
    void eightThreadsRacingForAReadersLastFreeSlotLetExactlyOneWin() throws Exception {
        ReaderId reader = ReaderId.random();
        int onLoan = LendBookCopyToReader.MAX_BOOKS_PER_READER - 1;
        List<BookId> books = IntStream.range(0, onLoan + THREADS)
                .mapToObj(index -> BookId.random())
                .toList();
        commands.handle(new RegisterReader(reader, "Greedy Reader"));
        books.forEach(book -> commands.handle(addCopy(book)));
        long lastLoan = 0;
        for (BookId book : books.subList(0, onLoan)) {
            lastLoan = commands.handle(new LendBookCopyToReader(book, reader))
                    .appendResult()
                    .lastSequenceNumber();
        }
        List<BookId> racing = books.subList(onLoan, books.size());

        List<CommandOutcome> outcomes = race(racing, book -> new LendBookCopyToReader(book, reader));

        assertThat(store.positionsRead())
                .as("every racer read the reader with one free slot, before any of them appended")
                .hasSize(THREADS)
                .containsOnly(lastLoan);
        assertThat(store.conflicts())
                .as("every loser's first append was refused by the store")
                .isEqualTo(THREADS - 1)
                .isEqualTo(totalRetries(outcomes));
        assertThat(outcomes)
                .filteredOn(outcome -> outcome.status() == Status.SUCCESS)
                .hasSize(1);
        assertThat(outcomes)
                .filteredOn(outcome -> outcome.status() == Status.BUSINESS_FAILURE)
                .hasSize(THREADS - 1)
                .allSatisfy(outcome ->
                        assertThat(outcome.failureReason()).isEqualTo(FailureReason.READER_HAS_TOO_MANY_BOOKS));
        BookId winner = racing.get(indexOfTheOnlySuccess(outcomes));
        assertThat(log(real))
                .as("of the racing copies the log lends only the one the caller was told was lent")
                .filteredOn(recorded ->
                        recorded.event() instanceof BookCopyLentToReader lent && racing.contains(lent.bookId()))
                .extracting(RecordedLibraryEvent::event)
                .containsExactly(new BookCopyLentToReader(winner, reader));
        assertThat(outstandingLoansInTheLog(reader)).isEqualTo(LendBookCopyToReader.MAX_BOOKS_PER_READER);
        assertThat(LibraryQueries.create(real)
                        .booksLentByReader(reader, ReadOptions.STRONG)
                        .count())
                .isEqualTo(LendBookCopyToReader.MAX_BOOKS_PER_READER);
        assertTheLogHolds();
    }

    @Test
    void commandsWithDisjointBoundariesNeverConflict() throws Exception {
        List<Integer> pairs = IntStream.range(0, THREADS).boxed().toList();
        List<BookId> books = pairs.stream().map(index -> BookId.random()).toList();
        List<ReaderId> readers = pairs.stream().map(index -> ReaderId.random()).toList();
        pairs.forEach(index -> {
            commands.handle(new RegisterReader(readers.get(index), "Reader"));
            commands.handle(addCopy(books.get(index)));
        });

        List<CommandOutcome> outcomes =
                race(pairs, index -> new LendBookCopyToReader(books.get(index), readers.get(index)));

        assertThat(store.positionsRead())
                .as("every racer read before any of them appended")
                .hasSize(THREADS);
        assertThat(store.conflicts()).as("appends the store refused").isZero();
        assertThat(outcomes).allSatisfy(outcome -> {
            assertThat(outcome.status()).isEqualTo(Status.SUCCESS);
            assertThat(outcome.retries()).isZero();
        });
        assertThat(log(real))
                .filteredOn(recorded -> recorded.event() instanceof BookCopyLentToReader)
                .extracting(RecordedLibraryEvent::event)
                .containsExactlyInAnyOrderElementsOf(pairs.stream()
                        .map(index -> new BookCopyLentToReader(books.get(index), readers.get(index)))
                        .toList());
        assertTheLogHolds();
    }

    /** Runs one command per input, one thread each, every command's first read held until all have read. */
    private <T> List<CommandOutcome> race(List<T> inputs, Function<T, LibraryCommand> command) throws Exception {
        assertThat(inputs).as("one racer per thread").hasSize(THREADS);
        List<Future<CommandOutcome>> futures = new ArrayList<>();
        for (T input : inputs) {
            futures.add(threads.submit(() -> {
                store.arm();
                return commands.handle(command.apply(input));
            }));
        }
        List<CommandOutcome> outcomes = new ArrayList<>();
        for (Future<CommandOutcome> future : futures) {
            outcomes.add(future.get(60, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    private static int totalRetries(List<CommandOutcome> outcomes) {
        return outcomes.stream().mapToInt(CommandOutcome::retries).sum();
    }

    private static int indexOfTheOnlySuccess(List<CommandOutcome> outcomes) {
        List<Integer> successes = IntStream.range(0, outcomes.size())
                .filter(index -> outcomes.get(index).status() == Status.SUCCESS)
                .boxed()
                .toList();
        assertThat(successes).hasSize(1);
        return successes.get(0);
    }

    /** No copy lent twice at once, no reader above the limit, in what the store holds. */
    private void assertTheLogHolds() {
        InvariantReport report = LibraryInvariants.check(real);
        assertThat(report.violations()).isEmpty();
        assertThat(report.eventsRead()).isEqualTo(log(real).size());
    }

    private long outstandingLoansInTheLog(ReaderId reader) {
        long lent = log(real).stream()
                .filter(recorded -> recorded.event() instanceof BookCopyLentToReader lentEvent
                        && lentEvent.readerId().equals(reader))
                .count();
        long returned = log(real).stream()
                .filter(recorded -> recorded.event() instanceof BookCopyReturnedByReader back
                        && back.readerId().equals(reader))
                .count();
        return lent - returned;
    }
}
