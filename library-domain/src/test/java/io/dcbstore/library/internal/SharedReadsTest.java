package io.dcbstore.library.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.ReadOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which queries share a read in flight: deterministic interleavings, each query on its own thread;
 * a read blocks on a latch until the test has seen the other queries wait for it.
 */
class SharedReadsTest {
    private static final long LONG_AGO = Duration.ofSeconds(1).toNanos();

    private final SharedReads<String> reads = new SharedReads<>();
    /** This test's own threads, named so that threads of other tests in the same JVM are never counted. */
    private final String threadName = "shared-reads-test-" + System.identityHashCode(this) + "-";

    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> new Thread(runnable, threadName));
    private final AtomicInteger readsRun = new AtomicInteger();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aQueryUnderBoundedStalenessSharesTheReadInFlightWhenItStartedWithinTheBound() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<String> first = query(ReadOptions.EVENTUAL, 0, blockedRead("first", release));
        awaitReadsRun(1);
        Future<String> second = query(ReadOptions.EVENTUAL, -LONG_AGO, countedRead("second"));
        awaitWaiters(1);

        release.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(readsRun).hasValue(1);
        assertThat(reads.sharedCount()).isEqualTo(1);
    }

    @Test
    void aQueryThatArrivedAfterTheReadStartedWaitsForItAndThenReadsItself() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<String> first = query(ReadOptions.EVENTUAL, 0, blockedRead("first", release));
        awaitReadsRun(1);
        Future<String> second = query(ReadOptions.EVENTUAL, +LONG_AGO, countedRead("second"));
        awaitWaiters(1);
        assertThat(readsRun)
                .as("the second query waits while the first read is in flight")
                .hasValue(1);

        release.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("second");
        assertThat(readsRun).hasValue(2);
        assertThat(reads.sharedCount()).isZero();
    }

    @Test
    void queriesThatWaitedForAnOlderReadShareTheOneReadThatOneOfThemStartsNext() throws Exception {
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Future<String> first = query(ReadOptions.EVENTUAL, 0, blockedRead("first", releaseFirst));
        awaitReadsRun(1);
        long arrived = System.nanoTime();
        // Both arrived while the first read was in flight: the next read, started after it lands, serves both.
        Supplier<String> next = () -> {
            readsRun.incrementAndGet();
            // The other query waits for this read before it returns. Counted on this read's flight: a
            // thread still parked on the first read (not yet woken) must not count, or this read
            // lands before the other query looks again, and that query then reads on its own.
            awaitWaitersOnTheReadInFlight(1);
            return "next";
        };
        Future<String> second = threads.submit(() -> reads.read("books", ReadOptions.EVENTUAL, arrived, next));
        Future<String> third = threads.submit(() -> reads.read("books", ReadOptions.EVENTUAL, arrived, next));
        awaitWaiters(2);

        releaseFirst.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("next");
        assertThat(third.get(30, TimeUnit.SECONDS)).isEqualTo("next");
        assertThat(readsRun).as("three queries, two reads").hasValue(2);
        assertThat(reads.sharedCount()).isEqualTo(1);
    }

    @Test
    void anEventualQuerySharesAStrongReadButAStrongQueryDoesNotShareAnEventualOne() throws Exception {
        CountDownLatch releaseStrong = new CountDownLatch(1);
        Future<String> strong = query(ReadOptions.STRONG, 0, blockedRead("strong", releaseStrong));
        awaitReadsRun(1);
        Future<String> eventual = query(ReadOptions.EVENTUAL, -LONG_AGO, countedRead("eventual"));
        awaitWaiters(1);
        releaseStrong.countDown();
        assertThat(eventual.get(30, TimeUnit.SECONDS)).isEqualTo("strong");
        assertThat(strong.get(30, TimeUnit.SECONDS)).isEqualTo("strong");

        CountDownLatch releaseEventual = new CountDownLatch(1);
        Future<String> eventualRead = query(ReadOptions.EVENTUAL, 0, blockedRead("eventual read", releaseEventual));
        awaitReadsRun(2);
        Future<String> strongQuery = query(ReadOptions.STRONG, -LONG_AGO, countedRead("strong read"));
        awaitWaiters(1);
        releaseEventual.countDown();
        assertThat(eventualRead.get(30, TimeUnit.SECONDS)).isEqualTo("eventual read");
        assertThat(strongQuery.get(30, TimeUnit.SECONDS)).isEqualTo("strong read");
        assertThat(readsRun).hasValue(3);
    }

    @Test
    void whenTheSharedReadFailsItsQueryGetsTheFailureAndTheWaitingQueryReadsItself() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<String> failing = query(ReadOptions.EVENTUAL, 0, () -> {
            readsRun.incrementAndGet();
            awaitQuietly(release);
            throw new IllegalStateException("the replica went away");
        });
        awaitReadsRun(1);
        Future<String> waiting = query(ReadOptions.EVENTUAL, -LONG_AGO, countedRead("own"));
        awaitWaiters(1);

        release.countDown();

        assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("the replica went away");
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo("own");
        assertThat(reads.sharedCount()).isZero();
    }

    @Test
    void onlyPlainReadsAreShared() {
        assertThat(SharedReads.shareable(ReadOptions.EVENTUAL)).isTrue();
        assertThat(SharedReads.shareable(ReadOptions.STRONG)).isTrue();
        assertThat(SharedReads.shareable(ReadOptions.EVENTUAL.withTimeout(Duration.ofSeconds(1))))
                .isFalse();
        assertThat(SharedReads.shareable(ReadOptions.EVENTUAL.withCancellation(io.dcbstore.Cancellation.create())))
                .isFalse();
    }

    /** Starts a query whose oldest usable read start is its arrival plus {@code offsetNanos}. */
    private Future<String> query(ReadOptions options, long offsetNanos, Supplier<String> read) {
        long oldestUsableStart = System.nanoTime() + offsetNanos;
        return threads.submit(() -> reads.read("books", options, oldestUsableStart, read));
    }

    private Supplier<String> blockedRead(String outcome, CountDownLatch release) {
        return () -> {
            readsRun.incrementAndGet();
            awaitQuietly(release);
            return outcome;
        };
    }

    private Supplier<String> countedRead(String outcome) {
        return () -> {
            readsRun.incrementAndGet();
            return outcome;
        };
    }

    private void awaitReadsRun(int count) {
        awaitAtLeast("reads started", readsRun::get, count);
    }

    /** Waits until this many of this test's query threads are parked on a read in flight (not in a read of their own). */
    private void awaitWaiters(int count) {
        awaitAtLeast("queries waiting for a read", this::waitingOnAFlight, count);
    }

    private void awaitWaitersOnTheReadInFlight(int count) {
        awaitAtLeast("queries waiting for the read in flight", () -> reads.waitersOnFlight("books"), count);
    }

    /** Spins until a figure reaches the count, for up to 30 s. */
    private static void awaitAtLeast(String what, LongSupplier n, long count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (n.getAsLong() < count) {
            assertThat(System.nanoTime() - deadline).as(what).isNegative();
            Thread.onSpinWait();
        }
    }

    private long waitingOnAFlight() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey().getName().equals(threadName))
                .filter(thread -> thread.getKey().getState() == Thread.State.WAITING)
                .filter(thread -> java.util.Arrays.stream(thread.getValue())
                        .anyMatch(frame -> frame.getClassName().endsWith("SharedReads$Flight")
                                && frame.getMethodName().equals("await")))
                .count();
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
