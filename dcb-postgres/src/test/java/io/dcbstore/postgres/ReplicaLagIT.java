package io.dcbstore.postgres;

import static io.dcbstore.postgres.ReplicatedStoreFixture.note;
import static io.dcbstore.postgres.ReplicatedStoreFixture.topic;
import static io.dcbstore.postgres.ReplicatedStoreFixture.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.AppendResult;
import io.dcbstore.ReadOptions;
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
        fixture.awaitCaughtUpAndHealthy(0);

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

            fixture.assertFortyReadsFallBackToThePrimary(topic, first, second, "while the replica lags");
            assertThat(store.replicaStatus().get(0).healthy())
                    .as("still excluded after the reads")
                    .isFalse();
        } finally {
            fixture.resumeReplay(0);
        }

        fixture.awaitCaughtUpAndHealthy(0);
        long replicaReadsBefore = store.routingStatistics().replicaReads();
        double servedByReplicaBefore = fixture.servedBy("query", ReplicatedStoreFixture.replicaName(0));
        assertThat(store.query(topic(topic), ReadOptions.EVENTUAL).events()).hasSize(2);
        assertThat(store.routingStatistics().replicaReads()).isEqualTo(replicaReadsBefore + 1);
        assertThat(fixture.servedBy("query", ReplicatedStoreFixture.replicaName(0)))
                .isEqualTo(servedByReplicaBefore + 1);
    }
}
