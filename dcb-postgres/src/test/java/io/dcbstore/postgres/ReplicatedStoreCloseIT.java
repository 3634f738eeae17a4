package io.dcbstore.postgres;

import static io.dcbstore.postgres.ReplicatedStoreFixture.note;
import static io.dcbstore.postgres.ReplicatedStoreFixture.topic;
import static io.dcbstore.postgres.ReplicatedStoreFixture.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendResult;
import io.dcbstore.EventSubscription;
import io.dcbstore.ReadOptions;
import io.dcbstore.StoredEvent;
import io.dcbstore.SubscriptionState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link PostgresEventStore#close()} of a store built on the caller's primary and replica pools:
 * every thread the store started ends (the replica health checker, the subscriptions' readers,
 * the notification listener and sender), and the caller's pools stay open, with no connection
 * borrowed, and serve queries. Threads are compared by name before and after, as HikariCP's
 * shutdown tests do.
 */
@Tag("replication")
class ReplicatedStoreCloseIT {

    @Test
    void closingAStoreWithAReplicaStopsEveryThreadItStartedAndLeavesTheCallersPoolsOpenAndUsable() throws Exception {
        Set<String> before = ServerSessions.storeThreads();
        try (ReplicatedStoreFixture fixture = ReplicatedStoreFixture.start(
                1,
                PostgresStoreConfig.defaults()
                        .withReplicaRouting(Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofMillis(100)))) {
            PostgresEventStore store = fixture.store;
            String topic = uniqueTopic();
            // Left open: the store's close must end it.
            EventSubscription subscription = store.subscribe(topic(topic), 0);
            AppendResult appended = store.append(note(topic, 1));
            StoredEvent received = subscription.next(Duration.ofSeconds(10));
            assertThat(received).as("the subscription received the append").isNotNull();
            fixture.awaitCaughtUpAndHealthy(0);
            assertThat(store.query(topic(topic), ReadOptions.EVENTUAL).events())
                    .extracting(StoredEvent::sequenceNumber)
                    .containsExactly(appended.lastSequenceNumber());
            assertThat(store.routingStatistics().replicaReads())
                    .as("premise: the replica serves reads")
                    .isPositive();
            assertThat(ServerSessions.startedSince(before))
                    .as("premise: the store's threads run")
                    .anyMatch(name -> name.equals("dcb-replica-health"))
                    .anyMatch(name -> name.startsWith("dcb-subscription-"))
                    .anyMatch(name -> name.startsWith("dcb-listen-"))
                    .anyMatch(name -> name.startsWith("dcb-notify-"));

            store.close();

            ServerSessions.awaitNoneStartedSince(before);
            assertThat(subscription.state())
                    .as("the subscription the store closed")
                    .isEqualTo(SubscriptionState.STOPPED);
            assertOpenIdleAndServing(fixture.primaryPool, "the caller's primary pool");
            assertOpenIdleAndServing(fixture.replicaPools.get(0), "the caller's replica pool");
        }
    }

    /** The pool is open, the store holds none of its connections, and it gives one that reads the log. */
    private static void assertOpenIdleAndServing(HikariDataSource pool, String which) throws SQLException {
        assertThat(pool.isClosed()).as(which + " closed").isFalse();
        assertThat(pool.getHikariPoolMXBean().getActiveConnections())
                .as("connections of " + which + " still borrowed")
                .isZero();
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM events")) {
            rows.next();
            assertThat(rows.getLong(1)).as("events read through " + which).isOne();
        }
    }
}
