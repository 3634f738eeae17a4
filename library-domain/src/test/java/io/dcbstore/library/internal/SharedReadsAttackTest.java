package io.dcbstore.library.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.ReadOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Review: interleavings that break shared reads (each test fails on main). */
class SharedReadsAttackTest {
    private static final long LONG_AGO = Duration.ofSeconds(1).toNanos();

    private final SharedReads<String> reads = new SharedReads<>();
    /** Daemon threads: a query stuck in Flight.await ignores interrupts and would keep the JVM alive. */
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "attack-query");
        thread.setDaemon(true);
        return thread;
    });

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /**
     * A read that throws a checked exception (a Kotlin projection, Lombok's @SneakyThrows, a
     * rethrown Throwable) never completes the flight: the flight is removed but every query that
     * waits for it waits forever, and cannot even be interrupted.
     */
    @Test
    void aReadThatThrowsACheckedExceptionReleasesItsWaiters() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        Future<String> failing = query(ReadOptions.EVENTUAL, 0, () -> {
            started.incrementAndGet();
            awaitQuietly(release);
            return sneakyThrow(new IOException("checked, from a projection"));
        });
        awaitTrue(() -> started.get() == 1);
        Future<String> waiting = query(ReadOptions.EVENTUAL, -LONG_AGO, () -> "own");
        awaitWaiting(1);

        release.countDown();

        assertThat(catching(failing)).isInstanceOf(java.util.concurrent.ExecutionException.class);
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("own"); // TimeoutException: it never returns
    }

    /**
     * One eventual client querying back to back keeps winning the race for the next flight (its
     * thread is running when the flight is removed; the strong query has to be unparked first), so
     * a STRONG query (a client's read-your-writes read, LibraryFollower.catchUpLibraryWide) waits
     * for as long as the eventual load lasts, instead of for at most the read in flight and one more.
     */
    @Test
    void aStrongQueryIsNotStarvedByBackToBackEventualQueries() throws Exception {
        AtomicBoolean load = new AtomicBoolean(true);
        AtomicInteger eventualReads = new AtomicInteger();
        Supplier<String> eventualRead = () -> {
            eventualReads.incrementAndGet();
            sleep(5);
            return "eventual";
        };
        threads.submit(() -> {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (load.get() && System.nanoTime() - until < 0) {
                reads.read("books", ReadOptions.EVENTUAL, System.nanoTime(), eventualRead);
            }
            return null;
        });
        awaitTrue(() -> eventualReads.get() >= 2);

        long arrived = System.nanoTime();
        int before = eventualReads.get();
        Future<String> strong = threads.submit(() -> reads.read("books", ReadOptions.STRONG, arrived, () -> {
            sleep(5);
            return "strong";
        }));
        try {
            String outcome = strong.get(10, TimeUnit.SECONDS);
            long waitedMillis = (System.nanoTime() - arrived) / 1_000_000;
            int flightsWaited = eventualReads.get() - before;
            assertThat(outcome).isEqualTo("strong");
            assertThat(flightsWaited)
                    .as("eventual flights the strong query waited through (%d ms)", waitedMillis)
                    .isLessThanOrEqualTo(3);
        } finally {
            load.set(false);
        }
    }

    /**
     * A read that queries the same projection again on the same thread (a projection or a result
     * function that consults the projector) waits for its own flight: a silent, uninterruptible
     * deadlock where without sharing there was none.
     */
    @Test
    void aReadThatQueriesTheSameProjectionAgainDoesNotDeadlock() throws Exception {
        Future<String> outer = query(ReadOptions.EVENTUAL, 0, () -> {
            String inner = reads.read("books", ReadOptions.EVENTUAL, System.nanoTime(), () -> "inner");
            return "outer+" + inner;
        });
        assertThat(outer.get(5, TimeUnit.SECONDS)).isEqualTo("outer+inner");
    }

    /** A query waiting for another query's read does not honour interrupts (LibraryFollower.close interrupts). */
    @Test
    void anInterruptedWaiterStopsWaiting() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        Future<String> slow = query(ReadOptions.EVENTUAL, 0, () -> {
            started.incrementAndGet();
            awaitQuietly(release, 30);
            return "slow";
        });
        awaitTrue(() -> started.get() == 1);
        Future<String> waiting = query(ReadOptions.EVENTUAL, -LONG_AGO, () -> "own");
        awaitWaiting(1);

        waiting.cancel(true); // interrupts the waiting thread
        try {
            awaitTrue(() -> waitingOnAFlight() == 0); // fails after its deadline if the thread stays parked
        } finally {
            release.countDown();
            slow.get(5, TimeUnit.SECONDS);
        }
    }

    private Future<String> query(ReadOptions options, long offsetNanos, Supplier<String> read) {
        long oldestUsableStart = System.nanoTime() + offsetNanos;
        return threads.submit(() -> reads.read("books", options, oldestUsableStart, read));
    }

    private static Throwable catching(Future<?> future) throws InterruptedException, TimeoutException {
        try {
            future.get(5, TimeUnit.SECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T, E extends Throwable> T sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).isNegative();
            try {
                Thread.sleep(1); // stack dumps are heavy: leave the cores to the threads under test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static void awaitWaiting(int count) {
        awaitTrue(() -> waitingOnAFlight() >= count);
    }

    private static long waitingOnAFlight() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey().getName().equals("attack-query")) // this test's threads only
                .filter(thread -> thread.getKey().getState() == Thread.State.WAITING)
                .filter(thread -> java.util.Arrays.stream(thread.getValue())
                        .anyMatch(frame -> frame.getClassName().endsWith("SharedReads$Flight")
                                && frame.getMethodName().equals("await")))
                .count();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        awaitQuietly(latch, 5);
    }

    private static void awaitQuietly(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
