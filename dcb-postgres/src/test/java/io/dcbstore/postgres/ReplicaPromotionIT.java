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
 * A replica promoted at runtime ({@code pg_promote()}) while the store's primary keeps running.
 * By design (docs/design.md, Replicas) the store does not follow a failover: its primary stays the
 * data source it was built with, and a replica is healthy only while it is in recovery. So the
 * promoted server, which no longer receives the primary's appends, gets no more reads.
 */
@Tag("replication")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaPromotionIT {
    private ReplicatedStoreFixture fixture;
    private PostgresEventStore store;

    @BeforeAll
    void startCluster() {
        fixture = ReplicatedStoreFixture.start(
                1,
                PostgresStoreConfig.defaults()
                        .withReplicaRouting(Duration.ofSeconds(60), Duration.ofMillis(200), Duration.ofMillis(100)));
        store = fixture.store;
    }

    @AfterAll
    void stopCluster() {
        fixture.close();
    }

    @Test
    void aPromotedReplicaGetsNoMoreReadsAndReadsKeepSeeingThePrimarysAppends() {
        String topic = uniqueTopic();
        AppendResult first = store.append(note(topic, 1));
        fixture.awaitCaughtUpAndHealthy(0);

        assertThat(fixture.textOnReplica(0, "SELECT pg_promote(true, 30)")).isEqualTo("t");
        AppendResult second = store.append(note(topic, 2));
        ReplicaStatus promoted = fixture.awaitStatus(
                0, status -> !status.inRecovery(), "out of recovery after its promotion", Duration.ofSeconds(10));
        assertThat(promoted.healthy()).isFalse();
        assertThat(promoted.problem()).isEqualTo("not in recovery (promoted?)");
        assertThat(fixture.textOnReplica(0, "SELECT count(*) FROM events WHERE payload->>'Topic' = '" + topic + "'"))
                .as("premise: the promoted server does not receive the primary's appends")
                .isEqualTo("1");

        fixture.assertFortyReadsFallBackToThePrimary(topic, first, second, "after the promotion");

        // Still excluded later: a promoted server never comes back by itself.
        ReplicatedStoreFixture.sleep(500);
        assertThat(store.replicaStatus().get(0).healthy()).isFalse();
        assertThat(store.query(topic(topic), ReadOptions.EVENTUAL).events()).hasSize(2);
    }
}
