package io.dcbstore.library;

import static io.dcbstore.library.LibraryFixtures.BOOK;
import static io.dcbstore.library.LibraryFixtures.DETAILS;
import static io.dcbstore.library.LibraryFixtures.OTHER_READER;
import static io.dcbstore.library.LibraryFixtures.READER;
import static io.dcbstore.library.TestStores.START;
import static io.dcbstore.library.TestStores.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.AppendCondition;
import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.DatabaseException;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.Filter;
import io.dcbstore.OperationTimeoutException;
import io.dcbstore.StoredEvent;
import io.dcbstore.library.CommandOutcome.Status;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.LendingBookToReaderFailed;
import io.dcbstore.library.internal.CommandExecutor;
import io.dcbstore.testkit.DelegatingEventStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LibraryCommandsTest {
    private static final RetryPolicy FAST_RETRIES =
            RetryPolicy.defaults().withMaxAttempts(3).withBackoff(Duration.ofMillis(1), Duration.ofMillis(2));

    private EventStore store;
    private LibraryCommands commands;

    @BeforeEach
    void createStore() {
        store = TestStores.newStore();
        commands = LibraryCommands.create(store, TestStores.deterministicSettings());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aSuccessfulCommandAppendsItsEventWithTimeAndMetadata() {
        CommandOutcome outcome = commands.handle(new AddBookCopy(BOOK, DETAILS));

        assertThat(outcome.status()).isEqualTo(Status.SUCCESS);
        assertThat(outcome.retries()).isZero();
        assertThat(outcome.commitToken()).isPresent();
        assertThat(log(store)).singleElement().satisfies(recorded -> {
            assertThat(recorded.event()).isEqualTo(new BookCopyAddedToCirculation(BOOK, DETAILS));
            assertThat(recorded.occurredAt()).isEqualTo(START);
            assertThat(recorded.metadata()).isEqualTo(new EventMetadata("id-2", "id-1", "id-1"));
            assertThat(recorded.sequenceNumber())
                    .isEqualTo(outcome.appendResult().lastSequenceNumber());
        });
    }

    @Test
    void aCommandWithMetadataCausesItsEventsAndPassesOnTheCorrelationId() {
        commands.handle(new RegisterReader(READER, "Ada"), new CommandMetadata("command-9", "conversation-4"));

        assertThat(log(store))
                .singleElement()
                .extracting(RecordedLibraryEvent::metadata)
                .isEqualTo(new EventMetadata("id-1", "command-9", "conversation-4"));
    }

    @Test
    void anIdempotentCommandAppendsNothing() {
        commands.handle(new AddBookCopy(BOOK, DETAILS));

        CommandOutcome outcome = commands.handle(new AddBookCopy(BOOK, DETAILS));

        assertThat(outcome.status()).isEqualTo(Status.IDEMPOTENT);
        assertThat(outcome.reason()).isNotBlank();
        assertThat(outcome.commitToken()).isEmpty();
        assertThat(log(store)).hasSize(1);
    }

    @Test
    void aBusinessFailureAppendsTheFailureEventAndReportsTheReason() {
        commands.handle(new AddBookCopy(BOOK, DETAILS));

        CommandOutcome outcome = commands.handle(new LendBookCopyToReader(BOOK, READER));

        assertThat(outcome.status()).isEqualTo(Status.BUSINESS_FAILURE);
        assertThat(outcome.failureReason()).isEqualTo(FailureReason.READER_NOT_REGISTERED);
        assertThat(outcome.reason()).isEqualTo(FailureReason.READER_NOT_REGISTERED.description());
        assertThat(log(store))
                .last()
                .extracting(RecordedLibraryEvent::event)
                .isEqualTo(
                        new LendingBookToReaderFailed(BOOK, READER, FailureReason.READER_NOT_REGISTERED.description()));
    }

    @Test
    void aWholeLendingCycleSucceedsStepByStep() {
        List<LibraryCommand> cycle = List.of(
                new RegisterReader(READER, "Ada"),
                new AddBookCopy(BOOK, DETAILS),
                new LendBookCopyToReader(BOOK, READER),
                new ReturnBookCopyFromReader(BOOK, READER),
                new RemoveBookCopy(BOOK),
                new CancelReaderContract(READER));

        List<Status> statuses =
                cycle.stream().map(command -> commands.handle(command).status()).toList();

        assertThat(statuses).containsOnly(Status.SUCCESS);
        assertThat(log(store))
                .extracting(recorded -> recorded.event().eventType())
                .containsExactly(
                        "ReaderRegistered",
                        "BookCopyAddedToCirculation",
                        "BookCopyLentToReader",
                        "BookCopyReturnedByReader",
                        "BookCopyRemovedFromCirculation",
                        "ReaderContractCanceled");
    }

    @Test
    void aCommandWhoseBoundaryChangedDecidesAgainAndCountsTheRetry() {
        commands.handle(new RegisterReader(READER, "Ada"));
        commands.handle(new RegisterReader(OTHER_READER, "Grace"));
        commands.handle(new AddBookCopy(BOOK, DETAILS));
        LibraryCommands racing = LibraryCommands.create(
                new InterleavingStore(store, () -> commands.handle(new LendBookCopyToReader(BOOK, OTHER_READER))),
                TestStores.deterministicSettings("second"));

        CommandOutcome outcome = racing.handle(new LendBookCopyToReader(BOOK, READER));

        assertThat(outcome.retries()).isEqualTo(1);
        assertThat(outcome.failureReason()).isEqualTo(FailureReason.BOOK_LENT_TO_ANOTHER_READER);
        assertThat(log(store))
                .filteredOn(recorded -> recorded.event() instanceof BookCopyLentToReader)
                .extracting(RecordedLibraryEvent::event)
                .containsExactly(new BookCopyLentToReader(BOOK, OTHER_READER));
    }

    @Test
    void whenEveryAttemptConflictsTheCommandGivesUpWithATypedException() {
        AtomicInteger appends = new AtomicInteger();
        EventStore alwaysConflicting = new DelegatingEventStore(store) {
            @Override
            public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
                appends.incrementAndGet();
                throw new AppendConditionFailedException(condition.after(), condition.after() + 1);
            }
        };
        LibraryCommands giving = LibraryCommands.create(
                alwaysConflicting, TestStores.deterministicSettings().withRetryPolicy(FAST_RETRIES));
        LendBookCopyToReader command = new LendBookCopyToReader(BOOK, READER);

        assertThatThrownBy(() -> giving.handle(command))
                .isInstanceOfSatisfying(ConcurrencyRetriesExhaustedException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(3);
                    assertThat(e.command()).isEqualTo(command);
                    assertThat(e.getCause()).isInstanceOf(AppendConditionFailedException.class);
                });
        assertThat(appends).hasValue(3);
        assertThat(log(store)).isEmpty();
    }

    @Test
    void storeFailuresOtherThanConflictsAreNotRetried() {
        AtomicInteger appends = new AtomicInteger();
        EventStore timingOut = new DelegatingEventStore(store) {
            @Override
            public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
                appends.incrementAndGet();
                throw new OperationTimeoutException("append", Duration.ofSeconds(5), null);
            }
        };
        LibraryCommands failing = LibraryCommands.create(
                timingOut, TestStores.deterministicSettings().withRetryPolicy(FAST_RETRIES));

        assertThatThrownBy(() -> failing.handle(new AddBookCopy(BOOK, DETAILS)))
                .isInstanceOf(OperationTimeoutException.class);
        assertThat(appends).hasValue(1);
    }

    @Test
    void anAppendWhoseOutcomeIsUnknownIsResentWithTheSameEventIdsAndStoredOnce() {
        AtomicInteger appends = new AtomicInteger();
        EventStore losingTheFirstReply = new DelegatingEventStore(store) {
            @Override
            public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
                AppendResult stored = super.append(events, condition, options);
                if (appends.incrementAndGet() == 1) {
                    throw new DatabaseException(
                            "the connection failed after the server committed", "08006", true, null);
                }
                return stored;
            }
        };
        LibraryCommands resending = LibraryCommands.create(
                losingTheFirstReply,
                TestStores.deterministicSettings("resending").withRetryPolicy(FAST_RETRIES));

        CommandOutcome outcome = resending.handle(new AddBookCopy(BOOK, DETAILS));

        assertThat(outcome.status()).isEqualTo(Status.SUCCESS);
        assertThat(outcome.retries()).as("a re-sent append is not a conflict").isZero();
        assertThat(appends).hasValue(2);
        assertThat(log(store)).hasSize(1);
        assertThat(store.query(Filter.matchAll()).events())
                .extracting(StoredEvent::id)
                .containsExactly(CommandExecutor.eventId("resending-1", 0));
    }

    @Test
    void aStoreFailureThatPersistsIsResentForTheResendTimeThenIsTheCommands() {
        AtomicInteger appends = new AtomicInteger();
        EventStore down = new DelegatingEventStore(store) {
            @Override
            public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
                appends.incrementAndGet();
                throw new DatabaseException("connection refused", "08001", true, null);
            }
        };
        LibraryCommands failing = LibraryCommands.create(
                down,
                TestStores.deterministicSettings().withRetryPolicy(FAST_RETRIES).withResendFor(Duration.ofMillis(300)));

        long started = System.nanoTime();
        assertThatThrownBy(() -> failing.handle(new AddBookCopy(BOOK, DETAILS))).isInstanceOf(DatabaseException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("re-sent for resendFor, then given up")
                .isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
        assertThat(appends.get()).isGreaterThan(1);
        assertThat(log(store)).isEmpty();
    }

    /** Runs another command just before the first append, as a concurrent caller would. */
    private static final class InterleavingStore extends DelegatingEventStore {
        private final Runnable interleaved;
        private boolean done;

        InterleavingStore(EventStore delegate, Runnable interleaved) {
            super(delegate);
            this.interleaved = interleaved;
        }

        @Override
        public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
            if (!done) {
                done = true;
                interleaved.run();
            }
            return super.append(events, condition, options);
        }
    }
}
