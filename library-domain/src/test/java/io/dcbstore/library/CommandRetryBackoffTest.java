package io.dcbstore.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dcbstore.AppendCondition;
import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.library.internal.CommandExecutor;
import io.dcbstore.library.internal.HandlerTelemetry;
import io.dcbstore.testkit.DelegatingEventStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The command loop waits between attempts as its {@link RetryPolicy} says, and gives up after
 * exactly {@code maxAttempts} attempts. Every conflict is a real one, found by PostgreSQL: each
 * append is sent with a condition one event older than the command read, as if another writer had
 * appended in between.
 */
class CommandRetryBackoffTest {
    private static final BookId BOOK = BookId.of("backoff-book");
    private static final ReaderId READER = ReaderId.of("backoff-reader");

    private final EventStore real = TestStores.newStore();
    private final List<Long> attemptStarts = new CopyOnWriteArrayList<>();
    private final List<Long> attemptEnds = new CopyOnWriteArrayList<>();
    private final List<Duration> recordedBackoffs = new CopyOnWriteArrayList<>();
    private final AtomicInteger exhausted = new AtomicInteger();
    private final EventStore alwaysOvertaken = new DelegatingEventStore(real) {
        @Override
        public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
            attemptStarts.add(System.nanoTime());
            try {
                return super.append(
                        events, AppendCondition.of(condition.failIfEventsMatch(), condition.after() - 1), options);
            } finally {
                attemptEnds.add(System.nanoTime());
            }
        }
    };
    private final HandlerTelemetry telemetry = new HandlerTelemetry() {
        @Override
        public void retry(String command, Duration delay) {
            recordedBackoffs.add(delay);
        }

        @Override
        public void retriesExhausted(String command) {
            exhausted.incrementAndGet();
        }
    };

    @BeforeEach
    void registerTheReaderAndAddTheCopy() {
        LibraryCommands commands = LibraryCommands.create(real, TestStores.deterministicSettings("setup"));
        commands.handle(new RegisterReader(READER, "Ann"));
        commands.handle(TestStores.addCopy(BOOK));
    }

    @AfterEach
    void closeStore() {
        real.close();
    }

    private ConcurrencyRetriesExhaustedException lendUntilExhausted(RetryPolicy policy) {
        CommandExecutor executor = new CommandExecutor(
                alwaysOvertaken, TestStores.deterministicSettings().withRetryPolicy(policy), telemetry);
        LendBookCopyToReader lend = new LendBookCopyToReader(BOOK, READER);
        ConcurrencyRetriesExhaustedException thrown = catchThrowableOfType(
                ConcurrencyRetriesExhaustedException.class,
                () -> executor.execute(lend, CommandMetadata.startingConversation("lend-1")));
        assertThat(thrown).as("the exhausted retries").isNotNull();
        assertThat(thrown.getCause())
                .as("a conflict PostgreSQL found")
                .isInstanceOf(AppendConditionFailedException.class);
        return thrown;
    }

    /** @return the time between each conflict and the next attempt's append */
    private List<Duration> pauses() {
        return IntStream.range(0, attemptStarts.size() - 1)
                .mapToObj(i -> Duration.ofNanos(attemptStarts.get(i + 1) - attemptEnds.get(i)))
                .toList();
    }

    @Test
    void theCommandPausesBetweenAttemptsForTheExponentialCappedBackoffOfItsPolicy() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(40), Duration.ofMillis(150), 2.0, 0.0);

        ConcurrencyRetriesExhaustedException gaveUp = lendUntilExhausted(policy);

        assertThat(gaveUp.attempts()).isEqualTo(5);
        assertThat(attemptStarts).as("appends sent").hasSize(5);
        assertThat(recordedBackoffs)
                .as("the backoff before each retry, without jitter")
                .containsExactly(
                        Duration.ofMillis(40), Duration.ofMillis(80), Duration.ofMillis(150), Duration.ofMillis(150));
        List<Duration> pauses = pauses();
        for (int retry = 0; retry < pauses.size(); retry++) {
            Duration backoff = recordedBackoffs.get(retry);
            assertThat(pauses.get(retry))
                    .as(
                            "the pause before retry %s (backoff %s), which also reads the boundary again",
                            retry + 1, backoff)
                    .isGreaterThanOrEqualTo(backoff.minusMillis(1))
                    .isLessThan(backoff.plusSeconds(2));
        }
        assertThat(exhausted).hasValue(1);
    }

    @Test
    void jitteredBackoffsStayBetweenTheirLowerBoundAndTheCappedExponentialAndAreWaited() {
        RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(30), Duration.ofMillis(100), 3.0, 0.5);

        lendUntilExhausted(policy);

        long[] cappedMillis = {30, 90, 100};
        assertThat(recordedBackoffs).hasSize(3);
        List<Duration> pauses = pauses();
        for (int retry = 0; retry < 3; retry++) {
            Duration full = Duration.ofMillis(cappedMillis[retry]);
            assertThat(recordedBackoffs.get(retry))
                    .as("retry %s: at most half of %s taken off", retry + 1, full)
                    .isBetween(full.dividedBy(2), full);
            assertThat(pauses.get(retry))
                    .isGreaterThanOrEqualTo(recordedBackoffs.get(retry).minusMillis(1))
                    .isLessThan(full.plusSeconds(2));
        }
    }

    @Test
    void exhaustedRetriesRaiseTheTypedExceptionAfterExactlyMaxAttemptsAttempts() {
        for (int maxAttempts : new int[] {1, 2, 7}) {
            attemptStarts.clear();
            attemptEnds.clear();
            recordedBackoffs.clear();
            exhausted.set(0);

            ConcurrencyRetriesExhaustedException gaveUp =
                    lendUntilExhausted(new RetryPolicy(maxAttempts, Duration.ZERO, Duration.ZERO, 1.0, 0.0));

            assertThat(gaveUp.attempts()).as("attempts of %s", maxAttempts).isEqualTo(maxAttempts);
            assertThat(attemptStarts).as("appends sent of %s", maxAttempts).hasSize(maxAttempts);
            assertThat(recordedBackoffs).as("retries of %s", maxAttempts).hasSize(maxAttempts - 1);
            assertThat(exhausted).hasValue(1);
        }
        assertThat(TestStores.log(real)).as("nothing lent").hasSize(2);
    }
}
