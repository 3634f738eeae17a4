package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.Filter;
import io.dcbstore.StoredEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Occurred-at ranges whose bounds and events fall between microseconds: the store keeps
 * microseconds, and the in-memory {@link Filter#matches} agrees with what a query returns.
 */
class SubMicrosecondTimeRangeTest {
    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    /** Offsets from noon, in nanoseconds, around the first microseconds. */
    private static final long[] OFFSETS = {
        -1_000, -1, 0, 1, 499, 500, 501, 999, 1_000, 1_001, 1_500, 1_999, 2_000, 2_500
    };

    private final EventStore store = StoreFixture.newStore(2, PostgresStoreConfig.defaults());

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void theStoreKeepsAnEventsOccurredAtTruncatedToTheMicrosecond() {
        store.append(eventAt(NOON.plusNanos(1_999)));

        assertThat(store.query(Filter.matchAll()).events())
                .singleElement()
                .extracting(StoredEvent::occurredAt)
                .isEqualTo(NOON.plusNanos(1_000));
    }

    @Test
    void aQueryReturnsExactlyTheStoredEventsTheFilterMatchesInMemoryForBoundsBetweenMicroseconds() {
        List<Event> given = appendOneEventAtEveryOffset();
        List<StoredEvent> stored = store.query(Filter.matchAll()).events();
        assertThat(stored).hasSameSizeAs(given);

        int compared = 0;
        for (Filter filter : rangesWithBoundsAtEveryOffset()) {
            assertThat(sequenceNumbers(store.query(filter).events()))
                    .as("the store for %s", filter)
                    .isEqualTo(sequenceNumbers(
                            stored.stream().filter(filter::matches).toList()));
            compared++;
        }
        assertThat(compared).isGreaterThan(150);
    }

    @Test
    void aFilterMatchesAnEventAsGivenExactlyWhenTheStoreReturnsItOnceAppended() {
        List<Event> given = appendOneEventAtEveryOffset();
        List<StoredEvent> stored = store.query(Filter.matchAll()).events();
        assertThat(stored).hasSameSizeAs(given);

        for (Filter filter : rangesWithBoundsAtEveryOffset()) {
            List<Long> returned = sequenceNumbers(store.query(filter).events());
            for (int i = 0; i < given.size(); i++) {
                assertThat(filter.matches(asGiven(stored.get(i), given.get(i))))
                        .as("in memory, %s as given, against %s", given.get(i).occurredAt(), filter)
                        .isEqualTo(returned.contains(stored.get(i).sequenceNumber()));
            }
        }
    }

    @Test
    void aRangeEndingSixHundredNanosecondsPastAnEventsMicrosecondIncludesItAndNotTheNext() {
        store.append(eventAt(NOON), eventAt(NOON.plusNanos(1_000)));
        Filter filter = Filter.matchAll().occurredUntil(NOON.plusNanos(600));

        List<StoredEvent> returned = store.query(filter).events();

        assertThat(returned).extracting(StoredEvent::occurredAt).containsExactly(NOON);
        assertThat(returned).allMatch(filter::matches);
    }

    private List<Event> appendOneEventAtEveryOffset() {
        List<Event> given = new ArrayList<>();
        for (long offset : OFFSETS) {
            given.add(eventAt(NOON.plusNanos(offset)));
        }
        store.append(given.toArray(Event[]::new));
        return given;
    }

    /** Every range with bounds at the offsets (or none) that a filter accepts. */
    private static List<Filter> rangesWithBoundsAtEveryOffset() {
        List<Instant> bounds = new ArrayList<>(Arrays.asList((Instant) null));
        LongStream.of(OFFSETS).mapToObj(NOON::plusNanos).forEach(bounds::add);
        List<Filter> ranges = new ArrayList<>();
        for (Instant from : bounds) {
            for (Instant until : bounds) {
                if (from == null || until == null || !micros(from).isAfter(micros(until))) {
                    ranges.add(range(from, until));
                }
            }
        }
        return ranges;
    }

    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    private static Filter range(Instant from, Instant until) {
        Filter filter = Filter.matchAll();
        if (from != null) {
            filter = filter.occurredFrom(from);
        }
        return until == null ? filter : filter.occurredUntil(until);
    }

    /** The stored event with the occurred-at it was given, below the microsecond. */
    private static StoredEvent asGiven(StoredEvent stored, Event given) {
        return new StoredEvent(
                stored.sequenceNumber(), stored.type(), stored.payload(), stored.metadata(), given.occurredAt());
    }

    private static List<Long> sequenceNumbers(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::sequenceNumber).toList();
    }

    private static Event eventAt(Instant occurredAt) {
        return new Event("Tick", "{}", "{}", occurredAt);
    }
}
