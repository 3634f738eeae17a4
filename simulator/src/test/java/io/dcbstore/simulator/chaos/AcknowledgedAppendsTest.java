package io.dcbstore.simulator.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcknowledgedAppendsTest {

    @Test
    void eachEventOfAnAcknowledgedAppendIsKeptWithItsSequenceNumberTypeAndIds() {
        AcknowledgedAppends acknowledged = new AcknowledgedAppends();
        Event first = Event.of("ReaderRegistered", "{\"ReaderID\": \"r-1\"}")
                .withMetadata("{\"MessageID\": \"m-1\", \"CausationID\": \"c-1\", \"CorrelationID\": \"c-1\"}");
        Event second = Event.of("BookCopyLentToReader", "{\"BookID\": \"b-1\"}")
                .withMetadata("{\"MessageID\": \"m-2\", \"CausationID\": \"c-1\", \"CorrelationID\": \"c-1\"}");

        acknowledged.record(new AppendResult(41, 42, null), List.of(first, second));

        assertThat(acknowledged.appends()).isEqualTo(1);
        assertThat(acknowledged.events())
                .containsExactly(
                        new AcknowledgedEvent(41, new EventIdentity("ReaderRegistered", "m-1", "c-1")),
                        new AcknowledgedEvent(42, new EventIdentity("BookCopyLentToReader", "m-2", "c-1")));
    }

    @Test
    void anEventWithoutIdsIsKeptWithEmptyIds() {
        assertThat(EventIdentity.of("Seeded", "{}")).isEqualTo(new EventIdentity("Seeded", "", ""));
    }
}
