package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.Event;
import io.dcbstore.EventStoreException;
import io.dcbstore.EventSubscription;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.StoredEvent;
import io.dcbstore.SubscriptionOptions;
import io.dcbstore.SubscriptionState;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.embedded.ServerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A subscription while its primary crashes and restarts, with a writer appending throughout. */
@Tag("replication")
class SubscriptionRestartIT {
    private static final Filter FEED = Filter.anyOf(FilterItem.types("Fed"));

    @Test
    void aSubscriptionRetriesThroughAPrimaryCrashAndDeliversEveryAcknowledgedEventOnceInOrder() throws Exception {
        try (EmbeddedPostgres primary = EmbeddedPostgres.start(ServerSettings.primary("128MB"));
                HikariDataSource pool =
                        PostgresPools.newPool("restart", primary.jdbcUrl("postgres"), EmbeddedPostgres.USER, "", 4);
                PostgresEventStore store = PostgresEventStore.create(pool, PostgresStoreConfig.defaults());
                EventSubscription subscription = store.subscribe(
                        FEED, 0, SubscriptionOptions.DEFAULTS.withMaxRetryBackoff(Duration.ofMillis(400)))) {
            ConcurrentSkipListSet<Long> acknowledged = new ConcurrentSkipListSet<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                for (int i = 0; writing.get(); i++) {
                    try {
                        acknowledged.add(
                                store.append(Event.of("Fed", Map.of("I", i))).lastSequenceNumber());
                    } catch (EventStoreException unavailable) {
                        sleep(20);
                    }
                }
            });
            List<Long> delivered = new ArrayList<>();
            takeFor(subscription, delivered, Duration.ofSeconds(1));

            primary.kill();
            boolean sawRetrying = false;
            // Down for at least 1 s, and until the subscription has noticed (at most 15 s: a loaded
            // machine may take longer than a second to fail its next read).
            long atLeast = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            long atMost = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < atLeast || (!sawRetrying && System.nanoTime() < atMost)) {
                sawRetrying |= subscription.state() == SubscriptionState.RETRYING;
                take(subscription, delivered);
            }
            primary.startServer(Map.of());
            takeFor(subscription, delivered, Duration.ofSeconds(2));
            writing.set(false);
            writer.get(30, TimeUnit.SECONDS);

            long last = acknowledged.last();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (subscription.position() < last && System.nanoTime() < deadline) {
                take(subscription, delivered);
            }
            assertThat(sawRetrying).as("the subscription reported its retries").isTrue();
            assertThat(subscription.state()).isEqualTo(SubscriptionState.LIVE);
            assertThat(delivered).as("in order, once").isSorted().doesNotHaveDuplicates();
            assertThat(delivered).as("every acknowledged append").containsAll(acknowledged);
            assertThat(delivered)
                    .as("exactly the log")
                    .isEqualTo(store.query(FEED).events().stream()
                            .map(StoredEvent::sequenceNumber)
                            .toList());
        }
    }

    private static void takeFor(EventSubscription subscription, List<Long> into, Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < until) {
            take(subscription, into);
        }
    }

    private static void take(EventSubscription subscription, List<Long> into) {
        StoredEvent event = subscription.next(Duration.ofMillis(20));
        if (event != null) {
            into.add(event.sequenceNumber());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
