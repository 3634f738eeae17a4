package io.dcbstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.AppendCondition;
import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.EventStream;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.InvalidInputException;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.Snapshot;
import io.dcbstore.StoredEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link EventStore} must have, run against a real store. An engine's test
 * extends this class and supplies a fresh, empty store per test. Concurrency properties live in
 * {@link ConcurrencyContract}.
 */
public abstract class EventStoreContract extends StoreContractBase {

    /**
     * @param bookId the book copy
     * @return a boundary on one book: its added, lent and returned events
     */
    protected static Filter bookBoundary(String bookId) {
        return Filter.anyOf(
                FilterItem.types("BookAdded", "BookLent", "BookReturned").allOf(PayloadPredicate.eq("BookID", bookId)));
    }

    /**
     * @param type the event type
     * @param bookId the book copy
     * @param readerId the reader
     * @return an event of a type about a book, with extra fields
     */
    protected static Event bookEvent(String type, String bookId, String readerId) {
        return Event.of(type, Map.of("BookID", bookId, "ReaderID", readerId, "Title", "A title"));
    }

    @Test
    void queryOfAnEmptyBoundaryReturnsNoEventsAndSequenceZero() {
        QueryResult result = store.query(bookBoundary("nothing-here"));
        assertThat(result.events()).isEmpty();
        assertThat(result.maxSequenceNumber()).isZero();
    }

    @Test
    void queryReturnsTheMatchingEventsInSequenceOrderWithTheirHighestSequenceNumber() {
        store.append(bookEvent("BookAdded", "b1", "r0"));
        store.append(bookEvent("BookAdded", "b2", "r0"));
        AppendResult lent = store.append(bookEvent("BookLent", "b1", "r1"));
        store.append(bookEvent("ReaderRegistered", "b1", "r1"));

        QueryResult result = store.query(bookBoundary("b1"));

        assertThat(result.events()).extracting(StoredEvent::type).containsExactly("BookAdded", "BookLent");
        assertThat(result.events()).extracting(StoredEvent::sequenceNumber).isSorted();
        assertThat(result.maxSequenceNumber()).isEqualTo(lent.lastSequenceNumber());
    }

    @Test
    void storedEventsKeepTypePayloadMetadataAndOccurredAt() {
        Instant occurred = Instant.parse("2024-05-06T07:08:09.123456Z");
        Event event = new Event(
                "BookAdded",
                "{\"BookID\": \"b-meta\", \"Year\": 2001, \"Tags\": [\"a\", \"b\"]}",
                "{\"CorrelationID\": \"c-1\"}",
                occurred);
        store.append(event);

        StoredEvent stored = store.query(bookBoundary("b-meta")).events().get(0);

        assertThat(stored.type()).isEqualTo("BookAdded");
        assertThat(stored.payload()).contains("\"Year\": 2001").contains("\"Tags\": [\"a\", \"b\"]");
        assertThat(stored.metadata()).contains("\"CorrelationID\": \"c-1\"");
        assertThat(stored.occurredAt()).isEqualTo(occurred);
    }

    @Test
    void appendSucceedsWhenNoMatchingEventWasAppendedSinceTheExpectedSequence() {
        store.append(bookEvent("BookAdded", "b1", "r0"));
        QueryResult seen = store.query(bookBoundary("b1"));
        store.append(bookEvent("BookAdded", "other-book", "r0"));

        AppendResult result =
                store.append(bookBoundary("b1"), seen.maxSequenceNumber(), bookEvent("BookLent", "b1", "r1"));

        assertThat(result.firstSequenceNumber()).isGreaterThan(seen.maxSequenceNumber());
        assertThat(store.query(bookBoundary("b1")).events()).hasSize(2);
    }

    @Test
    void appendFailsWhenAnEventMatchingTheFilterWasAppendedSinceAndWritesNothing() {
        QueryResult seen = store.query(bookBoundary("b1"));
        AppendResult concurrent = store.append(bookEvent("BookAdded", "b1", "r0"));

        assertThatThrownBy(() -> store.append(
                        bookBoundary("b1"),
                        seen.maxSequenceNumber(),
                        bookEvent("BookAdded", "b1", "r9"),
                        bookEvent("BookLent", "b1", "r9")))
                .isInstanceOfSatisfying(AppendConditionFailedException.class, conflict -> {
                    assertThat(conflict.expectedMaxSequenceNumber()).isEqualTo(seen.maxSequenceNumber());
                    assertThat(conflict.foundMaxSequenceNumber()).isEqualTo(concurrent.lastSequenceNumber());
                    assertThat(conflict.isRetryable()).isTrue();
                });
        assertThat(store.query(bookBoundary("b1")).events()).hasSize(1);
    }

