package io.dcbstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link QueryResult} and {@link StoredEvent}: the invariants the store guarantees. */
class QueryResultTest {
    private static StoredEvent stored(long sequenceNumber) {
        return new StoredEvent(sequenceNumber, "BookLent", "{}", "{}", Instant.parse("2024-05-01T12:00:00Z"));
    }

    @Test
    void anEmptyResultCarriesThePositionTheReadStartedAfterButNeverANegativeOne() {
        assertThat(new QueryResult(List.of(), 0).events()).isEmpty();
        assertThat(new QueryResult(List.of(), 3).maxSequenceNumber()).isEqualTo(3);
        assertThatThrownBy(() -> new QueryResult(List.of(), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxSequenceNumber -1 disagrees with the events (none)");
    }

    @Test
    void theMaximumMustBeTheLastEventsSequenceNumber() {
        assertThat(new QueryResult(List.of(stored(2), stored(9)), 9).maxSequenceNumber())
                .isEqualTo(9);
        assertThatThrownBy(() -> new QueryResult(List.of(stored(2), stored(9)), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxSequenceNumber 2 disagrees with the events (9)");
    }

    @Test
    void theEventsAreCopiedAndCannotBeChanged() {
        List<StoredEvent> events = new ArrayList<>(List.of(stored(1)));
        QueryResult result = new QueryResult(events, 1);

        events.add(stored(2));

        assertThat(result.events()).containsExactly(stored(1));
        assertThatThrownBy(() -> result.events().add(stored(3))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aStoredEventNeedsAPositiveSequenceNumber() {
        assertThatThrownBy(() -> stored(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sequence number must be positive, got 0");
    }
}
