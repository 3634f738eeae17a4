package io.dcbstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import io.dcbstore.EventIdConflictException;
import io.dcbstore.EventStream;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.InvalidInputException;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.ReadOptions;
import io.dcbstore.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Appends whose events carry client-chosen ids: a re-sent append (after an unknown outcome) returns
 * the stored append's result and writes nothing; ids reused for other events are refused. An
 * engine's test extends this class and supplies a fresh, empty store per test.
 */
public abstract class IdempotentAppendContract extends StoreContractBase {
    private static final Filter EVERYTHING = Filter.anyOf(FilterItem.types("Lent", "Returned"));

    private static Filter copy(String id) {
        return Filter.anyOf(FilterItem.types("Lent", "Returned").allOf(PayloadPredicate.eq("Copy", id)));
    }

    private static Event lent(String copy, UUID id) {
        return Event.of("Lent", Map.of("Copy", copy, "Reader", "r-1")).withId(id);
    }

    private static Event returned(String copy, UUID id) {
        return Event.of("Returned", Map.of("Copy", copy)).withId(id);
    }

    @Test
    void anUnconditionalAppendResentWithTheSameIdsReturnsTheFirstResultAndWritesNothing() {
        List<Event> events = List.of(lent("c-1", UUID.randomUUID()), returned("c-1", UUID.randomUUID()));
        AppendResult first = store.append(events, null, AppendOptions.DEFAULT);
        store.append(Event.of("Lent", Map.of("Copy", "c-2")));

        AppendResult again = store.append(events, null, AppendOptions.DEFAULT);

        assertThat(again.firstSequenceNumber()).isEqualTo(first.firstSequenceNumber());
        assertThat(again.lastSequenceNumber()).isEqualTo(first.lastSequenceNumber());
        assertThat(again.commitToken().sequenceNumber()).isEqualTo(first.lastSequenceNumber());
        assertThat(store.query(EVERYTHING).events()).hasSize(3);
    }

    @Test
    void aConditionalAppendResentAfterItsOwnEventsChangedTheBoundaryReturnsTheFirstResult() {
        Event event = lent("c-1", UUID.randomUUID());
        AppendResult first = store.append(copy("c-1"), 0, event);

        AppendResult again = store.append(copy("c-1"), 0, event);

        assertThat(again)
                .isEqualTo(
                        new AppendResult(first.firstSequenceNumber(), first.lastSequenceNumber(), again.commitToken()));
        assertThat(again.commitToken().sequenceNumber()).isEqualTo(first.lastSequenceNumber());
        assertThat(again.commitToken().walPosition())
                .isGreaterThanOrEqualTo(first.commitToken().walPosition());
        assertThat(store.query(copy("c-1")).events()).hasSize(1);
    }

    @Test
    void aResentAppendMayDifferInMetadataAndOccurredAtButNotInTypeOrPayload() {
        UUID id = UUID.randomUUID();
        Event event = lent("c-1", id);
        AppendResult first = store.append(copy("c-1"), 0, event);

        AppendResult later = store.append(
                copy("c-1"),
                0,
                event.withMetadata("{\"attempt\": 2}")
                        .withOccurredAt(event.occurredAt().plusSeconds(1)));
        assertThat(later.lastSequenceNumber()).isEqualTo(first.lastSequenceNumber());

        assertThatThrownBy(() -> store.append(copy("c-1"), 0, returned("c-1", id)))
                .isInstanceOf(EventIdConflictException.class)
                .hasMessageContaining(id.toString())
                .satisfies(e ->
                        assertThat(((EventIdConflictException) e).storedIds()).containsExactly(id));
        assertThatThrownBy(() -> store.append(
                        Event.of("Lent", Map.of("Copy", "c-1", "Reader", "r-2")).withId(id)))
                .isInstanceOf(EventIdConflictException.class);
        assertThat(store.query(EVERYTHING).events()).hasSize(1);
    }

