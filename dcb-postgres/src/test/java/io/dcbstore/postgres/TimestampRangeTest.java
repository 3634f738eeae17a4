package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.InvalidInputException;
import io.dcbstore.StoredEvent;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The API's range of instants is the one PostgreSQL's timestamptz holds: an instant just outside
 * is refused before any SQL and nothing is written; the instants at its very edges are stored and
 * read back as given.
 */
class TimestampRangeTest {
    private static final Instant EARLIEST = Instant.parse("-4713-11-24T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+294276-12-31T23:59:59.999999Z");

    private final EventStore store = StoreFixture.newStore(2, PostgresStoreConfig.defaults());

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void anEventAtAnInstantOutsideTheRangeIsRefusedAsInvalidInputAndNothingIsWritten() {
        Event inRange = new Event("A", "{}", "{}", Instant.parse("2024-01-01T00:00:00Z"));

        for (Instant outside : new Instant[] {EARLIEST.minusNanos(1_000), LATEST.plusNanos(1_000)}) {
            assertThatThrownBy(() -> store.append(inRange, inRange.withOccurredAt(outside)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("occurredAt " + outside + " is outside the range");
        }

        assertThat(store.query(Filter.matchAll()).events()).isEmpty();
        assertThat(store.append(inRange).firstSequenceNumber())
                .as("no sequence number was taken by the refused appends")
                .isEqualTo(1);
    }

    @Test
    void aQueryWithABoundOutsideTheRangeIsRefusedAsInvalidInput() {
        Filter filter = Filter.anyOf(FilterItem.types("A"));

        assertThatThrownBy(() -> store.query(filter.occurredUntil(LATEST.plusNanos(1_000))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("occurredUntil");
        assertThatThrownBy(() -> store.query(filter.occurredFrom(EARLIEST.minusNanos(1))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("occurredFrom");
    }

    @Test
    void eventsAtTheEdgesOfTheRangeAreStoredAndFoundByBoundsAtTheEdges() {
        store.append(
                new Event("A", "{}", "{}", EARLIEST),
                new Event("A", "{}", "{}", LATEST),
                new Event("A", "{}", "{}", Instant.parse("+10000-01-01T00:00:00Z")),
                new Event("A", "{}", "{}", Instant.parse("0000-06-01T00:00:00Z")));

        assertThat(store.query(Filter.matchAll()).events())
                .extracting(StoredEvent::occurredAt)
                .containsExactly(
                        EARLIEST,
                        LATEST,
                        Instant.parse("+10000-01-01T00:00:00Z"),
                        Instant.parse("0000-06-01T00:00:00Z"));
        Filter all = Filter.anyOf(FilterItem.types("A"));
        assertThat(store.query(all.occurredUntil(EARLIEST)).events())
                .extracting(StoredEvent::occurredAt)
                .containsExactly(EARLIEST);
        assertThat(store.query(all.occurredFrom(LATEST)).events())
                .extracting(StoredEvent::occurredAt)
                .containsExactly(LATEST);
        assertThat(store.query(all.occurredFrom(EARLIEST).occurredUntil(LATEST)).events())
                .hasSize(4);
    }
}
