package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.Event;
import io.dcbstore.EventSubscription;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.StoredEvent;
import io.dcbstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link PostgresEventStore#close()} stops the store's own threads (subscription readers, the
 * notification listener and sender) before it returns, closes the pools it created, and leaves a
 * caller's pool open and whole. Threads are compared by name before and after, as HikariCP's
 * shutdown tests do.
 */
class StoreCloseTest {
    private final TestDatabase database = TestDatabase.get();
    private final String table = TestDatabase.uniqueName("sc");

    private PostgresStoreConfig config() {
        return PostgresStoreConfig.defaults().withTables(table, table + "_snap");
    }

    /** Subscribes, appends and waits for the event: every thread of the store's is running. */
    private static void runEveryThreadOf(PostgresEventStore store) throws InterruptedException {
        Filter ticks = Filter.anyOf(FilterItem.types("Tick"));
        try (EventSubscription subscription = store.subscribe(ticks, 0)) {
            store.append(Event.of("Tick", Map.of("n", 1)));
            StoredEvent received = subscription.next(Duration.ofSeconds(10));
            assertThat(received).as("the subscription received the append").isNotNull();
            // A second subscription stays open until the store closes.
            store.subscribe(ticks, 0);
            assertThat(ServerSessions.storeThreads())
                    .as("premise: the store's threads run")
                    .anyMatch(name -> name.startsWith("dcb-subscription-"))
                    .anyMatch(name -> name.startsWith("dcb-listen-"))
                    .anyMatch(name -> name.startsWith("dcb-notify-"));
        }
    }

    @Test
    void closingAStoreOnTheCallersPoolStopsTheStoresThreadsAndLeavesThePoolOpenAndUsable() throws Exception {
        try (HikariDataSource callers =
                PostgresPools.newPool(table, database.jdbcUrl(), database.user(), database.password(), 3)) {
            Set<String> before = ServerSessions.storeThreads();
            PostgresEventStore store = PostgresEventStore.create(callers, config());
            runEveryThreadOf(store);

            store.close();

            ServerSessions.awaitNoneStartedSince(before);
            assertThat(callers.isClosed()).isFalse();
            assertThat(ServerSessions.threadsNamed(table))
                    .as("the caller's pool's threads")
                    .contains(table + ":housekeeper");
            assertThat(callers.getHikariPoolMXBean().getActiveConnections())
                    .as("connections the store still holds (the listener's)")
                    .isZero();
            try (Connection connection = callers.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
                rows.next();
                assertThat(rows.getLong(1)).isOne();
            }
        }
    }

    @Test
    void closingAStoreWithPoolsOfItsOwnClosesThemAndStopsEveryThread() throws Exception {
        Set<String> before = ServerSessions.storeThreads();
        PostgresEventStore store = PostgresEventStore.connectTo(database.jdbcUrl() + "?ApplicationName=" + table)
                .credentials(database.user(), database.password())
                .config(config())
                .connect();
        runEveryThreadOf(store);
        assertThat(ServerSessions.of(table))
                .as("premise: the store's pool is connected")
                .isNotEmpty();

        store.close();

        ServerSessions.awaitNoneStartedSince(before);
        ServerSessions.awaitNoSession(table);
    }
}
