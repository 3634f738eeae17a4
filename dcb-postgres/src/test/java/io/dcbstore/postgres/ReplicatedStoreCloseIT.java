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
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
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

    /**
     * The order is forced, not timed: the primary's data source holds the health checker at the
     * connection of its next check (ignoring interrupts, as a driver blocked in a socket read
     * does), {@code close()} is called, and the checker is let go only once {@code close()} is
     * inside the health checker's close (or has returned).
     */
    @Test
    void closeReturnsOnlyOnceTheHealthCheckerInTheMiddleOfACheckHasEnded() throws Exception {
        try (ReplicatedStoreFixture fixture = ReplicatedStoreFixture.start(
                1,
                PostgresStoreConfig.defaults()
                        .withReplicaRouting(Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofMillis(100)))) {
            HoldingHealthCheck primary = new HoldingHealthCheck(fixture.primaryPool);
            PostgresEventStore store = PostgresEventStore.builder(primary)
                    .replica("held", fixture.replicaPools.get(0))
                    .config(PostgresStoreConfig.defaults()
                            .withReplicaRouting(Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofMillis(100)))
                    .build();
            Thread checker = primary.awaitHeld();
            AtomicReference<Boolean> checkerAliveWhenCloseReturned = new AtomicReference<>();
            Thread closer = new Thread(
                    () -> {
                        store.close();
                        checkerAliveWhenCloseReturned.set(checker.isAlive());
                    },
                    "test-closer");
            closer.start();
            ServerSessions.await(
                    () -> !closer.isAlive() || insideHealthClose(closer),
                    () -> "close() inside the health checker's close or returned, is " + closer.getState());
            primary.release();
            closer.join(TimeUnit.SECONDS.toMillis(10));

            assertThat(closer.isAlive()).as("close() returned").isFalse();
            assertThat(checkerAliveWhenCloseReturned.get())
                    .as("the health checker still ran when close() returned")
                    .isFalse();
        }
    }

    private static boolean insideHealthClose(Thread thread) {
        return Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().endsWith(".ReplicaHealth")
                        && frame.getMethodName().equals("close"));
    }

    /** The primary's pool, but the health checker's first connection is held until released. */
    private static final class HoldingHealthCheck extends ForwardingDataSource {
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicBoolean first = new AtomicBoolean(true);
        private volatile Thread heldThread;

        HoldingHealthCheck(DataSource server) {
            super(server);
        }

        Thread awaitHeld() throws InterruptedException {
            assertThat(held.await(10, TimeUnit.SECONDS))
                    .as("the health checker asked for a connection")
                    .isTrue();
            return heldThread;
        }

        void release() {
            released.countDown();
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (Thread.currentThread().getName().equals("dcb-replica-health") && first.getAndSet(false)) {
                heldThread = Thread.currentThread();
                held.countDown();
                boolean interrupted = false;
                while (true) {
                    try {
                        if (!released.await(30, TimeUnit.SECONDS)) {
                            throw new SQLException("the test never released the held connection");
                        }
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // like a driver in a socket read: the interrupt waits
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.getConnection();
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
