package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.ReadOptions;
import io.dcbstore.StoredEvent;
import io.dcbstore.embedded.EmbeddedCluster;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.embedded.ServerSettings;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A store on an embedded primary with streaming replicas, and
 * what the replica-path tests do to the servers behind it: pause and resume a replica's replay,
 * wait until it has caught up, promote it, and count the reads each node served.
 */
final class ReplicatedStoreFixture implements AutoCloseable {
    final EmbeddedCluster cluster;
    final HikariDataSource primaryPool;
    final List<HikariDataSource> replicaPools = new ArrayList<>();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final PostgresEventStore store;

    private ReplicatedStoreFixture(int replicas, PostgresStoreConfig config) {
        cluster = EmbeddedCluster.start(replicas, ServerSettings.forTests(), ServerSettings.replicaForTests());
        primaryPool = PostgresPools.newPool(
                "it-primary", cluster.primary().jdbcUrl("postgres"), EmbeddedPostgres.USER, "", 6);
        PostgresEventStore.Builder builder = PostgresEventStore.builder(primaryPool);
        for (int i = 0; i < replicas; i++) {
            HikariDataSource pool = PostgresPools.newPool(
                    "it-" + replicaName(i),
                    cluster.replicas().get(i).jdbcUrl("postgres"),
                    EmbeddedPostgres.USER,
                    "",
                    6);
            replicaPools.add(pool);
            builder.replica(replicaName(i), pool);
        }
        store = builder.meterRegistry(meters).config(config).build();
    }

    /**
     * Starts a primary, replicas and a store routing over them.
     *
     * @param replicas how many replicas
     * @param config the store's configuration (its replica routing settings)
     * @return the running fixture
     */
    static ReplicatedStoreFixture start(int replicas, PostgresStoreConfig config) {
        return new ReplicatedStoreFixture(replicas, config);
    }

    /** @return the store's name of the i-th replica, from 0 */
    static String replicaName(int replica) {
        return "replica-" + (replica + 1);
    }

    /** @return a topic no other test uses */
    static String uniqueTopic() {
        return "topic-" + UUID.randomUUID();
    }

    /** @return the filter of one topic's notes */
    static Filter topic(String topic) {
        return Filter.anyOf(FilterItem.types("Note").allOf(PayloadPredicate.eq("Topic", topic)));
    }

    /** @return a note on a topic */
    static Event note(String topic, int number) {
        return Event.of("Note", Map.of("Topic", topic, "I", number));
    }

    /** Pauses a replica's WAL replay (it still receives WAL) and waits until it has paused. */
    void pauseReplay(int replica) {
        onReplica(replica, "SELECT pg_wal_replay_pause()");
        ServerSessions.await(
                () -> "paused".equals(textOnReplica(replica, "SELECT pg_get_wal_replay_pause_state()")),
                () -> "replica " + replicaName(replica) + " pausing its replay",
                Duration.ofSeconds(10));
    }

    /** Resumes a replica's WAL replay. */
    void resumeReplay(int replica) {
        onReplica(replica, "SELECT pg_wal_replay_resume()");
    }

    /** Waits until a replica has replayed everything the primary had written when this was called. */
    void awaitCaughtUp(int replica) {
        String primaryPosition = textOnPrimary("SELECT pg_current_wal_lsn()::text");
        ServerSessions.await(
                () -> "t"
                        .equals(textOnReplica(
                                replica, "SELECT pg_last_wal_replay_lsn() >= '" + primaryPosition + "'::pg_lsn")),
                () -> "replica " + replicaName(replica) + " replaying up to " + primaryPosition,
                Duration.ofSeconds(20));
    }

    /** Waits until a replica has replayed everything the primary has written and the store sees it healthy. */
    void awaitCaughtUpAndHealthy(int replica) {
        awaitCaughtUp(replica);
        awaitStatus(replica, ReplicaStatus::healthy, "healthy", Duration.ofSeconds(10));
    }

    /**
     * Reads a topic 20 times without a commit token and 20 times with the second append's, while
     * the only replica is not healthy: every read sees both appends, and the primary serves all 40
     * for want of a healthy replica.
     *
     * @param topic the topic the two appends wrote
     * @param first the first append
     * @param second the second append
     * @param when the replica's state, for the failure messages ({@code "while the replica lags"})
     */
    void assertFortyReadsFallBackToThePrimary(String topic, AppendResult first, AppendResult second, String when) {
        RoutingStatistics before = store.routingStatistics();
        for (int i = 0; i < 20; i++) {
            assertThat(store.query(topic(topic), ReadOptions.EVENTUAL).events())
                    .as("an EVENTUAL read " + when)
                    .extracting(StoredEvent::sequenceNumber)
                    .containsExactly(first.lastSequenceNumber(), second.lastSequenceNumber());
            assertThat(store.query(topic(topic), ReadOptions.EVENTUAL.withAtLeast(second.commitToken()))
                            .events())
                    .as("a read with the second append's token " + when)
                    .extracting(StoredEvent::sequenceNumber)
                    .containsExactly(first.lastSequenceNumber(), second.lastSequenceNumber());
        }
        RoutingStatistics after = store.routingStatistics();
        assertThat(after.replicaReads())
                .as("reads served by the replica " + when)
                .isEqualTo(before.replicaReads());
        assertThat(after.primaryReads() - before.primaryReads()).isEqualTo(40);
        assertThat(after.fallbacksNoHealthyReplica() - before.fallbacksNoHealthyReplica())
                .isEqualTo(40);
    }

    /**
     * Waits until the store's health check sees a replica in a state.
     *
     * @return that state
     */
    ReplicaStatus awaitStatus(int replica, Predicate<ReplicaStatus> state, String description, Duration timeout) {
        AtomicReference<ReplicaStatus> lastSeen = new AtomicReference<>();
        ServerSessions.await(
                () -> {
                    lastSeen.set(store.replicaStatus().get(replica));
                    return state.test(lastSeen.get());
                },
                () -> "the health check seeing " + replicaName(replica) + " " + description + "; last seen: "
                        + lastSeen.get(),
                timeout);
        return lastSeen.get();
    }

    /**
     * @param operation the store operation's metric tag ({@code query}, {@code stream})
     * @param node {@code primary} or a replica's name
     * @return how many of these operations the node served successfully
     */
    double servedBy(String operation, String node) {
        return meters
                .find("dcb.store.operations")
                .tag("operation", operation)
                .tag("outcome", "success")
                .tag("node", node)
                .timers()
                .stream()
                .mapToDouble(Timer::count)
                .sum();
    }

    /** Runs a statement on a replica directly (not through the store). */
    void onReplica(int replica, String sql) {
        try (Connection connection = replicaPools.get(replica).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + replicaName(replica), e);
        }
    }

    /** @return the first column of the first row of a query on a replica */
    String textOnReplica(int replica, String sql) {
        try (Connection connection = replicaPools.get(replica).getConnection()) {
            return text(connection, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + replicaName(replica), e);
        }
    }

    /** @return the first column of the first row of a query on the primary */
    String textOnPrimary(String sql) {
        try (Connection connection =
                DriverManager.getConnection(cluster.primary().jdbcUrl("postgres"), EmbeddedPostgres.USER, "")) {
            return text(connection, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on the primary", e);
        }
    }

    private static String text(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        store.close();
        replicaPools.forEach(HikariDataSource::close);
        primaryPool.close();
        cluster.close();
    }
}