    @Test
    void payloadsAreComparedAsJsonNotAsText() {
        UUID id = UUID.randomUUID();
        Event spaced = new Event("Lent", "{\"Copy\": \"c-1\",   \"N\": 1.50}", "{}", Instant.now(), id);
        Event compact = new Event("Lent", "{\"N\":1.5,\"Copy\":\"c-1\"}", "{}", Instant.now(), id);
        AppendResult first = store.append(spaced);

        assertThat(store.append(compact).lastSequenceNumber()).isEqualTo(first.lastSequenceNumber());
        assertThat(store.query(EVERYTHING).events()).hasSize(1);
    }

    @Test
    void anAppendThatReusesOnlySomeStoredIdsIsRefusedAndWritesNothing() {
        UUID stored = UUID.randomUUID();
        store.append(lent("c-1", stored));

        assertThatThrownBy(() -> store.append(returned("c-1", UUID.randomUUID()), lent("c-1", stored)))
                .isInstanceOf(EventIdConflictException.class)
                .satisfies(e ->
                        assertThat(((EventIdConflictException) e).storedIds()).containsExactly(stored));
        assertThat(store.query(EVERYTHING).events()).hasSize(1);
    }

    @Test
    void aResendOfOnlyPartOfAStoredAppendIsRefused() {
        Event a = lent("c-1", UUID.randomUUID());
        Event b = returned("c-1", UUID.randomUUID());
        Event c = lent("c-1", UUID.randomUUID());
        store.append(a, b, c);

        assertThatThrownBy(() -> store.append(b, c)).isInstanceOf(EventIdConflictException.class);
        assertThatThrownBy(() -> store.append(a, b)).isInstanceOf(EventIdConflictException.class);
        assertThat(store.query(EVERYTHING).events()).hasSize(3);
    }

    @Test
    void twoStoredAppendsAreNotTakenForOneResentAppend() {
        Event x = lent("c-1", UUID.randomUUID());
        Event y = returned("c-1", UUID.randomUUID());
        store.append(x);
        store.append(y);

        assertThatThrownBy(() -> store.append(x, y)).isInstanceOf(EventIdConflictException.class);
        assertThat(store.query(EVERYTHING).events()).hasSize(2);
    }

    @Test
    void theSameIdsInAnotherOrderAreRefused() {
        Event a = lent("c-1", UUID.randomUUID());
        Event b = returned("c-1", UUID.randomUUID());
        store.append(a, b);

        assertThatThrownBy(() -> store.append(b, a)).isInstanceOf(EventIdConflictException.class);
        assertThat(store.query(EVERYTHING).events()).hasSize(2);
    }

    @Test
    void aConditionThatFailsOnOtherEventsIsStillAConflictWhenTheIdsAreNew() {
        store.append(copy("c-1"), 0, lent("c-1", UUID.randomUUID()));

        assertThatThrownBy(() -> store.append(copy("c-1"), 0, returned("c-1", UUID.randomUUID())))
                .isInstanceOf(AppendConditionFailedException.class);
        assertThat(store.query(EVERYTHING).events()).hasSize(1);
    }

    @Test
    void anAppendWithIdsOnOnlySomeEventsOrAnIdTwiceIsRefusedBeforeAnySql() {
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> store.append(lent("c-1", id), Event.of("Returned", Map.of("Copy", "c-1"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("every event");
        assertThatThrownBy(() -> store.append(lent("c-1", id), returned("c-1", id)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("repeats the id");
        assertThat(store.query(EVERYTHING).events()).isEmpty();
        assertThat(store.append(lent("c-1", id)).lastSequenceNumber()).isPositive();
    }

    @Test
    void readsReturnEachEventWithItsIdAndNoneForEventsWithout() {
        UUID id = UUID.randomUUID();
        store.append(lent("c-1", id));
        store.append(Event.of("Returned", Map.of("Copy", "c-1")));

        assertThat(store.query(EVERYTHING).events()).extracting(StoredEvent::id).containsExactly(id, null);
        List<UUID> streamed = new ArrayList<>();
        try (EventStream stream = store.stream(EVERYTHING, ReadOptions.STRONG)) {
            stream.forEachRemaining(event -> streamed.add(event.id()));
        }
        assertThat(streamed).containsExactly(id, null);
    }
}
