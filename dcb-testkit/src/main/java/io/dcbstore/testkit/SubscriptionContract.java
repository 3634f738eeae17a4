package io.dcbstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.Event;
import io.dcbstore.EventSubscription;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.InvalidInputException;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.StoredEvent;
import io.dcbstore.SubscriptionOptions;
import io.dcbstore.SubscriptionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Catch-up subscriptions: history, then live events, in order, each once, from any checkpoint,
 * under concurrent writers. An engine's test extends this class and supplies a fresh, empty store
 * per test.
 */
public abstract class SubscriptionContract extends StoreContractBase {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Filter TICKS = Filter.anyOf(FilterItem.types("Tick"));

    /** @return how long the concurrent writers of {@link #eightWritersAndThreeSubscribersWithDifferentFiltersEachSeeExactlyTheirEventsInOrderOnce} write */
    protected Duration concurrentWritingTime() {
        return Duration.ofSeconds(20);
    }

    private static Event tick(int n, String shard) {
        return Event.of("Tick", Map.of("N", n, "Shard", shard));
    }

    private static List<StoredEvent> take(EventSubscription subscription, int count) {
        List<StoredEvent> taken = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (taken.size() < count && System.nanoTime() < deadline) {
            StoredEvent event = subscription.next(Duration.ofMillis(100));
            if (event != null) {
                taken.add(event);
            }
        }
        return taken;
    }