    @Test
    void appendConditionIgnoresEventsOutsideItsBoundary() {
        QueryResult seen = store.query(bookBoundary("b1"));
        store.append(bookEvent("BookAdded", "b2", "r1"));
        store.append(bookEvent("ReaderRegistered", "b1", "r1"));

        store.append(bookBoundary("b1"), seen.maxSequenceNumber(), bookEvent("BookAdded", "b1", "r1"));

        assertThat(store.query(bookBoundary("b1")).events()).hasSize(1);
    }

    @Test
    void theSpecificationShapedConditionMapsToTheSameCheck() {
        AppendResult first = store.append(
                List.of(bookEvent("BookAdded", "b1", "r0")),
                new AppendCondition(bookBoundary("b1"), 0),
                AppendOptions.DEFAULT);
        assertThatThrownBy(() -> store.append(
                        List.of(bookEvent("BookAdded", "b1", "r0")),
                        new AppendCondition(bookBoundary("b1"), 0),
                        AppendOptions.DEFAULT))
                .isInstanceOf(AppendConditionFailedException.class);
        store.append(
                List.of(bookEvent("BookLent", "b1", "r0")),
                new AppendCondition(bookBoundary("b1"), first.lastSequenceNumber()),
                AppendOptions.DEFAULT);
        assertThat(store.query(bookBoundary("b1")).events()).hasSize(2);
    }

