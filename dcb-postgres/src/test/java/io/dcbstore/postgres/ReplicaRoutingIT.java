package io.dcbstore.postgres;

import static io.dcbstore.postgres.ReplicatedStoreFixture.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.AppendResult;
import io.dcbstore.ConfigurationException;
import io.dcbstore.Consistency;
import io.dcbstore.DatabaseException;
import io.dcbstore.Event;
import io.dcbstore.EventSubscription;
import io.dcbstore.Filter;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.StoredEvent;
import io.dcbstore.SubscriptionOptions;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.micrometer.core.instrument.Counter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Routing between a real primary and a real streaming replica (embedded cluster). */
@Tag("replication")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaRoutingIT {
    private ReplicatedStoreFixture fixture;
    private PostgresEventStore store;

    @BeforeAll
    void startCluster() {
        fixture = ReplicatedStoreFixture.start(
                1,
                PostgresStoreConfig.defaults()
                        .withReplicaRouting(Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofMillis(100)));
        store = fixture.store;
    }

    @AfterAll
    void stopCluster() {
        fixture.close();
    }

    @Test
    void eventualReadsEventuallySeeAnAppendedEvent() throws Exception {
        store.append(Event.of("Note", Map.of("Topic", "eventually")));
        QueryResult result = null;
        for (int attempt = 0; attempt < 200; attempt++) {
            result = store.query(topic("eventually"), ReadOptions.EVENTUAL);
            if (!result.events().isEmpty()) {
                break;
            }
            Thread.sleep(10);
        }
        assertThat(result.events()).hasSize(1);
    }

    @Test
    void aReadWithTheCommitTokenOfEachOfAThousandAppendsSeesThatAppendAtOnce() {
        int stale = 0;
        int servedByTheReplica = 0;
        for (int i = 0; i < 1000; i++) {
            AppendResult written = store.append(Event.of("Note", Map.of("Topic", "ryw", "I", i)));
            long replicaReadsBefore = store.routingStatistics().replicaReads();
            QueryResult read = store.query(topic("ryw"), ReadOptions.EVENTUAL.withAtLeast(written.commitToken()));
            boolean fromTheReplica = store.routingStatistics().replicaReads() > replicaReadsBefore;
            boolean sawIt = read.events().stream()
                    .map(StoredEvent::sequenceNumber)
                    .anyMatch(s -> s == written.lastSequenceNumber());
            if (!sawIt || read.events().size() != i + 1) {
                stale++;
            }
            if (fromTheReplica) {
                servedByTheReplica++;
            }
        }
        assertThat(stale).as("stale reads").isZero();
        assertThat(servedByTheReplica)
                .as(
                        "of the 1000 reads checked for staleness, those the replica served (it replays in milliseconds, well within"
                                + " the read-your-writes wait of 200 ms)")
                .isGreaterThanOrEqualTo(900);
    }

    @Test
    void aReplicaReadDoesNotReturnEventsAboveAnEventThatIsStillBeingWrittenOnThePrimary() throws Exception {
        AppendResult first = store.append(Event.of("Note", Map.of("Topic", "late")));
        long replicaReadsBefore = store.routingStatistics().replicaReads();
        try (Connection slowWriter = DriverManager.getConnection(
                        fixture.cluster.primary().jdbcUrl("postgres"), EmbeddedPostgres.USER, "");
                Statement slow = slowWriter.createStatement()) {
            slowWriter.setAutoCommit(false);
            // What a slow append does: it takes a lower sequence number (under the id lock), then commits late.
            slow.execute("SELECT pg_advisory_lock(" + 0x0DCB + ", " + "events".hashCode() + ")");
            slow.execute(
                    "INSERT INTO events (event_type, payload, occurred_at) VALUES ('Note', '{\"Topic\": \"late\"}', now())");
            slow.execute("SELECT pg_advisory_unlock(" + 0x0DCB + ", " + "events".hashCode() + ")");
            AppendResult fast = store.append(Event.of("Note", Map.of("Topic", "late")));
            awaitOnReplica("SELECT count(*) FROM events WHERE sequence_number = " + fast.lastSequenceNumber());

            assertThat(store.query(topic("late"), ReadOptions.EVENTUAL).events())
                    .as("the replica holds the fast event back")
                    .extracting(StoredEvent::sequenceNumber)
                    .containsExactly(first.lastSequenceNumber());
            assertThat(store.routingStatistics().replicaReads())
                    .as("served by the replica")
                    .isGreaterThan(replicaReadsBefore);

            slowWriter.commit();
            awaitOnReplica("SELECT count(*) FROM events WHERE sequence_number = " + (first.lastSequenceNumber() + 1));
            assertThat(store.query(topic("late"), ReadOptions.EVENTUAL).events())
                    .extracting(StoredEvent::sequenceNumber)
                    .containsExactly(
                            first.lastSequenceNumber(), first.lastSequenceNumber() + 1, fast.lastSequenceNumber());
        }
    }

    /** Waits until a count on the replica itself (not through the store) is 1. */
    private void awaitOnReplica(String countSql) throws Exception {
        try (Connection replica = fixture.replicaPools.get(0).getConnection();
                Statement statement = replica.createStatement()) {
            for (int attempt = 0; attempt < 500; attempt++) {
                try (ResultSet rows = statement.executeQuery(countSql)) {
                    rows.next();
                    if (rows.getLong(1) == 1) {
                        return;
                    }
                } catch (SQLException e) {
                    if (!"42P01".equals(e.getSQLState())) {
                        throw e;
                    }
                    // The table itself has not been replayed yet.
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError("the replica did not replay: " + countSql);
    }

    @Test
    void readsSucceedWhileTheReplicaIsDownAndReturnToItWhenItIsBack() throws Exception {
        store.append(Event.of("Note", Map.of("Topic", "failover")));
        EmbeddedPostgres replica = fixture.cluster.replicas().get(0);
        long fallbacksBefore = store.routingStatistics().fallbacks();
        replica.stopServer();
        try {
            for (int i = 0; i < 50; i++) {
                assertThat(store.query(topic("failover"), ReadOptions.EVENTUAL).events())
                        .hasSize(1);
            }
            assertThat(store.routingStatistics().fallbacks()).isGreaterThan(fallbacksBefore);
            assertThat(store.replicaStatus().get(0).healthy()).isFalse();
            assertThat(fixture.meters
                            .get("dcb.store.replica.healthy")
                            .tag("replica", "replica-1")
                            .gauge()
                            .value())
                    .isZero();
            double fallbackMetrics = fixture.meters.get("dcb.store.replica.fallbacks").counters().stream()
                    .mapToDouble(Counter::count)
                    .sum();
            assertThat(fallbackMetrics).isEqualTo(store.routingStatistics().fallbacks());
        } finally {
            replica.startServer(Map.of());
        }
        fixture.cluster.awaitStreaming(Duration.ofSeconds(30));
        long replicaReadsBefore = store.routingStatistics().replicaReads();
        for (int attempt = 0;
                attempt < 100 && store.routingStatistics().replicaReads() == replicaReadsBefore;
                attempt++) {
            store.query(topic("failover"), ReadOptions.EVENTUAL);
            Thread.sleep(50);
        }
        assertThat(store.routingStatistics().replicaReads()).isGreaterThan(replicaReadsBefore);
        assertThat(store.replicaStatus().get(0).healthy()).isTrue();
    }

    @Test
    void metricsNameTheNodeThatServedEachReadAndTheReplicasLag() throws Exception {
        store.append(Event.of("Note", Map.of("Topic", "metrics")));
        awaitOnReplica("SELECT count(*) FROM events WHERE payload->>'Topic' = 'metrics'");
        double replicaReadsBefore = fixture.servedBy("query", "replica-1");
        double primaryReadsBefore = fixture.servedBy("query", "primary");
        for (int attempt = 0;
                attempt < 100 && fixture.servedBy("query", "replica-1") == replicaReadsBefore;
                attempt++) {
            store.query(topic("metrics"), ReadOptions.EVENTUAL);
            Thread.sleep(20);
        }
        store.query(topic("metrics"), ReadOptions.STRONG);

        assertThat(fixture.servedBy("query", "replica-1")).isGreaterThan(replicaReadsBefore);
        assertThat(fixture.servedBy("query", "primary")).isGreaterThan(primaryReadsBefore);
        assertThat(fixture.meters
                        .get("dcb.store.replica.lag.bytes")
                        .tag("replica", "replica-1")
                        .gauge()
                        .value())
                .isGreaterThanOrEqualTo(0);
        assertThat(fixture.meters
                        .get("dcb.store.replica.lag")
                        .tag("replica", "replica-1")
                        .timeGauge())
                .isNotNull();
    }

    @Test
    void aReplicaThatIsReallyAPrimaryIsRejectedAtStart() {
        assertThatThrownBy(() -> PostgresEventStore.builder(fixture.primaryPool)
                        .replica("not-a-replica", fixture.primaryPool)
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("is not in recovery");
    }

    @Test
    void aPrimaryThatIsReallyAReplicaIsRejectedAtStart() {
        assertThatThrownBy(() -> PostgresEventStore.builder(fixture.replicaPools.get(0))
                        .config(PostgresStoreConfig.defaults().withCreateSchema(false))
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("standby");
    }

    @Test
    void aStoreConnectedFromPropertiesReadsFromTheNamedReplicaWithTheGivenSettings() {
        Map<String, String> properties = Map.of(
                "dcb.url",
                fixture.cluster.primary().jdbcUrl("postgres"),
                "dcb.user",
                EmbeddedPostgres.USER,
                "dcb.pool-size",
                "2",
                "dcb.replicas.reporting.url",
                fixture.cluster.replicas().get(0).jdbcUrl("postgres"),
                "dcb.default-timeout",
                "3s");
        try (PostgresEventStore connected =
                PostgresStoreConnector.fromProperties(properties, "dcb.").connect()) {
            assertThat(connected.replicas()).containsOnlyKeys("reporting");
            assertThat(connected.config().defaultTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(connected.replicaStatus())
                    .extracting(ReplicaStatus::name)
                    .containsExactly("reporting");
        }
    }

    @Test
    void anUnreachableReplicaOrAnUnknownUserFailsAtStartWithinSeconds() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> PostgresEventStore.connectTo(
                                fixture.cluster.primary().jdbcUrl("postgres"))
                        .credentials(EmbeddedPostgres.USER, "")
                        .replica("jdbc:postgresql://127.0.0.1:1/postgres")
                        .poolSize(2)
                        .connect())
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("127.0.0.1:1");
        assertThatThrownBy(() -> PostgresEventStore.connectTo(
                                fixture.cluster.primary().jdbcUrl("postgres"))
                        .credentials("no_such_user", "wrong")
                        .replica(fixture.cluster.replicas().get(0).jdbcUrl("postgres"))
                        .poolSize(2)
                        .connect())
                .isInstanceOfSatisfying(
                        DatabaseException.class, e -> assertThat(e.sqlState()).startsWith("28"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void aSubscriptionOnTheReplicaDeliversEveryEventOnceInOrderAndReadsThere() {
        Filter feed = topic("feed");
        long replicaReadsBefore = store.routingStatistics().replicaReads();
        try (EventSubscription subscription = store.subscribe(
                feed,
                0,
                SubscriptionOptions.DEFAULTS
                        .withConsistency(Consistency.EVENTUAL)
                        .withPollInterval(Duration.ofMillis(20)))) {
            List<Long> appended = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                appended.add(store.append(Event.of("Note", Map.of("Topic", "feed", "I", i)))
                        .lastSequenceNumber());
            }
            List<Long> delivered = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (delivered.size() < appended.size() && System.nanoTime() < deadline) {
                StoredEvent event = subscription.next(Duration.ofMillis(100));
                if (event != null) {
                    delivered.add(event.sequenceNumber());
                }
            }
            assertThat(delivered).isEqualTo(appended);
            assertThat(subscription.next(Duration.ofMillis(200))).isNull();
        }
        assertThat(store.routingStatistics().replicaReads())
                .as("the subscription read from the replica")
                .isGreaterThan(replicaReadsBefore);
    }
}
