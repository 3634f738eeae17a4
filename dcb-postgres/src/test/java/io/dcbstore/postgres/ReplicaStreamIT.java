package io.dcbstore.postgres;

import static io.dcbstore.postgres.ReplicatedStoreFixture.note;
import static io.dcbstore.postgres.ReplicatedStoreFixture.replicaName;
import static io.dcbstore.postgres.ReplicatedStoreFixture.topic;
import static io.dcbstore.postgres.ReplicatedStoreFixture.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.AppendResult;
import io.dcbstore.EventStream;
import io.dcbstore.ReadOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** EVENTUAL streams read from a healthy replica; streams with a commit token read from the primary. */
@Tag("replication")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaStreamIT {
    private ReplicatedStoreFixture fixture;
    private PostgresEventStore store;

    @BeforeAll
    void startCluster() {
        fixture = ReplicatedStoreFixture.start(
                1,
                PostgresStoreConfig.defaults()
                        .withStreamFetchSize(7)
                        .withReplicaRouting(Duration.ofSeconds(60), Duration.ofMillis(200), Duration.ofMillis(100)));
        store = fixture.store;
    }

    @AfterAll
    void stopCluster() {
        fixture.close();
    }

    @Test
    void anEventualStreamIsServedByTheReplicaAndReturnsWhatThePrimaryReturnsOnceTheReplicaHasCaughtUp() {
        String topic = uniqueTopic();
        for (int i = 0; i < 50; i++) {
            store.append(note(topic, i));
        }
        fixture.awaitCaughtUpAndHealthy(0);
        List<Long> firstFifty = readAll(topic, ReadOptions.STRONG);
        assertThat(firstFifty).hasSize(50);

        fixture.pauseReplay(0);
        try {
            for (int i = 50; i < 60; i++) {
                store.append(note(topic, i));
            }
            double servedByReplicaBefore = fixture.servedBy("stream", replicaName(0));
            long replicaReadsBefore = store.routingStatistics().replicaReads();
            assertThat(readAll(topic, ReadOptions.EVENTUAL))
                    .as("served by the paused replica: what it had replayed")
                    .isEqualTo(firstFifty);
            assertThat(fixture.servedBy("stream", replicaName(0))).isEqualTo(servedByReplicaBefore + 1);
            assertThat(store.routingStatistics().replicaReads()).isEqualTo(replicaReadsBefore + 1);
        } finally {
            fixture.resumeReplay(0);
        }

        fixture.awaitCaughtUp(0);
        List<Long> fromThePrimary = readAll(topic, ReadOptions.STRONG);
        assertThat(fromThePrimary).hasSize(60);
        double servedByReplicaBefore = fixture.servedBy("stream", replicaName(0));
        assertThat(readAll(topic, ReadOptions.EVENTUAL)).isEqualTo(fromThePrimary);
        assertThat(fixture.servedBy("stream", replicaName(0))).isEqualTo(servedByReplicaBefore + 1);
    }

    @Test
    void anEventualStreamWithACommitTokenIsServedByThePrimaryAndIncludesTheTokensEvent() {
        String topic = uniqueTopic();
        AppendResult first = store.append(note(topic, 1));
        fixture.awaitCaughtUpAndHealthy(0);

        fixture.pauseReplay(0);
        try {
            AppendResult second = store.append(note(topic, 2));
            RoutingStatistics before = store.routingStatistics();
            double servedByPrimaryBefore = fixture.servedBy("stream", "primary");

            assertThat(readAll(topic, ReadOptions.EVENTUAL.withAtLeast(second.commitToken())))
                    .containsExactly(first.lastSequenceNumber(), second.lastSequenceNumber());
            assertThat(fixture.servedBy("stream", "primary")).isEqualTo(servedByPrimaryBefore + 1);
            RoutingStatistics after = store.routingStatistics();
            assertThat(after.replicaReads()).isEqualTo(before.replicaReads());
            assertThat(after.primaryReads()).isEqualTo(before.primaryReads() + 1);
            assertThat(after.fallbacks())
                    .as("a stream with a token goes to the primary by design, not as a fallback")
                    .isEqualTo(before.fallbacks());
        } finally {
            fixture.resumeReplay(0);
        }
    }

    private List<Long> readAll(String topic, ReadOptions options) {
        List<Long> sequenceNumbers = new ArrayList<>();
        try (EventStream stream = store.stream(topic(topic), options)) {
            stream.forEachRemaining(event -> sequenceNumbers.add(event.sequenceNumber()));
        }
        return sequenceNumbers;
    }
}
