package io.dcbstore.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.AppendCondition;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.EventStream;
import io.dcbstore.EventSubscription;
import io.dcbstore.Filter;
import io.dcbstore.OperationTimeoutException;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.Snapshot;
import io.dcbstore.SubscriptionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimedEventStoreTest {
    /** Records the timeouts it is called with; answers with nothing. */
    private static final class RecordingStore implements EventStore {
        final List<Duration> timeouts = new ArrayList<>();

        @Override
        public QueryResult query(Filter filter, ReadOptions options) {
            timeouts.add(options.timeout());
            return new QueryResult(List.of(), 0);
        }

        @Override
        public EventStream stream(Filter filter, ReadOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public EventSubscription subscribe(Filter filter, long afterSequenceNumber, SubscriptionOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
            timeouts.add(options.timeout());
            return null;
        }

        @Override
        public boolean saveSnapshot(Snapshot snapshot) {
            return false;
        }

        @Override
        public Optional<Snapshot> loadSnapshot(String projectionType, String filterHash) {
            return Optional.empty();
        }

        @Override
        public boolean deleteSnapshot(String projectionType, String filterHash) {
            return false;
        }

        @Override
        public void close() {}
    }

    private final RecordingStore recording = new RecordingStore();
    private final TimedEventStore store = new TimedEventStore(recording);
    private final Filter filter = Filter.matchAll();

    @AfterEach
    void noDeadlineForTheNextTest() {
        RequestContext.begin(Long.MAX_VALUE, 0);
    }

    @Test
    void aSnapshotSaveIsReportedWithItsProjectionItsSizeAndWhenItStartedAndEnded() {
        List<String> saves = new ArrayList<>();
        long[] times = new long[2];
        TimedEventStore observed =
                new TimedEventStore(recording, (projectionType, stateChars, startNanos, endNanos) -> {
                    saves.add(projectionType + ", " + stateChars + " chars");
                    times[0] = startNanos;
                    times[1] = endNanos;
                });
        long before = System.nanoTime();

        observed.saveSnapshot(Snapshot.of("BooksLentOut", filter, 42, "{\"a\":1}"));

        assertThat(saves).containsExactly("BooksLentOut, 7 chars");
        assertThat(times[0]).isBetween(before, times[1]);
        assertThat(times[1]).isLessThanOrEqualTo(System.nanoTime());
    }

    @Test
    void aCallGetsOnlyTheTimeLeftUntilTheRequestsDeadline() {
        RequestContext.begin(
                System.nanoTime() + Duration.ofMillis(300).toNanos(),
                Duration.ofMillis(300).toNanos());

        store.query(filter, ReadOptions.EVENTUAL);
        store.append(
                List.of(Event.of("BookCopyAdded", "{}")),
                null,
                AppendOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)));

        assertThat(recording.timeouts)
                .hasSize(2)
                .allSatisfy(timeout -> assertThat(timeout).isPositive().isLessThanOrEqualTo(Duration.ofMillis(300)));
    }

    @Test
    void aShorterTimeoutOfTheCallerIsKept() {
        RequestContext.begin(
                System.nanoTime() + Duration.ofSeconds(10).toNanos(),
                Duration.ofSeconds(10).toNanos());

        store.query(filter, ReadOptions.EVENTUAL.withTimeout(Duration.ofMillis(20)));

        assertThat(recording.timeouts).containsExactly(Duration.ofMillis(20));
    }

    @Test
    void aCallAfterTheDeadlineTimesOutWithoutReachingTheStore() {
        RequestContext.begin(System.nanoTime() - 1, Duration.ofSeconds(1).toNanos());

        assertThatThrownBy(() -> store.append(List.of(Event.of("BookCopyAdded", "{}")), null, AppendOptions.DEFAULT))
                .isInstanceOf(OperationTimeoutException.class);
        assertThat(recording.timeouts).isEmpty();
    }

    @Test
    void outsideARequestTheCallersTimeoutIsPassedOnUnchanged() {
        RequestContext.begin(Long.MAX_VALUE, 0);

        store.query(filter, ReadOptions.EVENTUAL);

        assertThat(recording.timeouts).containsExactly((Duration) null);
    }
}
