package io.dcbstore.library;

import static io.dcbstore.library.TestStores.addCopy;
import static io.dcbstore.library.TestStores.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.AppendCondition;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.library.CommandOutcome.Status;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.testkit.DelegatingEventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commands that decide from states a follower keeps in memory, against real PostgreSQL. */
class FollowedDecisionsTest {
    private static final RetryPolicy PATIENT =
            RetryPolicy.defaults().withMaxAttempts(500).withBackoff(Duration.ofMillis(1), Duration.ofMillis(20));

    private EventStore store;
    private EventStore otherProcess;
    private CountingStore counted;
    private LibraryCommands commands;
    private LibraryFollower follower;

    @BeforeEach
    void startFollowing() {
        EventStore[] processes = TestStores.twoProcesses();
        store = processes[0];
        otherProcess = processes[1];
        counted = new CountingStore(store);
        commands = LibraryCommands.create(
                counted, TestStores.deterministicSettings().withRetryPolicy(PATIENT));
        follower = LibraryFollower.start(
                counted, LibraryQueries.create(store), commands, LibraryFollower.DEFAULT_DECISION_STATES);
    }

    @AfterEach
    void stop() {
        follower.close();
        store.close();
        otherProcess.close();
    }

    @Test
    void aCommandWhoseStatesAreCurrentAppendsWithoutReadingItsBoundary() {
        BookId book = BookId.of("book-current");
        ReaderId reader = ReaderId.of("reader-current");
        commands.handle(new RegisterReader(reader, "Reader"));
        long added = commands.handle(addCopy(book)).appendResult().lastSequenceNumber();
        awaitFollowed(added);
        CommandOutcome firstLend = commands.handle(new LendBookCopyToReader(book, reader));
        awaitFollowed(firstLend.appendResult().lastSequenceNumber());
        int readsBefore = counted.queries.get();
        int appendsBefore = counted.appends.get();

        CommandOutcome returned = commands.handle(new ReturnBookCopyFromReader(book, reader));
        awaitFollowed(returned.appendResult().lastSequenceNumber());
        CommandOutcome lentAgain = commands.handle(new LendBookCopyToReader(book, reader));

        assertThat(returned.status()).isEqualTo(Status.SUCCESS);
        assertThat(lentAgain.status()).isEqualTo(Status.SUCCESS);
        assertThat(lentAgain.retries()).isZero();
        assertThat(counted.appends.get() - appendsBefore).isEqualTo(2);
        // the return's boundary has items of its own (read once); the second lend reads nothing
        assertThat(counted.queries.get() - readsBefore).isEqualTo(1);
    }

    @Test
    void anEventAnotherProcessAppendedIsNeverMissedTheConditionRejectsTheStaleDecision() {
        LibraryCommands elsewhere = LibraryCommands.create(otherProcess, TestStores.deterministicSettings("other"));
        int staleDecisions = 0;
        for (int trial = 0; trial < 5; trial++) {
            BookId book = BookId.of("book-stale-" + trial);
            ReaderId reader = ReaderId.of("reader-stale-" + trial);
            commands.handle(new RegisterReader(reader, "Reader"));
            commands.handle(addCopy(book));
            long warmedUp = commands.handle(new LendBookCopyToReader(BookId.of("warm-up-" + trial), reader))
                    .appendResult()
                    .lastSequenceNumber(); // the reader's state is now kept
            awaitFollowed(warmedUp);

            CommandOutcome canceled = elsewhere.handle(new CancelReaderContract(reader));
            CommandOutcome lend = commands.handle(new LendBookCopyToReader(book, reader));

            assertThat(canceled.status()).isEqualTo(Status.SUCCESS);
            assertThat(lend.status()).isEqualTo(Status.BUSINESS_FAILURE);
            assertThat(lend.failureReason()).isEqualTo(FailureReason.READER_NOT_REGISTERED);
            assertThat(log(store))
                    .noneMatch(recorded -> recorded.event() instanceof BookCopyLentToReader lent
                            && lent.bookId().equals(book));
            staleDecisions += lend.retries();
        }
        // the other process sends no notification: the follower learns of a cancel when it polls
        // (every 500 ms) or reads for another reason, so most first decisions were stale, and the
        // store's condition refused every one of them
        assertThat(staleDecisions).as("decisions made from stale states").isPositive();
    }

    @Test
    void alreadyDoneIsAnsweredFromAReadNotFromStatesThatMayPredateTheCallersLastAppend() {
        BookId book = BookId.of("book-done");
        ReaderId reader = ReaderId.of("reader-done");
        commands.handle(new RegisterReader(reader, "Reader"));
        awaitFollowed(commands.handle(addCopy(book)).appendResult().lastSequenceNumber());
        awaitFollowed(commands.handle(new LendBookCopyToReader(book, reader))
                .appendResult()
                .lastSequenceNumber());
        LibraryCommands elsewhere = LibraryCommands.create(otherProcess, TestStores.deterministicSettings("other"));

        CommandOutcome returned = elsewhere.handle(new ReturnBookCopyFromReader(book, reader));
        CommandOutcome lentAgain = commands.handle(new LendBookCopyToReader(book, reader));

        assertThat(returned.status()).isEqualTo(Status.SUCCESS);
        // the states still say "lent to this reader" (the follower has not polled yet); a command
        // deciding "already done" from them would append nothing, and no condition would catch it
        assertThat(lentAgain.status()).isEqualTo(Status.SUCCESS);
        assertThat(log(store))
                .filteredOn(recorded -> recorded.event() instanceof BookCopyLentToReader lent
                        && lent.bookId().equals(book))
                .hasSize(2);
    }

