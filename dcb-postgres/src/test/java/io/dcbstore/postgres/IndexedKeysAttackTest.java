package io.dcbstore.postgres;

import static io.dcbstore.PayloadPredicate.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.node.TextNode;
import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.ConfigurationException;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.EventStream;
import io.dcbstore.EventSubscription;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.ReadOptions;
import io.dcbstore.StoredEvent;
import io.dcbstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Attacks on indexed keys and {@link FilterItem#after(long)} as users would meet them: values at an
 * indexed key that the btree cannot hold, a key index left invalid, stores with and without keys on
 * one table (reads, append conditions and racing appends), and subscriptions with item starts.
 */
class IndexedKeysAttackTest {
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** Text that neither pglz nor lz4 can shrink by a quarter: the index keeps it as it is. */
    private static String incompressible(int length, long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
        }
        return text.toString();
    }

    /** A store on a given table with its own pool, closing the pool with it. */
    private static EventStore storeOn(String table, PostgresStoreConfig config) {
        HikariDataSource pool = TestDatabase.get().newPool(table, 6);
        try {
            return new StoreFixture.ClosingStore(
                    PostgresEventStore.create(pool, config.withTables(table, table + "_snap")), pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static boolean keyIndexValid(String table, String key) throws Exception {
        try (Connection connection = TestDatabase.get().unpooled().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT coalesce((SELECT indisvalid FROM pg_index"
                        + " WHERE indexrelid = to_regclass('\"" + table + "_k_" + key + "\"')), false)")) {
            rows.next();
            return rows.getBoolean(1);
        }
    }

    // ---------------------------------------------------------------- values the btree cannot hold

    @Test
    void anEventWithALongStringAtAnIndexedKeyIsAppendedAsWithoutKeys() {
        String longId = incompressible(3000, 1);
        Filter story = Filter.anyOf(FilterItem.types("Lent").allOf(eq("BookID", longId)));
        try (EventStore plain = StoreFixture.newStore(2, PostgresStoreConfig.defaults())) {
            assertThat(plain.append(story, 0, Event.of("Lent", Map.of("BookID", longId)))
                            .lastSequenceNumber())
                    .as("without keys the event is accepted")
                    .isPositive();
        }
        try (EventStore keyed =
                StoreFixture.newStore(2, PostgresStoreConfig.defaults().withIndexedKeys("BookID"))) {
            long appended = keyed.append(story, 0, Event.of("Lent", Map.of("BookID", longId)))
                    .lastSequenceNumber();

            assertThat(keyed.query(story).events())
                    .extracting(StoredEvent::sequenceNumber)
                    .containsExactly(appended);
        }
    }

    @Test
    void anEventWhoseIndexedKeyHoldsALargeObjectIsAppendedAsWithoutKeys() {
        // ->> of an object is its JSON text: a key that is an id in one event type may hold a
        // document in another, which no filter of the key's string values ever matches.
        String payload = "{\"BookID\": {\"notes\": \"" + incompressible(3000, 2) + "\"}, \"Kind\": \"doc\"}";
        try (EventStore keyed =
                StoreFixture.newStore(2, PostgresStoreConfig.defaults().withIndexedKeys("BookID"))) {
            long appended = keyed.append(Event.of("Annotated", payload)).lastSequenceNumber();

            assertThat(keyed.query(Filter.anyOf(FilterItem.payload(eq("Kind", "doc"))))
                            .events())
                    .extracting(StoredEvent::sequenceNumber)
                    .containsExactly(appended);
        }
    }

    @Test
    void aStoreWithIndexedKeysStartsOnALogThatAlreadyHoldsALongValueAtTheKey() {
        String table = TestDatabase.uniqueName("evlong");
        try (EventStore plain = storeOn(table, PostgresStoreConfig.defaults())) {
            plain.append(Event.of("Lent", Map.of("BookID", incompressible(3000, 3))));
        }
        // The log is append-only: an event once accepted can never be removed, so a store that
        // refuses to start on it can never start with the key indexed.
        assertThatCode(() -> {
                    try (EventStore keyed =
                            storeOn(table, PostgresStoreConfig.defaults().withIndexedKeys("BookID"))) {
                        keyed.append(Event.of("Lent", Map.of("BookID", "b-1")));
                    }
                })
                .doesNotThrowAnyException();
    }

    // ---------------------------------------------------------------- a key index left invalid

    @Test
    void aStoreThatCreatesItsSchemaRepairsAnInvalidKeyIndex() throws Exception {
        String table = TestDatabase.uniqueName("evinv");
        PostgresStoreConfig keyed = PostgresStoreConfig.defaults().withIndexedKeys("BookID");
        try (EventStore store = storeOn(table, keyed)) {
            store.append(Event.of("Lent", Map.of("BookID", "b-1")));
        }
        assertThat(keyIndexValid(table, "BookID")).isTrue();
        // What a failed CREATE INDEX CONCURRENTLY (canceled, deadlocked, timed out) leaves behind.
        TestDatabase.get()
                .execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = to_regclass('\"" + table
                        + "_k_BookID\"')");
        assertThat(keyIndexValid(table, "BookID")).isFalse();

        try (EventStore store = storeOn(table, keyed)) {
            // Schema.missingKeyIndexes finds it invalid and runs CREATE INDEX IF NOT EXISTS, which
            // leaves an existing index as it is: every statement then runs without it.
            assertThat(keyIndexValid(table, "BookID"))
                    .as("the store that creates its schema left the key's index invalid")
                    .isTrue();
        }
    }

    @Test
    void aStoreThatDoesNotCreateItsSchemaNamesTheStatementsThatCreateAMissingKeyIndex() throws Exception {
        String table = TestDatabase.uniqueName("evreq");
        try (EventStore plain = storeOn(table, PostgresStoreConfig.defaults())) {
            plain.append(Event.of("Lent", Map.of("BookID", "b-1")));
        }
        PostgresStoreConfig keyed =
                PostgresStoreConfig.defaults().withIndexedKeys("BookID").withCreateSchema(false);

        runWhatTheRefusalSays(() -> storeOn(table, keyed).close(), table);

        assertThatCode(() -> storeOn(table, keyed).close()).doesNotThrowAnyException();
        assertThat(keyIndexValid(table, "BookID")).isTrue();
    }

    @Test
    void theStatementsThatRequireNamesForAnInvalidKeyIndexMakeItValid() throws Exception {
        String table = TestDatabase.uniqueName("evinv");
        PostgresStoreConfig keyed = PostgresStoreConfig.defaults().withIndexedKeys("BookID");
        try (EventStore store = storeOn(table, keyed)) {
            store.append(Event.of("Lent", Map.of("BookID", "b-1")));
        }
        TestDatabase.get()
                .execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = to_regclass('\"" + table
                        + "_k_BookID\"')");

        // A DBA runs what the refusal of a store without createSchema says to run.
        runWhatTheRefusalSays(
                () -> storeOn(table, keyed.withCreateSchema(false)).close(), table);

        assertThatCode(() -> storeOn(table, keyed.withCreateSchema(false)).close())
                .doesNotThrowAnyException();
        assertThat(keyIndexValid(table, "BookID")).isTrue();
    }

    /** Starts a store that must refuse, and runs, one by one, the statements its refusal names. */
    private static void runWhatTheRefusalSays(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable start, String table) {
        Throwable refusal = org.assertj.core.api.Assertions.catchThrowable(start);
        assertThat(refusal).isInstanceOf(ConfigurationException.class);
        String message = refusal.getMessage();
        String statements = message.substring(message.indexOf(": run ") + 6, message.indexOf(" as the owner role"));
        assertThat(statements).contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS \"" + table + "_k_BookID\"");
        for (String statement : statements.split(";")) {
            if (!statement.isBlank()) {
                TestDatabase.get().execute(statement.trim());
            }
        }
    }

    // ---------------------------------------------------------------- stores with and without keys on one table

    private static final List<String> VALUES = List.of(
            "b-1",
            "",
            " ",
            "B-1",
            "b-1 ",
            "ünïcødé",
            "e\u0301",
            "\u00e9",
            "😀",
            "quote\"back\\slash",
            "tab\tnl\n",
            "1",
            "1.0",
            "true",
            "null",
            "[\"b-1\"]",
            "{\"b\":1}",
            "ﬁ",
            "\u2028");

    private static List<String> eventPayloads() {
        List<String> payloads = new ArrayList<>();
        for (String value : VALUES) {
            String json = TextNode.valueOf(value).toString();
            payloads.add("{\"BookID\": " + json + "}");
            payloads.add("{\"BookID\": " + json + ", \"ReaderID\": \"r-1\"}");
            payloads.add("{\"bookid\": " + json + "}");
            payloads.add("{\"Nested\": {\"BookID\": " + json + "}}");
            payloads.add("{\"BookID\": [" + json + "]}");
        }
        payloads.add("{\"BookID\": 1}");
        payloads.add("{\"BookID\": 1.0}");
        payloads.add("{\"BookID\": true}");
        payloads.add("{\"BookID\": null}");
        payloads.add("{\"BookID\": \"b-1\", \"BookID\": \"b-2\"}");
        payloads.add("{\"ReaderID\": \"r-1\"}");
        payloads.add("{}");
        return payloads;
    }

    private static List<Filter> filters(long middle) {
        List<Filter> filters = new ArrayList<>();
        for (String value : VALUES) {
            FilterItem typed = FilterItem.types("A", "B").allOf(eq("BookID", value));
            FilterItem untyped = FilterItem.payload(eq("BookID", value));
            FilterItem two = FilterItem.payload(eq("BookID", value), eq("ReaderID", "r-1"));
            FilterItem lower = FilterItem.payload(eq("bookid", value));
            FilterItem any = FilterItem.types("A").anyOf(eq("BookID", value), eq("ReaderID", "r-1"));
            FilterItem unkeyed = FilterItem.types("B");
            for (FilterItem item : List.of(typed, untyped, two, lower, any)) {
                filters.add(Filter.anyOf(item));
                filters.add(Filter.anyOf(item.after(middle)));
                filters.add(Filter.anyOf(item, unkeyed));
                filters.add(Filter.anyOf(item.after(middle), unkeyed.after(middle / 2)));
                filters.add(Filter.anyOf(item, FilterItem.payload(eq("BookID", "b-1"))));
            }
        }
        filters.add(Filter.anyOf(FilterItem.payload(eq("BookID", 1))));
        filters.add(Filter.anyOf(FilterItem.payload(eq("BookID", true))));
        filters.add(Filter.anyOf(FilterItem.payload(eq("BookID", "b-1"), eq("BookID", "b-2"))));
        filters.add(Filter.anyOf(FilterItem.payload(eq("BookID", "b-2"))));
        return filters;
    }

    @Test
    void storesWithAndWithoutKeysOnOneTableReadAndCheckTheSameEvents() {
        String table = TestDatabase.uniqueName("evdiff");
        try (EventStore plain = storeOn(table, PostgresStoreConfig.defaults());
                EventStore keyed = storeOn(
                        table, PostgresStoreConfig.defaults().withIndexedKeys("BookID", "ReaderID", "bookid"))) {
            List<String> payloads = eventPayloads();
            for (int i = 0; i < payloads.size(); i++) {
                (i % 2 == 0 ? plain : keyed).append(Event.of(i % 3 == 0 ? "A" : "B", payloads.get(i)));
            }
            List<StoredEvent> log = plain.query(Filter.matchAll()).events();
            long end = log.get(log.size() - 1).sequenceNumber();
            long middle = end / 2;
            List<String> problems = new ArrayList<>();
            for (Filter filter : filters(middle)) {
                List<Long> expected = log.stream()
                        .filter(filter::matches)
                        .map(StoredEvent::sequenceNumber)
                        .toList();
                compare(
                        problems,
                        "plain query",
                        filter,
                        expected,
                        numbers(plain.query(filter).events()));
                compare(
                        problems,
                        "keyed query",
                        filter,
                        expected,
                        numbers(keyed.query(filter).events()));
                compare(problems, "keyed stream", filter, expected, streamed(keyed, filter));
                Filter later = filter.sequenceNumberAfter(middle / 3);
                List<Long> expectedLater =
                        expected.stream().filter(n -> n > middle / 3).toList();
                compare(
                        problems,
                        "keyed query after",
                        later,
                        expectedLater,
                        numbers(keyed.query(later).events()));
                // The append's check: the probe matches no filter, so the log's matches stay the same.
                for (long position : new long[] {0, middle, end}) {
                    boolean shouldFail = expected.stream().anyMatch(n -> n > position);
                    for (EventStore store : List.of(keyed, plain)) {
                        boolean failed = probeFails(store, filter, position);
                        if (failed != shouldFail) {
                            problems.add((store == keyed ? "keyed" : "plain") + " append after " + position + " failed="
                                    + failed + " expected " + shouldFail + " for " + filter);
                        }
                    }
                }
            }
            assertThat(problems).isEmpty();
        }
    }

    private static boolean probeFails(EventStore store, Filter filter, long position) {
        try {
            store.append(filter, position, Event.of("Probe", Map.of("Probe", 1)));
            return false;
        } catch (AppendConditionFailedException failed) {
            return true;
        }
    }

    private static void compare(
            List<String> problems, String what, Filter filter, List<Long> expected, List<Long> got) {
        if (!expected.equals(got)) {
            problems.add(what + " of " + filter + ": expected " + expected + " got " + got);
        }
    }

    private static List<Long> numbers(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::sequenceNumber).toList();
    }

    private static List<Long> streamed(EventStore store, Filter filter) {
        List<Long> streamed = new ArrayList<>();
        try (EventStream stream = store.stream(filter, ReadOptions.STRONG)) {
            stream.forEachRemaining(event -> streamed.add(event.sequenceNumber()));
        }
        return streamed;
    }

    @Test
    void storesWithAndWithoutKeysRacingOnOneBoundaryNeverBothAppendAfterTheSamePosition() throws Exception {
        String table = TestDatabase.uniqueName("evrace");
        try (EventStore plain = storeOn(table, PostgresStoreConfig.defaults());
                EventStore keyed = storeOn(table, PostgresStoreConfig.defaults().withIndexedKeys("BookID"))) {
            // keyed: the check bounded by the expected position through the key's index; plain: GIN.
            Filter boundary = Filter.anyOf(FilterItem.types("Lent", "Returned").allOf(eq("BookID", "b-race")));
            List<Long> successes = Collections.synchronizedList(new ArrayList<>());
            ExecutorService threads = Executors.newFixedThreadPool(6);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    EventStore store = t % 2 == 0 ? plain : keyed;
                    done.add(threads.submit(() -> {
                        for (int i = 0; i < 15; ) {
                            long seen = store.query(boundary).maxSequenceNumber();
                            try {
                                store.append(boundary, seen, Event.of("Lent", Map.of("BookID", "b-race")));
                                successes.add(seen);
                                i++;
                            } catch (AppendConditionFailedException conflict) {
                                // read again
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> future : done) {
                    future.get(120, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }
            List<Long> events = numbers(plain.query(boundary).events());
            assertThat(events).hasSize(90);
            // Each success saw the one before it: the expected positions are 0 and every event but the last.
            List<Long> expectedPositions = new ArrayList<>();
            expectedPositions.add(0L);
            expectedPositions.addAll(events.subList(0, events.size() - 1));
            assertThat(successes).containsExactlyInAnyOrderElementsOf(expectedPositions);
        }
    }

    // ---------------------------------------------------------------- item starts in subscriptions

    @Test
    void aSubscriptionFromTheStartWithAnItemStartingLaterDeliversFromThereAndAdvances() {
        try (EventStore store =
                StoreFixture.newStore(4, PostgresStoreConfig.defaults().withIndexedKeys("BookID"))) {
            List<Long> b = new ArrayList<>();
            List<Long> c = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                b.add(store.append(Event.of("Lent", Map.of("BookID", "b"))).lastSequenceNumber());
                c.add(store.append(Event.of("Lent", Map.of("BookID", "c"))).lastSequenceNumber());
                store.append(Event.of("Other", Map.of("BookID", "x")));
            }
            FilterItem storyB = FilterItem.types("Lent").allOf(eq("BookID", "b"));
            FilterItem storyC = FilterItem.types("Lent").allOf(eq("BookID", "c"));
            Filter filter = Filter.anyOf(storyB.after(b.get(3)), storyC);
            List<Long> expected = new ArrayList<>(c);
            expected.add(b.get(4));
            expected.add(b.get(5));
            Collections.sort(expected);

            try (EventSubscription subscription = store.subscribe(filter, 0)) {
                List<Long> delivered = new ArrayList<>();
                for (int i = 0; i < expected.size(); i++) {
                    StoredEvent next = subscription.next(Duration.ofSeconds(10));
                    assertThat(next).as("event %d of %s", i, expected).isNotNull();
                    delivered.add(next.sequenceNumber());
                }
                assertThat(delivered).containsExactlyElementsOf(expected);
                long later =
                        store.append(Event.of("Lent", Map.of("BookID", "b"))).lastSequenceNumber();
                StoredEvent next = subscription.next(Duration.ofSeconds(10));
                assertThat(next).isNotNull();
                assertThat(next.sequenceNumber()).isEqualTo(later);
                assertThat(subscription.position()).isEqualTo(later);
                assertThat(subscription.next(Duration.ofMillis(300))).isNull();
            }
            // A subscription after every item's start: only later events.
            try (EventSubscription subscription = store.subscribe(filter, c.get(5))) {
                long last =
                        store.append(Event.of("Lent", Map.of("BookID", "c"))).lastSequenceNumber();
                StoredEvent next = subscription.next(Duration.ofSeconds(10));
                assertThat(next).isNotNull();
                assertThat(next.sequenceNumber()).isGreaterThan(c.get(5));
                assertThat(next.sequenceNumber()).isLessThan(last);
            }
        }
    }
}
