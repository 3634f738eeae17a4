package io.dcbstore.postgres;

import static io.dcbstore.postgres.ReplicatedStoreFixture.note;
import static io.dcbstore.postgres.ReplicatedStoreFixture.replicaName;
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

/** Routing over two streaming replicas: round-robin, a token read skipping the one that lags, lag exclusion. */
@Tag("replication")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoReplicasIT {
    private static final Duration READ_YOUR_WRITES_WAIT = Duration.ofSeconds(2);
    private ReplicatedStoreFixture fixture;
    private PostgresEventStore store;

    @BeforeAll
    void startCluster() {
        fixture = ReplicatedStoreFixture.start(
                2,
                PostgresStoreConfig.defaults()
                        .withReplicaRouting(Duration.ofSeconds(1), READ_YOUR_WRITES_WAIT, Duration.ofMillis(100)));
        store = fixture.store;
    }

    @AfterAll
    void stopCluster() {
        fixture.close();
    }

    @Test
    void eventualReadsAreSpreadOverBothHealthyReplicas() {
        String topic = uniqueTopic();
        store.append(note(topic, 1));
        fixture.awaitCaughtUpAndHealthy(0);
        fixture.awaitCaughtUpAndHealthy(1);
        double firstBefore = fixture.servedBy("query", replicaName(0));
        double secondBefore = fixture.servedBy("query", replicaName(1));

        for (int i = 0; i < 20; i++) {
            assertThat(store.query(topic(topic), ReadOptions.EVENTUAL).events()).hasSize(1);
        }

        double first = fixture.servedBy("query", replicaName(0)) - firstBefore;
        double second = fixture.servedBy("query", replicaName(1)) - secondBefore;
        assertThat(first + second).as("reads served by a replica").isEqualTo(20);
        assertThat(first).as("reads served by " + replicaName(0)).isGreaterThanOrEqualTo(5);
        assertThat(second).as("reads served by " + replicaName(1)).isGreaterThanOrEqualTo(5);
    }

    @Test
    void aReadWithATokenOneReplicaHasNotReplayedIsServedByTheOtherThatHasWithoutFallingBack() {
        String topic = uniqueTopic();
        store.append(note(topic, 1));
        fixture.awaitCaughtUpAndHealthy(0);
        fixture.awaitCaughtUpAndHealthy(1);

        fixture.pauseReplay(0);
        try {
            AppendResult written = store.append(note(topic, 2));
            fixture.awaitCaughtUp(1);
            RoutingStatistics before = store.routingStatistics();
            double secondBefore = fixture.servedBy("query", replicaName(1));
            for (int i = 0; i < 10; i++) {
                assertThat(store.query(topic(topic), ReadOptions.EVENTUAL.withAtLeast(written.commitToken()))
                                .events())
                        .extracting(StoredEvent::sequenceNumber)
                        .endsWith(written.lastSequenceNumber())
                        .hasSize(2);
            }
            assertThat(store.routingStatistics().fallbacks())
                    .as("reads that waited out the read-your-writes wait and went to the primary")
                    .isEqualTo(before.fallbacks());
            assertThat(fixture.servedBy("query", replicaName(1)) - secondBefore).isEqualTo(10);
        } finally {
            fixture.resumeReplay(0);
        }
    }

    @Test
    void whileOneReplicaLagsBeyondTheBoundEventualReadsGoOnlyToTheOther() {
        String topic = uniqueTopic();
        store.append(note(topic, 1));
        fixture.awaitCaughtUpAndHealthy(0);
        fixture.awaitCaughtUpAndHealthy(1);

        fixture.pauseReplay(0);
        try {
            store.append(note(topic, 2));
            fixture.awaitCaughtUp(1);
            fixture.awaitStatus(0, status -> !status.healthy(), "excluded for its lag", Duration.ofSeconds(15));
            assertThat(store.replicaStatus().get(1).healthy()).isTrue();
            RoutingStatistics before = store.routingStatistics();
            double firstBefore = fixture.servedBy("query", replicaName(0));
            double secondBefore = fixture.servedBy("query", replicaName(1));

            for (int i = 0; i < 20; i++) {
                assertThat(store.query(topic(topic), ReadOptions.EVENTUAL).events())
                        .as("an EVENTUAL read, served by the replica that is not behind")
                        .hasSize(2);
            }

            assertThat(fixture.servedBy("query", replicaName(0))).isEqualTo(firstBefore);
            assertThat(fixture.servedBy("query", replicaName(1)) - secondBefore).isEqualTo(20);
            assertThat(store.routingStatistics().fallbacks()).isEqualTo(before.fallbacks());
        } finally {
            fixture.resumeReplay(0);
        }
        fixture.awaitCaughtUpAndHealthy(0);
    }
}