    @Test
    void eightThreadsAndAnotherProcessDecidingFromFewEvictedStatesLeaveALogThatHolds() throws Exception {
        follower.close();
        follower = LibraryFollower.start(counted, LibraryQueries.create(store), commands, 64);
        List<BookId> books = IntStream.range(0, 60)
                .mapToObj(index -> BookId.of("copy-" + index))
                .toList();
        List<ReaderId> readers = IntStream.range(0, 6)
                .mapToObj(index -> ReaderId.of("borrower-" + index))
                .toList();
        readers.forEach(reader -> commands.handle(new RegisterReader(reader, "Reader " + reader)));
        books.forEach(book -> commands.handle(addCopy(book)));
        LibraryCommands elsewhere = LibraryCommands.create(
                otherProcess, TestStores.deterministicSettings("other").withRetryPolicy(PATIENT));
        ExecutorService threads = Executors.newFixedThreadPool(9);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger conflicts = new AtomicInteger();
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int thread = 0; thread < 9; thread++) {
                Random random = new Random(thread);
                LibraryCommands handler = thread == 8 ? elsewhere : commands;
                runs.add(threads.submit(() -> {
                    start.await();
                    for (int command = 0; command < 60; command++) {
                        conflicts.addAndGet(handler.handle(randomCommand(random, books, readers))
                                .retries());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> run : runs) {
                run.get(120, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        InvariantReport report = LibraryInvariants.check(store);

        assertThat(report.violations()).isEmpty();
        assertThat(report.loansChecked()).isPositive();
        assertThat(conflicts.get()).as("the races were contested").isPositive();
        assertThat(follower.decisionStates()).isLessThanOrEqualTo(64);
    }

    @Test
    void anEventTheFollowerCannotParseDropsTheStatesItMayMatchSoTheNextCommandReadsIt() {
        BookId book = BookId.of("book-odd");
        ReaderId reader = ReaderId.of("reader-odd");
        commands.handle(new RegisterReader(reader, "Reader"));
        commands.handle(addCopy(book));
        commands.handle(new LendBookCopyToReader(book, reader)); // the copy's state is now kept
        awaitFollowed(commands.handle(new ReturnBookCopyFromReader(book, reader))
                .appendResult()
                .lastSequenceNumber());
        // another application lends the copy with a payload jsonb stores but Jackson's default
        // limits refuse (a number of 1,001 digits)
        otherProcess.append(new Event(
                BookCopyLentToReader.TYPE,
                "{\"BookID\": \"book-odd\", \"ReaderID\": \"someone\", \"n\": 1" + "0".repeat(1000) + "}",
                "{}",
                TestStores.START));
        awaitFollowed(LibraryCommands.create(otherProcess, TestStores.deterministicSettings("other"))
                .handle(new RegisterReader(ReaderId.of("reader-after"), "After"))
                .appendResult()
                .lastSequenceNumber());

        assertThatThrownBy(() -> commands.handle(new LendBookCopyToReader(book, reader)))
                .as("decided from a read, the command fails on the event as a reading command does")
                .isInstanceOf(UndecodableEventException.class);
        assertThat(store.query(Filter.anyOf(FilterItem.types(BookCopyLentToReader.TYPE)))
                        .events())
                .filteredOn(event -> event.payload().contains("book-odd"))
                .as("the command's first lend and the other application's: no third")
                .hasSize(2);
    }

    @Test
    void closingTheFollowerMakesTheCommandsReadAgain() {
        BookId book = BookId.of("book-closed");
        ReaderId reader = ReaderId.of("reader-closed");
        commands.handle(new RegisterReader(reader, "Reader"));
        commands.handle(addCopy(book));
        follower.close();
        int readsBefore = counted.queries.get();

        CommandOutcome lend = commands.handle(new LendBookCopyToReader(book, reader));

        assertThat(lend.status()).isEqualTo(Status.SUCCESS);
        assertThat(counted.queries.get() - readsBefore).isEqualTo(1);
    }

    private static LibraryCommand randomCommand(Random random, List<BookId> books, List<ReaderId> readers) {
        BookId book = books.get(random.nextInt(books.size()));
        ReaderId reader = readers.get(random.nextInt(readers.size()));
        int dice = random.nextInt(100);
        if (dice < 55) {
            return new LendBookCopyToReader(book, reader);
        } else if (dice < 85) {
            return new ReturnBookCopyFromReader(book, reader);
        } else if (dice < 90) {
            return new RemoveBookCopy(book);
        } else if (dice < 95) {
            return addCopy(book);
        } else if (dice < 98) {
            return new CancelReaderContract(reader);
        }
        return new RegisterReader(reader, "Reader " + reader);
    }

    private void awaitFollowed(long sequenceNumber) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (follower.followedTo() < sequenceNumber) {
            assertThat(System.nanoTime())
                    .as("the follower reached " + sequenceNumber)
                    .isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /** Counts the reads of boundaries (not the projections' catch-ups, which match every event type) and the appends. */
    private static final class CountingStore extends DelegatingEventStore {
        final AtomicInteger queries = new AtomicInteger();
        final AtomicInteger appends = new AtomicInteger();

        CountingStore(EventStore delegate) {
            super(delegate);
        }

        @Override
        public QueryResult query(Filter filter, ReadOptions options) {
            if (filter.items().stream().anyMatch(item -> !item.predicates().isEmpty())) {
                queries.incrementAndGet();
            }
            return super.query(filter, options);
        }

        @Override
        public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
            appends.incrementAndGet();
            return super.append(events, condition, options);
        }

        @Override
        public void close() {
            // the test closes the store it wraps
        }
    }
}
