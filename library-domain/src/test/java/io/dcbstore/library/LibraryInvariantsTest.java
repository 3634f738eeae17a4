package io.dcbstore.library;

import static io.dcbstore.library.LibraryFixtures.added;
import static io.dcbstore.library.LibraryFixtures.canceled;
import static io.dcbstore.library.LibraryFixtures.lent;
import static io.dcbstore.library.LibraryFixtures.registered;
import static io.dcbstore.library.LibraryFixtures.removed;
import static io.dcbstore.library.LibraryFixtures.returned;
import static io.dcbstore.library.TestStores.addCopy;
import static io.dcbstore.library.TestStores.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.library.InvariantReport.Rule;
import io.dcbstore.library.InvariantReport.Violation;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.CancelingReaderContractFailed;
import io.dcbstore.library.LibraryEvent.LendingBookToReaderFailed;
import io.dcbstore.library.LibraryEvent.RemovingBookFromCirculationFailed;
import io.dcbstore.library.LibraryEvent.ReturningBookFromReaderFailed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LibraryInvariantsTest {
    private static final BookId BOOK = LibraryFixtures.BOOK;
    private static final BookId OTHER_BOOK = LibraryFixtures.OTHER_BOOK;
    private static final ReaderId READER = LibraryFixtures.READER;
    private static final ReaderId OTHER_READER = LibraryFixtures.OTHER_READER;

    private EventStore store;

    @BeforeEach
    void createStore() {
        store = TestStores.newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void anEmptyLogHolds() {
        assertThat(LibraryInvariants.check(store)).isEqualTo(new InvariantReport(0, 0, 0, 0, 0, List.of()));
        assertThat(LibraryInvariants.check(store).holds()).isTrue();
    }

    @Test
    void aHistoryWrittenByTheCommandHandlersHoldsIncludingItsRefusals() {
        LibraryCommands commands = LibraryCommands.create(store, TestStores.deterministicSettings());
        List<BookId> stack = LibraryFixtures.books(11);
        Stream.of(
                        new RegisterReader(READER, "Ada"),
                        new RegisterReader(OTHER_READER, "Grace"),
                        addCopy(BOOK),
                        new LendBookCopyToReader(BOOK, READER),
                        new LendBookCopyToReader(BOOK, OTHER_READER),
                        new ReturnBookCopyFromReader(BOOK, READER),
                        new LendBookCopyToReader(BOOK, OTHER_READER),
                        new RemoveBookCopy(BOOK),
                        new LendBookCopyToReader(OTHER_BOOK, READER),
                        new CancelReaderContract(OTHER_READER),
                        new ReturnBookCopyFromReader(BOOK, OTHER_READER),
                        new CancelReaderContract(OTHER_READER),
                        new LendBookCopyToReader(BOOK, OTHER_READER),
                        new RemoveBookCopy(BOOK),
                        new LendBookCopyToReader(BOOK, READER))
                .forEach(commands::handle);
        stack.forEach(book -> commands.handle(addCopy(book)));
        stack.forEach(book -> commands.handle(new LendBookCopyToReader(book, READER)));
        List<RecordedLibraryEvent> log = log(store);
        assertThat(log)
                .as("the refusals are in the log")
                .anyMatch(recorded -> recorded.event() instanceof LendingBookToReaderFailed)
                .anyMatch(recorded -> recorded.event() instanceof RemovingBookFromCirculationFailed)
                .anyMatch(recorded -> recorded.event() instanceof CancelingReaderContractFailed);

        InvariantReport report = LibraryInvariants.check(store);

        assertThat(report.holds()).as("%s", report.violations()).isTrue();
        assertThat(report.violations()).isEmpty();
        assertThat(report.eventsRead()).isEqualTo(log.size());
        assertThat(report.loansChecked())
                .isEqualTo(log.stream()
                        .filter(recorded -> recorded.event() instanceof BookCopyLentToReader)
                        .count())
                .isEqualTo(12);
        assertThat(report.books())
                .as("the other book is only in a failure event")
                .isEqualTo(1 + stack.size());
        assertThat(report.readers()).isEqualTo(2);
    }

    @Test
    void theEdgesOfEveryRuleHold() {
        List<BookId> ten = LibraryFixtures.books(10);
        append(registered(READER), registered(OTHER_READER));
        append(LibraryFixtures.addedAndLent(ten, READER));
        append(
                added(BOOK),
                returned(ten.get(0), READER),
                lent(BOOK, READER),
                returned(BOOK, READER),
                lent(BOOK, OTHER_READER),
                removed(OTHER_BOOK),
                added(OTHER_BOOK),
                canceled(OTHER_READER),
                registered(OTHER_READER),
                lent(OTHER_BOOK, OTHER_READER),
                returned(OTHER_BOOK, READER),
                returned(OTHER_BOOK, OTHER_READER),
                lent(OTHER_BOOK, READER));

        InvariantReport report = LibraryInvariants.check(store);

        assertThat(report.violations()).isEmpty();
        assertThat(report.holds()).isTrue();
        assertThat(report.loansChecked()).isEqualTo(14);
    }

    static Stream<Arguments> oneViolationEach() {
        List<BookId> eleven = LibraryFixtures.books(11);
        List<LibraryEvent> elevenLoans = new ArrayList<>(List.of(registered(READER)));
        elevenLoans.addAll(LibraryFixtures.addedAndLent(eleven, READER));
        return Stream.of(
                arguments(
                        "a copy lent to a second reader before it was returned",
                        Rule.BOOK_LENT_TWICE,
                        OTHER_READER,
                        List.of(
                                added(BOOK),
                                registered(READER),
                                registered(OTHER_READER),
                                lent(BOOK, READER),
                                lent(BOOK, OTHER_READER),
                                returned(BOOK, READER))),
                arguments(
                        "a copy lent again to the reader who has it",
                        Rule.BOOK_LENT_TWICE,
                        READER,
                        List.of(added(BOOK), registered(READER), lent(BOOK, READER), lent(BOOK, READER))),
                arguments("an eleventh book", Rule.READER_OVER_LIMIT, READER, elevenLoans),
                arguments(
                        "a copy never added",
                        Rule.BOOK_NOT_IN_CIRCULATION,
                        READER,
                        List.of(registered(READER), added(OTHER_BOOK), lent(BOOK, READER))),
                arguments(
                        "a copy removed and not added again",
                        Rule.BOOK_NOT_IN_CIRCULATION,
                        READER,
                        List.of(registered(READER), added(BOOK), removed(BOOK), lent(BOOK, READER))),
                arguments(
                        "a reader never registered",
                        Rule.READER_NOT_REGISTERED,
                        READER,
                        List.of(added(BOOK), registered(OTHER_READER), lent(BOOK, READER))),
                arguments(
                        "a reader whose contract was canceled",
                        Rule.READER_NOT_REGISTERED,
                        READER,
                        List.of(added(BOOK), registered(READER), canceled(READER), lent(BOOK, READER))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("oneViolationEach")
    void aCraftedHistoryShowsExactlyItsViolation(String name, Rule rule, ReaderId reader, List<LibraryEvent> history) {
        AppendResult appended = append(history);
        long lastLoan = lastLoanIn(history, appended);
        BookId book = ((BookCopyLentToReader) history.get((int) (lastLoan - appended.firstSequenceNumber()))).bookId();

        InvariantReport report = LibraryInvariants.check(store);

        assertThat(report.holds()).isFalse();
        assertThat(report.violationCount()).isEqualTo(1);
        assertThat(report.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.sequenceNumber()).isEqualTo(lastLoan);
            assertThat(violation.rule()).isEqualTo(rule);
            assertThat(violation.bookId()).isEqualTo(book);
            assertThat(violation.readerId()).isEqualTo(reader);
            assertThat(violation.description()).contains(book.value());
        });
        assertThat(report.eventsRead()).isEqualTo(history.size());
    }

    @Test
    void failureEventsAndEventsOfOtherDomainsAreReadAndIgnored() {
        append(
                new LendingBookToReaderFailed(BOOK, READER, "reader not registered"),
                new ReturningBookFromReaderFailed(BOOK, READER, "not lent"),
                new RemovingBookFromCirculationFailed(BOOK, "never added"),
                new CancelingReaderContractFailed(READER, "never registered"));
        store.append(new Event("SomethingElseHappened", "{\"BookID\": \"book-1\"}", "{}", TestStores.START));

        InvariantReport report = LibraryInvariants.check(store);

        assertThat(report).isEqualTo(new InvariantReport(5, 0, 0, 0, 0, List.of()));
    }

    @Test
    void theReportListsTheFirstHundredViolationsAndCountsThemAll() {
        List<LibraryEvent> history = new ArrayList<>();
        for (int index = 0; index < 150; index++) {
            ReaderId reader = ReaderId.of("reader-" + index);
            history.add(registered(reader));
            history.add(lent(BookId.of("never-added-" + index), reader));
        }
        AppendResult appended = append(history);

        InvariantReport report = LibraryInvariants.check(store);

        assertThat(report.violationCount()).isEqualTo(150);
        assertThat(report.violations())
                .hasSize(LibraryInvariants.MAX_REPORTED_VIOLATIONS)
                .allMatch(violation -> violation.rule() == Rule.BOOK_NOT_IN_CIRCULATION)
                .extracting(Violation::sequenceNumber)
                .isSorted()
                .startsWith(appended.firstSequenceNumber() + 1);
        assertThat(report.books()).isEqualTo(150);
        assertThat(report.readers()).isEqualTo(150);
    }

    @Test
    void eightThreadsRunningTheCommandHandlersInContestedRoundsLeaveALogThatHolds() throws Exception {
        List<BookId> books = IntStream.range(0, 14)
                .mapToObj(index -> BookId.of("copy-" + index))
                .toList();
        List<ReaderId> readers = IntStream.range(0, 3)
                .mapToObj(index -> ReaderId.of("borrower-" + index))
                .toList();
        RacingStore racing = new RacingStore(store, 8);
        LibraryCommands commands = LibraryCommands.create(
                racing,
                TestStores.deterministicSettings("second")
                        .withRetryPolicy(RetryPolicy.defaults()
                                .withMaxAttempts(500)
                                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(20))));
        readers.forEach(reader -> commands.handle(new RegisterReader(reader, "Reader " + reader)));
        books.forEach(book -> commands.handle(addCopy(book)));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<CommandOutcome> lendings = new CopyOnWriteArrayList<>();
        List<CommandOutcome> outcomes = new CopyOnWriteArrayList<>();
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                Random random = new Random(thread);
                runs.add(threads.submit(() -> {
                    for (int command = 0; command < 40; command++) {
                        LibraryCommand next = randomCommand(random, books, readers);
                        // In each round every thread reads its boundary before any of them appends.
                        racing.arm();
                        CommandOutcome outcome = commands.handle(next);
                        outcomes.add(outcome);
                        if (next instanceof LendBookCopyToReader) {
                            lendings.add(outcome);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(120, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        InvariantReport report = LibraryInvariants.check(store);

        assertThat(racing.positionsRead()).hasSize(8 * 40);
        assertThat(racing.conflicts())
                .as("appends the store refused, each one retried by its command")
                .isPositive()
                .isEqualTo(outcomes.stream().mapToInt(CommandOutcome::retries).sum());
        assertThat(lendings)
                .as("some lending lost a race for its copy, and was refused after reading the winner's loan")
                .anyMatch(outcome ->
                        outcome.retries() > 0 && outcome.failureReason() == FailureReason.BOOK_LENT_TO_ANOTHER_READER);
        assertThat(report.violations()).isEmpty();
        assertThat(report.holds()).isTrue();
        assertThat(report.loansChecked())
                .as("the log holds exactly the loans the callers were told succeeded")
                .isEqualTo(lendings.stream()
                        .filter(outcome -> outcome.status() == CommandOutcome.Status.SUCCESS)
                        .count());
        assertThat(report.eventsRead()).isEqualTo(log(store).size());
    }

    /** Mostly lending to few readers, so that the limit of ten and the one-borrower rule are contested. */
    private static LibraryCommand randomCommand(Random random, List<BookId> books, List<ReaderId> readers) {
        BookId book = books.get(random.nextInt(books.size()));
        ReaderId reader = readers.get(random.nextInt(readers.size()));
        int dice = random.nextInt(100);
        if (dice < 55) {
            return new LendBookCopyToReader(book, reader);
        } else if (dice < 80) {
            return new ReturnBookCopyFromReader(book, reader);
        } else if (dice < 86) {
            return new RemoveBookCopy(book);
        } else if (dice < 92) {
            return addCopy(book);
        } else if (dice < 96) {
            return new CancelReaderContract(reader);
        }
        return new RegisterReader(reader, "Reader " + reader);
    }

    private AppendResult append(LibraryEvent... events) {
        return append(List.of(events));
    }

    /** Appends unconditionally, around the command handlers. */
    private AppendResult append(List<LibraryEvent> events) {
        return store.append(events.stream()
                .map(event -> LibraryEventCodec.encode(
                        event, new EventMetadata("crafted", "crafted", "crafted"), TestStores.START))
                .toArray(Event[]::new));
    }

    private static long lastLoanIn(List<LibraryEvent> history, AppendResult appended) {
        for (int index = history.size() - 1; index >= 0; index--) {
            if (history.get(index) instanceof BookCopyLentToReader) {
                return appended.firstSequenceNumber() + index;
            }
        }
        throw new IllegalArgumentException("no loan in " + history);
    }
}
