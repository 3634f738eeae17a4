package io.dcbstore.postgres;

import static io.dcbstore.postgres.ReplicatedStoreFixture.note;
import static io.dcbstore.postgres.ReplicatedStoreFixture.replicaName;
import static io.dcbstore.postgres.ReplicatedStoreFixture.topic;
import static io.dcbstore.postgres.ReplicatedStoreFixture.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.AppendResult;
import io.dcbstore.CommitToken;
import io.dcbstore.EventStream;
import io.dcbstore.OperationTimeoutException;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.StoredEvent;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Reads with a commit token the replica has not replayed: they wait {@code readYourWritesWait}
 * for it, then the primary serves them; a token beyond the log times out with the typed error.
 * The lag bound is far away here, so a paused replica stays healthy and only the token decides.
 */
@Tag("replication")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadYourWritesFallbackIT {
    private static final Duration READ_YOUR_WRITES_WAIT = Duration.ofSeconds(1);
    /** Generous: this is not a speed test, only "waited about the configured time, not the read's timeout". */
    private static final Duration SLACK = Duration.ofSeconds(5);
    /**
     * The last round trip of a timed-out read gets what was left of its timeout as the server's
     * {@code statement_timeout}, in whole milliseconds: the read may end up to that rounding early
     * (a CI run measured 1.99992 s for 2 s).
     */
    private static final Duration MILLISECOND_ROUNDING = Duration.ofMillis(2);

    private ReplicatedStoreFixture fixture;
    private PostgresEventStore store;

    @BeforeAll
    void startCluster() {
        fixture = ReplicatedStoreFixture.start(
                1,
                PostgresStoreConfig.defaults()
                        .withDefaultTimeout(Duration.ofSeconds(20))
                        .withReplicaRouting(Duration.ofSeconds(60), READ_YOUR_WRITES_WAIT, Duration.ofMillis(100)));
        store = fixture.store;
    }

    @AfterAll
    void stopCluster() {
        fixture.close();
    }

    @Test
    void aReadWithATokenThePausedReplicaHasNotReplayedWaitsTheConfiguredTimeThenThePrimaryServesIt() {
        String topic = uniqueTopic();
        AppendResult first = store.append(note(topic, 1));
        fixture.awaitCaughtUpAndHealthy(0);

        fixture.pauseReplay(0);
        try {
            AppendResult second = store.append(note(topic, 2));
            long replicaReadsBefore = store.routingStatistics().replicaReads();
            assertThat(store.query(topic(topic), ReadOptions.EVENTUAL).events())
                    .as("premise: without a token the healthy, paused replica serves the read, stale (allowed)")
                    .extracting(StoredEvent::sequenceNumber)
                    .containsExactly(first.lastSequenceNumber());
            assertThat(store.routingStatistics().replicaReads()).isEqualTo(replicaReadsBefore + 1);

            RoutingStatistics before = store.routingStatistics();
            double servedByPrimaryBefore = fixture.servedBy("query", "primary");
            long started = System.nanoTime();
            QueryResult read = store.query(topic(topic), ReadOptions.EVENTUAL.withAtLeast(second.commitToken()));
            Duration waited = Duration.ofNanos(System.nanoTime() - started);

            assertThat(read.events())
                    .extracting(StoredEvent::sequenceNumber)
                    .containsExactly(first.lastSequenceNumber(), second.lastSequenceNumber());
            RoutingStatistics after = store.routingStatistics();
            assertThat(after.fallbacksTokenNotReplayed() - before.fallbacksTokenNotReplayed())
                    .isEqualTo(1);
            assertThat(after.primaryReads() - before.primaryReads()).isEqualTo(1);
            assertThat(after.replicaReads()).isEqualTo(before.replicaReads());
            assertThat(fixture.servedBy("query", "primary")).isEqualTo(servedByPrimaryBefore + 1);
            assertThat(waited)
                    .as("waited for the replica, then read the primary")
                    .isGreaterThanOrEqualTo(READ_YOUR_WRITES_WAIT)
                    .isLessThan(READ_YOUR_WRITES_WAIT.plus(SLACK));
            assertThat(store.replicaStatus().get(0).healthy())
                    .as("the token, not the replica's health, sent it to the primary")
                    .isTrue();
        } finally {
            fixture.resumeReplay(0);
        }
    }

    @Test
    void aReadWithATokenTheReplicaHasReplayedIsServedByTheReplicaWithoutAFallback() {
        String topic = uniqueTopic();
        AppendResult written = store.append(note(topic, 1));
        fixture.awaitCaughtUpAndHealthy(0);
        RoutingStatistics before = store.routingStatistics();
        double servedByReplicaBefore = fixture.servedBy("query", replicaName(0));

        assertThat(store.query(topic(topic), ReadOptions.EVENTUAL.withAtLeast(written.commitToken()))
                        .events())
                .extracting(StoredEvent::sequenceNumber)
                .containsExactly(written.lastSequenceNumber());
        assertThat(store.routingStatistics().fallbacks()).isEqualTo(before.fallbacks());
        assertThat(fixture.servedBy("query", replicaName(0))).isEqualTo(servedByReplicaBefore + 1);
    }

    @Test
    void anEventualReadWithATokenBeyondTheLogTimesOutWithOperationTimeoutExceptionAfterItsTimeout() {
        CommitToken future = beyondTheLog();
        Duration timeout = Duration.ofSeconds(3);
        long fallbacksBefore = store.routingStatistics().fallbacksTokenNotReplayed();
        long started = System.nanoTime();

        assertThatThrownBy(() -> store.query(
                        topic(uniqueTopic()),
                        ReadOptions.EVENTUAL.withAtLeast(future).withTimeout(timeout)))
                .isInstanceOfSatisfying(OperationTimeoutException.class, e -> {
                    assertThat(e.operation()).isEqualTo("query");
                    assertThat(e.timeout()).isEqualTo(timeout);
                    assertThat(e.isRetryable()).isTrue();
                });
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        assertThat(waited)
                .as("the whole timeout (the replica's wait, then the primary's), not the default of 20 s")
                .isGreaterThanOrEqualTo(timeout.minus(MILLISECOND_ROUNDING))
                .isLessThan(timeout.plus(SLACK));
        assertThat(store.routingStatistics().fallbacksTokenNotReplayed()).isEqualTo(fallbacksBefore + 1);
    }

    @Test
    void aStrongReadWithATokenBeyondTheLogTimesOutWithOperationTimeoutException() {
        ReadOptions options = ReadOptions.STRONG.withAtLeast(beyondTheLog()).withTimeout(Duration.ofSeconds(2));
        assertTimesOutAfter(options.timeout(), () -> store.query(topic(uniqueTopic()), options));
    }

    @Test
    void anEventualStreamWithATokenBeyondTheLogTimesOutWithOperationTimeoutException() {
        ReadOptions options = ReadOptions.EVENTUAL.withAtLeast(beyondTheLog()).withTimeout(Duration.ofSeconds(2));
        assertTimesOutAfter(options.timeout(), () -> {
            try (EventStream stream = store.stream(topic(uniqueTopic()), options)) {
                stream.hasNext();
            }
        });
    }

    @Test
    void everyReadWithATokenBeyondTheLogThatTimesOutReportsTheReadsOwnTimeout() {
        // The wait polls the primary; a deadline that passes during a poll's round trip must not
        // report what was left of the timeout when that round trip started.
        CommitToken future = beyondTheLog();
        Duration timeout = Duration.ofMillis(200);
        for (int read = 0; read < 20; read++) {
            assertThatThrownBy(() -> store.query(
                            topic(uniqueTopic()),
                            ReadOptions.STRONG.withAtLeast(future).withTimeout(timeout)))
                    .as("read " + read)
                    .isInstanceOfSatisfying(
                            OperationTimeoutException.class,
                            e -> assertThat(e.timeout()).isEqualTo(timeout));
        }
    }

    private static void assertTimesOutAfter(Duration timeout, Runnable read) {
        long started = System.nanoTime();
        assertThatThrownBy(read::run)
                .isInstanceOfSatisfying(
                        OperationTimeoutException.class,
                        e -> assertThat(e.timeout()).isEqualTo(timeout));
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isGreaterThanOrEqualTo(timeout.minus(MILLISECOND_ROUNDING))
                .isLessThan(timeout.plus(SLACK));
    }

    /** @return a token a million events past the newest: no store has written it (yet) */
    private CommitToken beyondTheLog() {
        CommitToken newest = store.append(note(uniqueTopic(), 0)).commitToken();
        return new CommitToken(newest.sequenceNumber() + 1_000_000, newest.walPosition());
    }
}
