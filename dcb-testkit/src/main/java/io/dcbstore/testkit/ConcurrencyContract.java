package io.dcbstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.QueryResult;
import io.dcbstore.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Concurrency properties every {@link EventStore} must have, proven by racing threads and then
 * re-reading the log. Engines extend this class like {@link EventStoreContract}.
 */
public abstract class ConcurrencyContract extends StoreContractBase {
    private static final int THREADS = 8;

    /** Overlapping boundaries: each append guards "book b OR reader r", as lending does. */
    private static Filter lendingBoundary(int book, int reader) {
        return Filter.anyOf(FilterItem.types("Lent")
                .anyOf(
                        PayloadPredicate.eq("BookID", "book-" + book),
                        PayloadPredicate.eq("ReaderID", "reader-" + reader)));
    }

    @Test
    void racingAppendsOnContestedAndOverlappingBoundariesNeverViolateTheirConditions() throws Exception {
        AtomicInteger successes = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        runThreads(THREADS, (thread, random) -> {
            for (int i = 0; i < 60; i++) {
                int book = random.nextInt(4);
                int reader = random.nextInt(4);
                Filter boundary = lendingBoundary(book, reader);
                QueryResult seen = store.query(boundary);
                Event event = Event.of(
                        "Lent",
                        Map.of(
                                "BookID",
                                "book-" + book,
                                "ReaderID",
                                "reader-" + reader,
                                "Expected",
                                seen.maxSequenceNumber(),
                                "Seen",
                                seen.events().size()));
                try {
                    store.append(boundary, seen.maxSequenceNumber(), event);
                    successes.incrementAndGet();
                } catch (AppendConditionFailedException e) {
                    conflicts.incrementAndGet();
                }
            }
        });

        List<StoredEvent> log =
                store.query(Filter.anyOf(FilterItem.types("Lent"))).events();
        int violations = 0;
        for (StoredEvent event : log) {
            JsonNode payload = readTree(event.payload());
            long expected = payload.get("Expected").asLong();
            Filter boundary = Filter.anyOf(FilterItem.types("Lent")
                    .anyOf(
                            PayloadPredicate.eq("BookID", payload.get("BookID").asText()),
                            PayloadPredicate.eq(
                                    "ReaderID", payload.get("ReaderID").asText())));
            long matchingBetween = log.stream()
                    .filter(other ->
                            other.sequenceNumber() > expected && other.sequenceNumber() < event.sequenceNumber())
                    .filter(boundary::matches)
                    .count();
            long matchingUpToExpected = log.stream()
                    .filter(other -> other.sequenceNumber() <= expected)
                    .filter(boundary::matches)
                    .count();
            if (matchingBetween > 0
                    || matchingUpToExpected != payload.get("Seen").asLong()) {
                violations++;
            }
        }
        assertThat(log).hasSize(successes.get());
        assertThat(conflicts.get()).as("the race must really be contested").isPositive();
        assertThat(successes.get()).isPositive();
        assertThat(violations)
                .as("appends whose boundary changed between their read and their write")
                .isZero();
    }

    @Test
    void exactlyOneOfManyAppendsWithTheSameExpectationSucceeds() throws Exception {
        for (int round = 0; round < 20; round++) {
            String id = "first-" + round;
            Filter boundary = Filter.anyOf(FilterItem.types("Claimed").allOf(PayloadPredicate.eq("ClaimID", id)));
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger winners = new AtomicInteger();
            runThreads(
                    THREADS,
                    (thread, random) -> {
                        start.await();
                        try {
                            store.append(boundary, 0, Event.of("Claimed", Map.of("ClaimID", id, "By", thread)));
                            winners.incrementAndGet();
                        } catch (AppendConditionFailedException expected) {
                            // The others must lose.
                        }
                    },
                    start);
            assertThat(winners.get()).as("winners of round %s", round).isEqualTo(1);
            assertThat(store.query(boundary).events()).hasSize(1);
        }
    }

    /**
     * Every shape of boundary a store locks differently (types only, several predicates in one
     * item, a number written {@code 1} by one side and {@code 1.0} by the other, the whole log, and
     * more values than the store locks one by one): of racing appends with one expectation,
     * exactly one succeeds, as the re-read log shows.
     */
    @Test
    void exactlyOneOfManyAppendsWithTheSameExpectationSucceedsForEveryShapeOfBoundary() throws Exception {
        for (int round = 0; round < 5; round++) {
            String id = "shape-" + round;
            String type = "Shaped" + round;
            raceOnce(
                    "types only", Filter.anyOf(FilterItem.types(type + "T")), thread -> Event.of(type + "T", Map.of()));
            raceOnce(
                    "several predicates in one item",
                    Filter.anyOf(FilterItem.types(type)
                            .allOf(PayloadPredicate.eq("Id", id), PayloadPredicate.eq("Kind", "multi"))),
                    thread -> Event.of(type, Map.of("Id", id, "Kind", "multi", "By", thread)));
            raceOnce(
                    "1 against 1.0",
                    Filter.anyOf(FilterItem.types(type + "N")
                            .allOf(PayloadPredicate.eq("Id", id), PayloadPredicate.eq("V", 1))),
                    thread -> Event.of(type + "N", Map.of("Id", id, "V", thread % 2 == 0 ? 1 : 1.0)));
            raceOnce(
                    "1.0 against 1",
                    Filter.anyOf(FilterItem.types(type + "D")
                            .allOf(PayloadPredicate.eq("Id", id), PayloadPredicate.eq("V", 1.0))),
                    thread -> Event.of(type + "D", Map.of("Id", id, "V", thread % 2 == 0 ? 1 : 1.0)));
            List<PayloadPredicate> wide = new ArrayList<>();
            for (int key = 0; key < 65; key++) {
                wide.add(PayloadPredicate.eq("Key", id + "-" + key));
            }
            raceOnce(
                    "65 values",
                    Filter.anyOf(FilterItem.types(type + "W").anyOf(wide.toArray(PayloadPredicate[]::new))),
                    thread -> Event.of(type + "W", Map.of("Key", id + "-" + thread * 8)));
            raceOnce("the whole log", Filter.matchAll(), thread -> Event.of(type + "A", Map.of("By", thread)));
        }
    }

