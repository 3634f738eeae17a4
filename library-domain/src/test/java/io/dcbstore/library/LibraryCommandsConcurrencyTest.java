package io.dcbstore.library;

import static io.dcbstore.library.TestStores.addCopy;
import static io.dcbstore.library.TestStores.log;
import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.EventStore;
import io.dcbstore.ReadOptions;
import io.dcbstore.library.CommandOutcome.Status;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LibraryCommandsConcurrencyTest {
    private static final int THREADS = 8;
    private static final RetryPolicy PATIENT =
            RetryPolicy.defaults().withMaxAttempts(200).withBackoff(Duration.ofMillis(1), Duration.ofMillis(20));

    private EventStore store;
    private LibraryCommands commands;
    private ExecutorService threads;

    @BeforeEach
    void setUp() {
        store = TestStores.newStore();
        commands =
                LibraryCommands.create(store, TestStores.deterministicSettings().withRetryPolicy(PATIENT));
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        store.close();
    }

    @Test
    void eightThreadsLendingOneCopyToDifferentReadersLetExactlyOneSucceed() throws Exception {
        BookId book = BookId.random();
        List<ReaderId> readers =
                IntStream.range(0, THREADS).mapToObj(index -> ReaderId.random()).toList();
        readers.forEach(reader -> commands.handle(new RegisterReader(reader, "Reader")));
        commands.handle(addCopy(book));

        List<CommandOutcome> outcomes = runTogether(readers, reader -> new LendBookCopyToReader(book, reader));

        assertThat(outcomes)
                .filteredOn(outcome -> outcome.status() == Status.SUCCESS)
                .hasSize(1);
        assertThat(outcomes)
                .filteredOn(outcome -> outcome.status() == Status.BUSINESS_FAILURE)
                .hasSize(THREADS - 1)
                .allSatisfy(outcome ->
                        assertThat(outcome.failureReason()).isEqualTo(FailureReason.BOOK_LENT_TO_ANOTHER_READER));
        assertThat(log(store))
                .filteredOn(recorded -> recorded.event() instanceof BookCopyLentToReader)
                .hasSize(1);
    }

    @Test
    void eightThreadsLendingToOneReaderNeverExceedTheLimitOfTen() throws Exception {
        ReaderId reader = ReaderId.random();
        List<BookId> books = IntStream.range(0, 3 * THREADS)
                .mapToObj(index -> BookId.random())
                .toList();
        commands.handle(new RegisterReader(reader, "Greedy Reader"));
        books.forEach(book -> commands.handle(addCopy(book)));

        List<CommandOutcome> outcomes = runTogether(books, book -> new LendBookCopyToReader(book, reader));

        assertThat(outcomes)
                .filteredOn(outcome -> outcome.status() == Status.SUCCESS)
                .hasSize(LendBookCopyToReader.MAX_BOOKS_PER_READER);
        assertThat(outcomes)
                .filteredOn(outcome -> outcome.status() == Status.BUSINESS_FAILURE)
                .allSatisfy(outcome ->
                        assertThat(outcome.failureReason()).isEqualTo(FailureReason.READER_HAS_TOO_MANY_BOOKS))
                .hasSize(books.size() - LendBookCopyToReader.MAX_BOOKS_PER_READER);
        assertThat(outstandingLoansInTheLog(reader)).isEqualTo(LendBookCopyToReader.MAX_BOOKS_PER_READER);
        assertThat(LibraryQueries.create(store)
                        .booksLentByReader(reader, ReadOptions.STRONG)
                        .count())
                .isEqualTo(LendBookCopyToReader.MAX_BOOKS_PER_READER);
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
                runTogether(pairs, index -> new LendBookCopyToReader(books.get(index), readers.get(index)));

        assertThat(outcomes).allSatisfy(outcome -> {
            assertThat(outcome.status()).isEqualTo(Status.SUCCESS);
            assertThat(outcome.retries()).isZero();
        });
    }

    private <T> List<CommandOutcome> runTogether(List<T> inputs, Function<T, LibraryCommand> command) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<CommandOutcome>> futures = new ArrayList<>();
        for (T input : inputs) {
            futures.add(threads.submit(() -> {
                start.await();
                return commands.handle(command.apply(input));
            }));
        }
        start.countDown();
        List<CommandOutcome> outcomes = new ArrayList<>();
        for (Future<CommandOutcome> future : futures) {
            outcomes.add(future.get(60, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    private long outstandingLoansInTheLog(ReaderId reader) {
        long lent = log(store).stream()
                .filter(recorded -> recorded.event() instanceof BookCopyLentToReader lentEvent
                        && lentEvent.readerId().equals(reader))
                .count();
        long returned = log(store).stream()
                .filter(recorded -> recorded.event() instanceof BookCopyReturnedByReader back
                        && back.readerId().equals(reader))
                .count();
        return lent - returned;
    }
}
