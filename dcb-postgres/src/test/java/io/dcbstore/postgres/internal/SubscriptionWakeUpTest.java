package io.dcbstore.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendResult;
import io.dcbstore.ConfigurationException;
import io.dcbstore.Event;
import io.dcbstore.EventSubscription;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.StoredEvent;
import io.dcbstore.SubscriptionOptions;
import io.dcbstore.SubscriptionState;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * How a subscription learns of new events: another process's appends wake it through
 * {@code NOTIFY}, not its poll; an append that commits late holds delivery back instead of being
 * skipped.
 */
class SubscriptionWakeUpTest {
    /** Longer than any test waits: a delivery within the test came from a wake-up, not a poll. */
    private static final SubscriptionOptions NEVER_POLLING =
            SubscriptionOptions.DEFAULTS.withPollInterval(Duration.ofMinutes(5));

    private static final Filter NOTES = Filter.anyOf(FilterItem.types("Note"));

    private String table;
    private HikariDataSource pool;
    private PostgresStoreConfig config;

    @BeforeEach
    void createTables() {
        table = TestDatabase.uniqueName("wake");
        pool = TestDatabase.get().newPool(table, 6);
        config = PostgresStoreConfig.defaults().withTables(table, table + "_snap");
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    private static Event note(int i) {
        return Event.of("Note", Map.of("I", i));
    }

    @Test
    void anotherProcesssAppendWakesALiveSubscriptionThroughNotify() throws Exception {
        try (PostgresEventStore follower = PostgresEventStore.create(pool, config);
                PostgresEventStore writer = PostgresEventStore.create(pool, config);
                EventSubscription subscription = follower.subscribe(NOTES, 0, NEVER_POLLING)) {
            awaitLive(subscription);
            AppendResult written = writer.append(note(1));

            StoredEvent delivered = subscription.next(Duration.ofSeconds(10));

            assertThat(delivered).isNotNull();
            assertThat(delivered.sequenceNumber()).isEqualTo(written.lastSequenceNumber());
        }
    }

    @Test
    void withNotificationsOffAnotherProcesssAppendWaitsForThePoll() throws Exception {
        PostgresStoreConfig silent = config.withNotifyInterval(Duration.ZERO);
        try (PostgresEventStore follower = PostgresEventStore.create(pool, config);
                PostgresEventStore writer = PostgresEventStore.create(pool, silent);
                EventSubscription subscription = follower.subscribe(NOTES, 0, NEVER_POLLING)) {
            awaitLive(subscription);
            writer.append(note(1));

            assertThat(subscription.next(Duration.ofSeconds(2)))
                    .as("no notification, no poll within the test: the event waits")
                    .isNull();
            follower.append(note(2));
            assertThat(subscription.next(Duration.ofSeconds(10)))
                    .as("the follower's own append wakes it, and it reads both in order")
                    .extracting(StoredEvent::payload)
                    .asString()
                    .contains("\"I\": 1");
        }
    }

    @Test
    void anAppendThatCommitsLateHoldsDeliveryBackAndIsDeliveredInItsPlace() throws Exception {
        try (PostgresEventStore store = PostgresEventStore.create(pool, config);
                EventSubscription subscription = store.subscribe(NOTES, 0);
                Connection slow = TestDatabase.get().unpooled().getConnection()) {
            long first = store.append(note(1)).lastSequenceNumber();
            assertThat(subscription.next(Duration.ofSeconds(10)).sequenceNumber())
                    .isEqualTo(first);

            SlowAppends.takeASequenceNumber(slow, table, "Note", "{\"I\": 2}");
            long after = store.append(note(3)).lastSequenceNumber();
            assertThat(subscription.next(Duration.ofSeconds(1)))
                    .as("the event after the uncommitted one waits for it")
                    .isNull();

            slow.commit();
            store.append(note(4));
            StoredEvent late = subscription.next(Duration.ofSeconds(10));
            StoredEvent next = subscription.next(Duration.ofSeconds(10));
            assertThat(late.sequenceNumber()).isEqualTo(first + 1).isLessThan(after);
            assertThat(next.sequenceNumber()).isEqualTo(after);
        }
    }

    @Test
    void appendsNotifyOtherProcessesAtMostOncePerInterval() throws Exception {
        PostgresStoreConfig everyTenthOfASecond = config.withNotifyInterval(Duration.ofMillis(100));
        try (PostgresEventStore store = PostgresEventStore.create(pool, everyTenthOfASecond);
                Connection listening = TestDatabase.get().unpooled().getConnection();
                Statement listen = listening.createStatement()) {
            listen.execute("LISTEN dcb_" + table);
            long started = System.nanoTime();
            int appends = 0;
            while (System.nanoTime() - started < Duration.ofSeconds(1).toNanos()) {
                store.append(note(appends++));
            }
            double millis = (System.nanoTime() - started) / 1e6;
            Thread.sleep(300);
            PGNotification[] received = listening.unwrap(PGConnection.class).getNotifications(1_000);
            int count = received == null ? 0 : received.length;
            assertThat(appends).as("appends made").isGreaterThan(50);
            assertThat(count)
                    .as("notifications for %s appends in %.0f ms", appends, millis)
                    .isBetween(1, (int) (millis / 100) + 4);
        }
    }

    @Test
    void aRareEventFarBeyondOnePageWindowIsFoundAndNothingElseIsDelivered() throws Exception {
        try (PostgresEventStore store = PostgresEventStore.create(pool, config)) {
            store.append(Event.of("Other", Map.of("I", 0)));
            TestDatabase.get()
                    .execute("INSERT INTO " + table + " (event_type, payload, occurred_at)"
                            + " SELECT 'Other', jsonb_build_object('I', i), now() FROM generate_series(1, "
                            + (Reads.PAGE_WINDOW * 2 + 500) + ") AS i");
            long rare = store.append(note(1)).lastSequenceNumber();
            try (EventSubscription subscription = store.subscribe(NOTES, 0)) {
                StoredEvent delivered = subscription.next(Duration.ofSeconds(20));
                assertThat(delivered).isNotNull();
                assertThat(delivered.sequenceNumber()).isEqualTo(rare);
                assertThat(subscription.next(Duration.ofMillis(300))).isNull();
            }
        }
    }

    @Test
    void aPoolThatGivesNoConnectionForAWhileMakesTheSubscriptionRetryNotStop() throws Exception {
        try (HikariDataSource small = TestDatabase.get().newPool(table + "_small", 2);
                PostgresEventStore follower = PostgresEventStore.create(small, config);
                PostgresEventStore writer = PostgresEventStore.create(pool, config);
                EventSubscription subscription = follower.subscribe(NOTES, 0, NEVER_POLLING)) {
            awaitLive(subscription);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (small.getHikariPoolMXBean().getActiveConnections() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long written;
            try (Connection held = small.getConnection()) {
                // The listener holds the other connection: woken by the writer's notification, the
                // subscription finds no connection within the pool's timeout.
                written = writer.append(note(1)).lastSequenceNumber();
                awaitState(subscription, SubscriptionState.RETRYING);
            }
            StoredEvent delivered = subscription.next(Duration.ofSeconds(20));
            assertThat(delivered).isNotNull();
            assertThat(delivered.sequenceNumber()).isEqualTo(written);
            assertThat(subscription.state()).isEqualTo(SubscriptionState.LIVE);
        }
    }

    @Test
    void aPoolOfOneConnectionIsRefusedForSubscriptions() {
        try (HikariDataSource tiny = TestDatabase.get().newPool(table + "_tiny", 1);
                PostgresEventStore store = PostgresEventStore.create(tiny, config)) {
            assertThatThrownBy(() -> store.subscribe(NOTES, 0))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("at least 2");
        }
    }

    private static void awaitState(EventSubscription subscription, SubscriptionState wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (subscription.state() != wanted && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(subscription.state()).isEqualTo(wanted);
    }

    private static void awaitLive(EventSubscription subscription) throws InterruptedException {
        awaitState(subscription, SubscriptionState.LIVE);
    }
}