    private void raceOnce(String shape, Filter boundary, IntFunction<Event> eventOf) throws Exception {
        long expected = store.query(boundary).maxSequenceNumber();
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger winners = new AtomicInteger();
        runThreads(
                THREADS,
                (thread, random) -> {
                    start.await();
                    try {
                        store.append(boundary, expected, eventOf.apply(thread));
                        winners.incrementAndGet();
                    } catch (AppendConditionFailedException lost) {
                        // The others must lose.
                    }
                },
                start);
        assertThat(winners.get()).as("winners, %s", shape).isEqualTo(1);
        assertThat(store.query(boundary.sequenceNumberAfter(expected)).events())
                .as("events appended after the expectation, %s", shape)
                .hasSize(1);
    }

    @Test
    void appendsOnDisjointBoundariesNeverConflict() throws Exception {
        AtomicInteger conflicts = new AtomicInteger();
        AtomicInteger successes = new AtomicInteger();
        runThreads(THREADS, (thread, random) -> {
            for (int i = 0; i < 50; i++) {
                String own = "own-" + thread + "-" + (i % 5);
                Filter boundary = Filter.anyOf(FilterItem.types("Owned").allOf(PayloadPredicate.eq("OwnerID", own)));
                QueryResult seen = store.query(boundary);
                try {
                    store.append(
                            boundary,
                            seen.maxSequenceNumber(),
                            Event.of("Owned", Map.of("OwnerID", own, "Shared", "same-value-for-all", "I", i)));
                    successes.incrementAndGet();
                } catch (AppendConditionFailedException e) {
                    conflicts.incrementAndGet();
                }
            }
        });
        assertThat(conflicts.get()).isZero();
        assertThat(successes.get()).isEqualTo(THREADS * 50);

        List<String> expected = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            for (int i = 0; i < 50; i++) {
                expected.add("own-" + thread + "-" + (i % 5) + "/" + i);
            }
        }
        List<String> stored = new ArrayList<>();
        for (StoredEvent event :
                store.query(Filter.anyOf(FilterItem.types("Owned"))).events()) {
            JsonNode payload = readTree(event.payload());
            stored.add(payload.get("OwnerID").asText() + "/" + payload.get("I").asInt());
        }
        assertThat(stored)
                .as("the events in the store, by owner and index")
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aReaderFollowingTheLogBySequenceNumberNeverSkipsAnEventThatCommitsLate() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Long> seenByFollower = new ArrayList<>(); // only the follower writes; read after its Future
        Filter all = Filter.anyOf(FilterItem.types("Tick"));
        ExecutorService follower = Executors.newSingleThreadExecutor();
        Future<?> following = follower.submit(() -> {
            long position = 0;
            while (writing.get() || position < store.query(all).maxSequenceNumber()) {
                QueryResult next = store.query(all.sequenceNumberAfter(position));
                for (StoredEvent event : next.events()) {
                    seenByFollower.add(event.sequenceNumber());
                }
                position = Math.max(position, next.maxSequenceNumber());
            }
            return null;
        });
        try {
            runThreads(THREADS - 1, (thread, random) -> {
                for (int i = 0; i < 150; i++) {
                    List<Event> batch = new ArrayList<>();
                    for (int j = 0; j <= random.nextInt(3); j++) {
                        batch.add(Event.of("Tick", Map.of("Writer", thread, "I", i, "J", j)));
                    }
                    store.append(batch.toArray(Event[]::new));
                }
            });
        } finally {
            writing.set(false);
        }
        following.get(60, TimeUnit.SECONDS);
        follower.shutdown();

        List<Long> stored = store.query(all).events().stream()
                .map(StoredEvent::sequenceNumber)
                .toList();
        assertThat(stored).hasSizeGreaterThanOrEqualTo((THREADS - 1) * 150);
        assertThat(seenByFollower).as("events the follower saw twice").doesNotHaveDuplicates();
        for (int i = 1; i < seenByFollower.size(); i++) {
            assertThat(seenByFollower.get(i))
                    .as("the follower's event %s after %s", i, seenByFollower.get(i - 1))
                    .isGreaterThan(seenByFollower.get(i - 1));
        }
        assertThat(seenByFollower)
                .as("every stored event, in order, none skipped")
                .containsExactlyElementsOf(stored);
    }

    /** The body of one racing thread. */
    @FunctionalInterface
    protected interface ThreadBody {
        /**
         * @param thread the thread's number
         * @param random the thread's own random source (seeded by its number)
         * @throws Exception to fail the test
         */
        void run(int thread, Random random) throws Exception;
    }

    /**
     * Runs the body on n threads and fails with the first exception any thread threw.
     *
     * @param threads how many threads
     * @param body what each thread runs, given its index
     * @param gates the latches the threads wait on together
     * @throws Exception the first exception a thread threw
     */
    protected static void runThreads(int threads, ThreadBody body, CountDownLatch... gates) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    body.run(thread, new Random(thread));
                    return null;
                }));
            }
            for (CountDownLatch gate : gates) {
                gate.countDown();
            }
            for (Future<?> future : futures) {
                future.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode readTree(String payload) {
        try {
            return JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new AssertionError("a stored payload is not JSON: " + payload, e);
        }
    }
}
