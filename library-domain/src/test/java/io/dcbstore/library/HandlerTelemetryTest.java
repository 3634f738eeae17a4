package io.dcbstore.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.AppendCondition;
import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.testkit.DelegatingEventStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The library's handler metrics and observations, against the real embedded server. */
class HandlerTelemetryTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TestObservationRegistry observations = TestObservationRegistry.create();
    private final AtomicInteger conflictsToInject = new AtomicInteger();
    private final EventStore real = TestStores.newStore();
    private final EventStore store = new DelegatingEventStore(real) {
        @Override
        public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
            if (conflictsToInject.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw new AppendConditionFailedException(condition.after(), condition.after() + 1);
            }
            return super.append(events, condition, options);
        }
    };
    private final LibraryCommands commands = ObservedLibrary.commands(
            store,
            TestStores.deterministicSettings()
                    .withRetryPolicy(RetryPolicy.defaults()
                            .withMaxAttempts(3)
                            .withBackoff(Duration.ofMillis(1), Duration.ofMillis(2))),
            meters,
            observations);

    @AfterEach
    void closeStore() {
        real.close();
    }

    private double commands(String command, String outcome) {
        return meters.get("library.commands")
                .tags("command", command, "outcome", outcome)
                .timer()
                .count();
    }

    @Test
    void commandsAreTimedByCommandAndOutcome() {
        ReaderId reader = ReaderId.of("r1");
        BookId book = BookId.of("b1");
        commands.handle(new RegisterReader(reader, "Ann"));
        commands.handle(TestStores.addCopy(book));
        commands.handle(new LendBookCopyToReader(book, reader));
        commands.handle(new LendBookCopyToReader(book, reader));
        commands.handle(new LendBookCopyToReader(book, ReaderId.of("nobody")));

        assertThat(commands("register_reader", "success")).isEqualTo(1);
        assertThat(commands("add_book_copy", "success")).isEqualTo(1);
        assertThat(commands("lend_book_copy_to_reader", "success")).isEqualTo(1);
        assertThat(commands("lend_book_copy_to_reader", "idempotent")).isEqualTo(1);
        assertThat(commands("lend_book_copy_to_reader", "business_failure")).isEqualTo(1);
        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("library.command", 5)
                .hasNumberOfObservationsWithNameEqualTo("library.decide", 5)
                .hasAnObservation(observation -> observation
                        .hasContextualNameEqualTo("command lend_book_copy_to_reader")
                        .hasLowCardinalityKeyValue("library.outcome", "business_failure"));
    }

    @Test
    void aConflictIsRetriedAndTheRetryAndItsDelayAreRecorded() {
        conflictsToInject.set(1);
        commands.handle(new RegisterReader(ReaderId.of("r2"), "Bo"));

        assertThat(commands("register_reader", "success")).isEqualTo(1);
        assertThat(meters.get("library.command.retries")
                        .tag("command", "register_reader")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("library.command.retry.delay")
                        .tag("command", "register_reader")
                        .timer()
                        .count())
                .isEqualTo(1);
        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo("library.command")
                .that()
                .hasEvent("retry")
                .hasHighCardinalityKeyValue("library.retries", "1");
    }

    @Test
    void exhaustedRetriesAreAConflictOutcome() {
        conflictsToInject.set(3);
        assertThatThrownBy(() -> commands.handle(new RegisterReader(ReaderId.of("r3"), "Cy")))
                .isInstanceOf(ConcurrencyRetriesExhaustedException.class);

        assertThat(commands("register_reader", "conflict")).isEqualTo(1);
        assertThat(meters.get("library.command.retries.exhausted")
                        .tag("command", "register_reader")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("library.command.retries")
                        .tag("command", "register_reader")
                        .counter()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void aTracingHandlerThatThrowsNeverTurnsAHandledCommandIntoAFailure() {
        ObservationRegistry broken = ObservationRegistry.create();
        broken.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                throw new IllegalStateException("tracing backend down");
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        LibraryCommands tracedCommands =
                ObservedLibrary.commands(store, TestStores.deterministicSettings("second"), meters, broken);

        CommandOutcome outcome = tracedCommands.handle(new RegisterReader(ReaderId.of("r5"), "Di"));

        assertThat(outcome.status()).isEqualTo(CommandOutcome.Status.SUCCESS);
        assertThat(TestStores.log(real)).hasSize(1);
        assertThat(commands("register_reader", "success")).isEqualTo(1);
    }

    @Test
    void queriesAreTimedWithTheEventsTheyAppliedAndTheCacheTheyUsed() {
        commands.handle(TestStores.addCopy(BookId.of("b4")));
        LibraryQueries queries = ObservedLibrary.queries(store, QuerySettings.defaults(), meters, observations);
        assertThat(queries.booksInCirculation().books()).hasSize(1);
        queries.booksInCirculation();

        assertThat(meters.get("library.queries")
                        .tags("query", "books_in_circulation", "outcome", "success")
                        .timer()
                        .count())
                .isEqualTo(2);
        assertThat(meters.get("library.projection.events.applied")
                        .tag("query", "books_in_circulation")
                        .summary()
                        .totalAmount())
                .isEqualTo(1);
        assertThat(cacheHits()).isEqualTo(1);
        // A function counter holds what it reads weakly: it must still count after a collection.
        System.gc();
        queries.booksInCirculation();
        assertThat(cacheHits()).isEqualTo(2);
        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("library.query", 3);
    }

    private double cacheHits() {
        return meters.get("library.projection.cache")
                .tag("result", "hit")
                .functionCounter()
                .count();
    }
}
