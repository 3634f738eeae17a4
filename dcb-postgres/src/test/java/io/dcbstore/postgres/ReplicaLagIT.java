package io.dcbstore.postgres;

import static io.dcbstore.postgres.ReplicatedStoreFixture.note;
import static io.dcbstore.postgres.ReplicatedStoreFixture.topic;
import static io.dcbstore.postgres.ReplicatedStoreFixture.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.AppendResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.StoredEvent;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A replica further behind than {@code maxReplicaLag} gets no EVENTUAL reads (with or without a
 * commit token) until it has caught up; its replay is paused on the server to make it lag.
 */
@Tag("replication")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaLagIT {
    private static final Duration MAX_LAG = Duration.ofSeconds(1);
    private ReplicatedStoreFixture fixture;
    private PostgresEventStore store;

    @BeforeAll
    void startCluster() {
        fixture = ReplicatedStoreFixture.start(
                1,
                PostgresStoreConfig.defaults()
                        .withReplicaRouting(MAX_LAG, Duration.ofMillis(200), Duration.ofMillis(100)));
        store = fixture.store;
    }

    @AfterAll
    void stopCluster() {
        fixture.close();
    }

    @Test
    void aReplicaFurtherBehindThanTheLagBoundGetsNoEventualReadsAndGetsThemAgainOnceCaughtUp() {
        String topic = uniqueTopic();
        AppendResult first = store.append(note(topic, 1));
        fixture.awaitCaughtUp(0);
        fixture.awaitStatus(0, ReplicaStatus::healthy, "healthy", Duration.ofSeconds(10));

        fixture.pauseReplay(0);
        try {
            AppendResult second = store.append(note(topic, 2));
            ReplicaStatus lagging = fixture.awaitStatus(
                    0, status -> !status.healthy(), "excluded while its replay is paused", Duration.ofSeconds(15));
            assertThat(lagging.problem()).startsWith("lagging");
            assertThat(lagging.lagTime()).isGreaterThan(MAX_LAG);
            assertThat(lagging.lagBytes()).isPositive();
            assertThat(fixture.textOnReplica(
                            0, "SELECT count(*) FROM events WHERE payload->>'Topic' = '" + topic + "'"))
                    .as("the replica itself has not replayed the second event")
                    .isEqualTo("1");

            RoutingStatistics before = store.routingStatistics();
            for (int i = 0; i < 20; i++) {
                assertThat(store.query(topic(topic), ReadOptions.EVENTUAL).events())
                        .as("an EVENTUAL read while the replica lags")
                        .extracting(StoredEvent::sequenceNumber)
                        .containsExactly(first.lastSequenceNumber(), second.lastSequenceNumber());
                assertThat(store.query(topic(topic), ReadOptions.EVENTUAL.withAtLeast(second.commitToken()))
                                .events())
                        .as("a read with the second append's token")
                        .extracting(StoredEvent::sequenceNumber)
                        .containsExactly(first.lastSequenceNumber(), second.lastSequenceNumber());
            }
            RoutingStatistics during = store.routingStatistics();
            assertThat(during.replicaReads())
                    .as("reads served by the lagging replica")
                    .isEqualTo(before.replicaReads());
            assertThat(during.primaryReads() - before.primaryReads()).isEqualTo(40);
            assertThat(during.fallbacksNoHealthyReplica() - before.fallbacksNoHealthyReplica())
                    .isEqualTo(40);
            assertThat(store.replicaStatus().get(0).healthy())
                    .as("still excluded after the reads")
                    .isFalse();
        } finally {
            fixture.resumeReplay(0);
        }

        fixture.awaitCaughtUp(0);
        fixture.awaitStatus(0, ReplicaStatus::healthy, "healthy again once caught up", Duration.ofSeconds(10));
        long replicaReadsBefore = store.routingStatistics().replicaReads();
        double servedByReplicaBefore = fixture.servedBy("query", ReplicatedStoreFixture.replicaName(0));
        assertThat(store.query(topic(topic), ReadOptions.EVENTUAL).events()).hasSize(2);
        assertThat(store.routingStatistics().replicaReads()).isEqualTo(replicaReadsBefore + 1);
        assertThat(fixture.servedBy("query", ReplicatedStoreFixture.replicaName(0)))
                .isEqualTo(servedByReplicaBefore + 1);
    }
}