    private static List<Long> numbers(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::sequenceNumber).toList();
    }

    @Test
    void aSubscriptionDeliversTheHistoryThenLiveEventsInOrderEachOnce() {
        for (int i = 0; i < 100; i++) {
            store.append(tick(i, "a"));
        }
        try (EventSubscription subscription = store.subscribe(TICKS, 0, SubscriptionOptions.DEFAULTS.withPageSize(7))) {
            List<StoredEvent> history = take(subscription, 100);
            for (int i = 100; i < 150; i++) {
                store.append(tick(i, "a"));
            }
            List<StoredEvent> live = take(subscription, 50);

            List<StoredEvent> all = new ArrayList<>(history);
            all.addAll(live);
            assertThat(numbers(all)).isEqualTo(numbers(store.query(TICKS).events()));
            assertThat(subscription.next(Duration.ofMillis(200)))
                    .as("nothing more, nothing twice")
                    .isNull();
            assertThat(subscription.position()).isEqualTo(all.get(149).sequenceNumber());
            assertThat(subscription.state()).isEqualTo(SubscriptionState.LIVE);
        }
    }

    @Test
    void aSubscriptionFromACheckpointDeliversOnlyWhatFollowsItAndOnlyWhatMatches() {
        long checkpoint = 0;
        for (int i = 0; i < 20; i++) {
            long written = store.append(tick(i, i % 2 == 0 ? "even" : "odd")).lastSequenceNumber();
            store.append(Event.of("Tock", Map.of("N", i)));
            if (i == 9) {
                checkpoint = written;
            }
        }
        Filter odd = Filter.anyOf(FilterItem.types("Tick").allOf(PayloadPredicate.eq("Shard", "odd")));
        try (EventSubscription subscription = store.subscribe(odd, checkpoint)) {
            assertThat(subscription.position()).isEqualTo(checkpoint);
            List<StoredEvent> delivered = take(subscription, 5);
            assertThat(numbers(delivered))
                    .isEqualTo(numbers(
                            store.query(odd.sequenceNumberAfter(checkpoint)).events()));
            assertThat(subscription.next(Duration.ofMillis(200))).isNull();
        }
    }

    @Test
    void closingASubscriptionStopsItPromptlyAndItDeliversNothingMore() {
        store.append(tick(1, "a"));
        EventSubscription subscription = store.subscribe(TICKS, 0);
        assertThat(take(subscription, 1)).hasSize(1);
        long started = System.nanoTime();
        subscription.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        store.append(tick(2, "a"));
        assertThat(subscription.state()).isEqualTo(SubscriptionState.STOPPED);
        assertThat(subscription.next(Duration.ofMillis(200))).isNull();
        subscription.close();
    }

    @Test
    void closingASubscriptionReleasesAConsumerWaitingInNext() throws Exception {
        EventSubscription subscription = store.subscribe(TICKS, 0);
        ExecutorService consumer = Executors.newSingleThreadExecutor();
        try {
            Future<StoredEvent> waiting = consumer.submit(() -> subscription.next(Duration.ofMinutes(1)));
            while (subscription.state() != SubscriptionState.LIVE) {
                Thread.sleep(5);
            }
            subscription.close();
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isNull();
        } finally {
            consumer.shutdownNow();
        }
    }

    @Test
    void aSlowConsumerHoldsTheSubscriptionAtItsBufferAndStillGetsEveryEventInOrder() {
        for (int i = 0; i < 300; i++) {
            store.append(tick(i, "a"));
        }
        SubscriptionOptions small =
                SubscriptionOptions.DEFAULTS.withBufferSize(10).withPageSize(4);
        try (EventSubscription subscription = store.subscribe(TICKS, 0, small)) {
            assertThat(numbers(take(subscription, 300)))
                    .isEqualTo(numbers(store.query(TICKS).events()));
        }
    }

    @Test
    void invalidSubscriptionsAreRefusedWithATypedError() {
        assertThatThrownBy(() -> store.subscribe(TICKS, -1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> store.subscribe(null, 0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> SubscriptionOptions.DEFAULTS.withBufferSize(0).withPageSize(0))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void eightWritersAndThreeSubscribersWithDifferentFiltersEachSeeExactlyTheirEventsInOrderOnce() throws Exception {
        List<Filter> filters = List.of(
                TICKS,
                Filter.anyOf(FilterItem.types("Tick").allOf(PayloadPredicate.eq("Shard", "s3"))),
                Filter.anyOf(
                        FilterItem.types("Tock"), FilterItem.types("Tick").allOf(PayloadPredicate.eq("Shard", "s5"))));
        List<EventSubscription> subscriptions = new ArrayList<>();
        for (Filter filter : filters) {
            subscriptions.add(store.subscribe(filter, 0, SubscriptionOptions.DEFAULTS.withPageSize(50)));
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(8 + filters.size());
        try {
            List<Future<List<StoredEvent>>> received = new ArrayList<>();
            for (EventSubscription subscription : subscriptions) {
                received.add(threads.submit(() -> {
                    List<StoredEvent> events = new ArrayList<>();
                    while (writing.get()) {
                        StoredEvent event = subscription.next(Duration.ofMillis(50));
                        if (event != null) {
                            events.add(event);
                        }
                    }
                    return events;
                }));
            }
            List<Future<?>> writers = new ArrayList<>();
            long until = System.nanoTime() + concurrentWritingTime().toNanos();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                writers.add(threads.submit(() -> {
                    for (int i = 0; System.nanoTime() < until; i++) {
                        if (i % 3 == 0) {
                            store.append(Event.of("Tock", Map.of("W", writer)), tick(i, "s" + writer));
                        } else {
                            store.append(tick(i, "s" + writer));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(concurrentWritingTime().toSeconds() + 60, TimeUnit.SECONDS);
            }
            // Every writer is done: each subscriber takes what is left, then stops.
            List<List<StoredEvent>> expected = new ArrayList<>();
            for (Filter filter : filters) {
                expected.add(store.query(filter).events());
            }
            for (int i = 0; i < filters.size(); i++) {
                long last = expected.get(i).get(expected.get(i).size() - 1).sequenceNumber();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (subscriptions.get(i).position() < last && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            }
            writing.set(false);
            for (int i = 0; i < filters.size(); i++) {
                List<StoredEvent> got = received.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(expected.get(i))
                        .as("subscriber %s had events to receive", i)
                        .hasSizeGreaterThan(100);
                assertThat(numbers(got))
                        .as("subscriber %s: exactly its events, in order, once", i)
                        .isEqualTo(numbers(expected.get(i)));
            }
        } finally {
            writing.set(false);
            subscriptions.forEach(EventSubscription::close);
            threads.shutdownNow();
        }
    }
}