    @Test
    void aMultiEventAppendGetsConsecutiveSequenceNumbersInTheGivenOrder() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            events.add(Event.of("BookAdded", Map.of("BookID", "batch", "Index", i)));
        }
        AppendResult result = store.append(events, null, AppendOptions.DEFAULT);

        List<StoredEvent> stored = store.query(Filter.anyOf(FilterItem.payload(PayloadPredicate.eq("BookID", "batch"))))
                .events();
        assertThat(result.lastSequenceNumber() - result.firstSequenceNumber()).isEqualTo(24);
        assertThat(stored).hasSize(25);
        for (int i = 0; i < 25; i++) {
            assertThat(stored.get(i).sequenceNumber()).isEqualTo(result.firstSequenceNumber() + i);
            assertThat(stored.get(i).payload()).contains("\"Index\": " + i);
        }
    }

    @Test
    void anyOfMatchesEitherPredicateAndAllOfNeedsEvery() {
        store.append(Event.of("Lent", Map.of("BookID", "x1", "ReaderID", "y1")));
        store.append(Event.of("Lent", Map.of("BookID", "x2", "ReaderID", "y1")));
        store.append(Event.of("Lent", Map.of("BookID", "x1", "ReaderID", "y2")));
        store.append(Event.of("Lent", Map.of("BookID", "x3", "ReaderID", "y3")));

        Filter any = Filter.anyOf(FilterItem.types("Lent")
                .anyOf(PayloadPredicate.eq("BookID", "x1"), PayloadPredicate.eq("ReaderID", "y1")));
        Filter all = Filter.anyOf(FilterItem.types("Lent")
                .allOf(PayloadPredicate.eq("BookID", "x1"), PayloadPredicate.eq("ReaderID", "y1")));

        assertThat(store.query(any).events()).hasSize(3);
        assertThat(store.query(all).events()).hasSize(1);
    }

    @Test
    void itemsCombineWithOrAndTypesRestrictEachItem() {
        store.append(Event.of("A", Map.of("K", "1")));
        store.append(Event.of("B", Map.of("K", "1")));
        store.append(Event.of("C", Map.of("K", "2")));

        Filter filter = Filter.anyOf(FilterItem.types("A").allOf(PayloadPredicate.eq("K", "1")), FilterItem.types("C"));

        assertThat(store.query(filter).events()).extracting(StoredEvent::type).containsExactly("A", "C");
    }

    @Test
    void numbersAndBooleansMatchByValue() {
        store.append(Event.of("Typed", "{\"Count\": 1.0, \"Flag\": true, \"Name\": \"1\"}"));

        assertThat(store.query(Filter.anyOf(FilterItem.payload(PayloadPredicate.eq("Count", 1))))
                        .events())
                .hasSize(1);
        assertThat(store.query(Filter.anyOf(FilterItem.payload(PayloadPredicate.eq("Flag", true))))
                        .events())
                .hasSize(1);
        assertThat(store.query(Filter.anyOf(FilterItem.payload(PayloadPredicate.eq("Count", "1"))))
                        .events())
                .isEmpty();
    }

    @Test
    void occurredAtRangeIsInclusiveAndSequenceNumberAfterIsExclusive() {
        Instant base = Instant.parse("2025-01-01T00:00:00Z");
        List<AppendResult> results = new ArrayList<>();
        for (int day = 0; day < 5; day++) {
            results.add(store.append(
                    Event.of("Daily", Map.of("Series", "s")).withOccurredAt(base.plus(day, ChronoUnit.DAYS))));
        }
        Filter series = Filter.anyOf(FilterItem.types("Daily"));

        assertThat(store.query(series.occurredFrom(base.plus(1, ChronoUnit.DAYS))
                                .occurredUntil(base.plus(3, ChronoUnit.DAYS)))
                        .events())
                .hasSize(3);
        assertThat(store.query(series.sequenceNumberAfter(results.get(2).lastSequenceNumber()))
                        .events())
                .extracting(StoredEvent::sequenceNumber)
                .containsExactly(
                        results.get(3).lastSequenceNumber(), results.get(4).lastSequenceNumber());
    }

    @Test
    void eachItemOfAFilterReadsFromItsOwnStartInOneQueryAndInTheAppendCondition() {
        List<Long> a = new ArrayList<>();
        List<Long> b = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            a.add(store.append(Event.of("Part", Map.of("Part", "a"))).lastSequenceNumber());
            b.add(store.append(Event.of("Part", Map.of("Part", "b"))).lastSequenceNumber());
        }
        FilterItem partA = FilterItem.types("Part").allOf(PayloadPredicate.eq("Part", "a"));
        FilterItem partB = FilterItem.types("Part").allOf(PayloadPredicate.eq("Part", "b"));
        Filter resumed = Filter.anyOf(partA.after(a.get(1)), partB.after(b.get(0)));

        QueryResult read = store.query(resumed);

        assertThat(read.events()).extracting(StoredEvent::sequenceNumber).containsExactly(b.get(1), a.get(2), b.get(2));
        List<Long> streamed = new ArrayList<>();
        try (EventStream stream = store.stream(resumed, ReadOptions.STRONG)) {
            stream.forEachRemaining(event -> streamed.add(event.sequenceNumber()));
        }
        assertThat(streamed).containsExactly(b.get(1), a.get(2), b.get(2));
        // As an append condition, an item ignores events up to its start: a's events up to its
        // last do not fail an append that expects a position before them; b's after its first do.
        assertThat(store.append(Filter.anyOf(partA.after(a.get(2))), a.get(1) - 1, Event.of("Other", Map.of()))
                        .lastSequenceNumber())
                .isPositive();
        assertThatThrownBy(() ->
                        store.append(Filter.anyOf(partB.after(b.get(0))), b.get(1) - 1, Event.of("Other", Map.of())))
                .isInstanceOf(AppendConditionFailedException.class);
    }

    @Test
    void matchAllReadsEveryEvent() {
        store.append(Event.of("One", Map.of("a", "1")));
        store.append(Event.of("Two", Map.of("b", "2")));
        assertThat(store.query(Filter.matchAll()).events()).hasSize(2);
    }

    @Test
    void keysAndValuesWithQuotesAndSqlOrJsonMetacharactersAreStoredAndMatchedLiterally() {
        String[] hostile = {
            "'; DROP TABLE events; --",
            "\"quoted\"",
            "back\\slash",
            "{\"nested\": 1}",
            "$.path ? (@ > 1)",
            "%_like_",
            "🙂 unicode",
            "' OR '1'='1"
        };
        for (String text : hostile) {
            store.append(Event.of("Hostile", Map.of(text, text, "Plain", "p")));
        }
        for (String text : hostile) {
            List<StoredEvent> found = store.query(
                            Filter.anyOf(FilterItem.types("Hostile").allOf(PayloadPredicate.eq(text, text))))
                    .events();
            assertThat(found).as("literal match of %s", text).hasSize(1);
        }
        assertThat(store.query(Filter.anyOf(FilterItem.types("Hostile"))).events())
                .hasSize(hostile.length);
    }

    @Test
    void invalidEventsAreRejectedBeforeAnythingIsWritten() {
        store.append(Event.of("Seed", Map.of("BookID", "seed")));
        long before = store.query(Filter.matchAll()).maxSequenceNumber();

        assertThatThrownBy(() -> Event.of("", "{}")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Event.of("Bad Type!", "{}")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Event.of("T", "[1, 2]")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Event.of("T", "\"text\"")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Event.of("T", "{\"a\": 1} trailing")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Event.of("T", (String) null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Event.of("T", "{\"a\": \"nul\\u0000\"}")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new Event("T", "{}", "not json", Instant.now()))
                .isInstanceOf(InvalidInputException.class);
        String tooLarge = "{\"big\": \"" + "x".repeat(1024 * 1024) + "\"}";
        assertThatThrownBy(() -> store.append(Event.of("Ok", Map.of("a", "1")), Event.of("T", tooLarge)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("event 1 payload is larger");
        assertThatThrownBy(() -> store.append(new Event[0])).isInstanceOf(InvalidInputException.class);
        List<Event> withNull = new ArrayList<>();
        withNull.add(Event.of("Ok", Map.of("a", "1")));
        withNull.add(null);
        assertThatThrownBy(() -> store.append(withNull, null, AppendOptions.DEFAULT))
                .isInstanceOf(InvalidInputException.class);

        assertThat(store.query(Filter.matchAll()).maxSequenceNumber()).isEqualTo(before);
    }

    @Test
    void invalidFiltersAreRejectedWithAClearMessage() {
        assertThatThrownBy(() -> FilterItem.types("")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> FilterItem.types())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("would match every event");
        assertThatThrownBy(() -> PayloadPredicate.eq("", "v")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> PayloadPredicate.eq("k", null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> PayloadPredicate.eq("k", List.of())).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Filter.anyOf())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("matchAll");
        Filter books = bookBoundary("b");
        assertThatThrownBy(() -> books.occurredFrom(Instant.parse("2025-01-02T00:00:00Z"))
                        .occurredUntil(Instant.parse("2025-01-01T00:00:00Z")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> books.sequenceNumberAfter(-1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> AppendCondition.of(books, -1)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void snapshotsKeepTheHighestSequenceNumberAndCanBeDeleted() {
        Filter filter = bookBoundary("snap");
        assertThat(store.loadSnapshot("Books", filter.hash())).isEmpty();

        assertThat(store.saveSnapshot(Snapshot.of("Books", filter, 10, "{\"count\": 10}")))
                .isTrue();
        assertThat(store.saveSnapshot(Snapshot.of("Books", filter, 5, "{\"count\": 5}")))
                .isFalse();
        assertThat(store.saveSnapshot(Snapshot.of("Books", filter, 12, "{\"count\": 12}")))
                .isTrue();

        Snapshot loaded = store.loadSnapshot("Books", filter.hash()).orElseThrow();
        assertThat(loaded.sequenceNumber()).isEqualTo(12);
        assertThat(loaded.state()).isEqualTo("{\"count\": 12}");
        assertThat(store.deleteSnapshot("Books", filter.hash())).isTrue();
        assertThat(store.loadSnapshot("Books", filter.hash())).isEmpty();
    }

    /** @return how many rows the streams of {@link #createStore()}'s stores fetch per round trip */
    protected abstract int streamPageSize();

    @Test
    void aStreamReturnsTheSameEventsAsAQueryWithoutLoadingThemAtOnce() throws Exception {
        int page = streamPageSize();
        for (int count : new int[] {page - 1, page, page + 1, 3 * page + 7}) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                events.add(Event.of("Bulk", Map.of("Batch", count, "I", i)));
            }
            store.append(events, null, AppendOptions.DEFAULT);
            Filter filter = Filter.anyOf(FilterItem.types("Bulk").allOf(PayloadPredicate.eq("Batch", count)));

            List<Long> streamed = new ArrayList<>();
            try (EventStream stream = store.stream(filter, ReadOptions.STRONG);
                    StreamRoundTrips roundTrips = StreamRoundTrips.ofTheOpenStream()) {
                while (stream.hasNext()) {
                    streamed.add(stream.next().sequenceNumber());
                    roundTrips.observe();
                }
                assertThat(stream.maxSequenceNumberSoFar()).isEqualTo(streamed.get(streamed.size() - 1));
                assertThat(roundTrips.fetches())
                        .as("round trips that fetched %s events in pages of %s, seen by the server", count, page)
                        .isEqualTo((count + page - 1) / page);
            }
            assertThat(streamed)
                    .as("%s events streamed", count)
                    .containsExactlyElementsOf(store.query(filter).events().stream()
                            .map(StoredEvent::sequenceNumber)
                            .toList());
        }
    }
}
