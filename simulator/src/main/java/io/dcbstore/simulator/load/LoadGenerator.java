package io.dcbstore.simulator.load;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Open-model load: request i is meant to start at {@code start + i / rate}, whatever happened to
 * the requests before it, and its latency is measured from that intended start, so a stall shows
 * up in the percentiles instead of silently lowering the request rate (no coordinated omission).
 * A request that starts more than {@link #LATE_AFTER} late is counted as a late start; one that
 * could not start within the request timeout is shed (counted, never silently dropped).
 */
public final class LoadGenerator {
    /** How late a start may be before it counts as backpressure. */
    public static final Duration LATE_AFTER = Duration.ofMillis(10);

    private final Scenario workload;
    private final Measurements measurements;
    private final int workers;
    private final Duration timeout;
    private final Clock clock;

    /** A source of monotonic nanoseconds and a way to wait; replaceable in tests. */
    public interface Clock {
        /** @return monotonic nanoseconds */
        long nanoTime();

        /** @param deadlineNanos waits until this time */
        void sleepUntil(long deadlineNanos);

        /** The system clock. */
        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepUntil(long deadlineNanos) {
                long remaining;
                while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(remaining);
                }
            }
        };
    }

    /**
     * @param workload decides and runs requests (the {@link Workload}, or a test's)
     * @param measurements where results go
     * @param workers worker threads
     * @param timeout per-request timeout
     * @param clock the clock
     */
    public LoadGenerator(Scenario workload, Measurements measurements, int workers, Duration timeout, Clock clock) {
        this.workload = workload;
        this.measurements = measurements;
        this.workers = workers;
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * Sends requests at a fixed rate for a duration, then waits for the ones in flight.
     *
     * @param rate requests per second
     * @param duration how long to send
     * @param everySecond called about once a second with the number of the second (from 1)
     * @return how many requests were scheduled
     */
    public long run(double rate, Duration duration, Consumer<Integer> everySecond) {
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "simulator-worker-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        long periodNanos = (long) (1e9 / rate);
        long timeoutNanos = timeout.toNanos();
        long start = clock.nanoTime();
        long end = start + duration.toNanos();
        long nextSecond = start + 1_000_000_000L;
        int second = 0;
        long scheduled = 0;
        try {
            for (long intended = start; intended < end; intended = start + scheduled * periodNanos) {
                clock.sleepUntil(intended);
                Workload.Request request = workload.next(intended);
                scheduled++;
                executor.execute(() -> runOne(request, timeoutNanos));
                while (clock.nanoTime() >= nextSecond) {
                    everySecond.accept(++second);
                    nextSecond += 1_000_000_000L;
                }
            }
        } finally {
            executor.shutdown();
        }
        awaitQuietly(executor, timeout.multipliedBy(3).plusSeconds(5));
        while (second < Math.ceil(duration.toMillis() / 1000.0)) {
            everySecond.accept(++second);
        }
        return scheduled;
    }

    private void runOne(Workload.Request request, long timeoutNanos) {
        long started = clock.nanoTime();
        long queued = started - request.intendedNanos();
        if (queued > LATE_AFTER.toNanos()) {
            measurements.recordLateStart();
        }
        if (queued > timeoutNanos) {
            measurements.record(new Measurements.Sample(request.operation(), Outcome.SHED, queued, queued, 0, 0, 0, 0, 0, 0, 0));
            return;
        }
        RequestContext context = RequestContext.begin();
        Workload.Result result;
        try {
            result = workload.execute(request);
        } catch (RuntimeException e) {
            result = new Workload.Result(Outcome.ERROR, 0);
        }
        long latency = clock.nanoTime() - request.intendedNanos();
        Outcome outcome = latency > timeoutNanos && result.outcome() != Outcome.ERROR ? Outcome.TIMEOUT : result.outcome();
        measurements.record(new Measurements.Sample(request.operation(), outcome, latency, queued, context.poolNanos,
                context.storeNanos, context.storeCalls, result.retries(), context.queries, context.appends, context.snapshotCalls));
    }

    private static void awaitQuietly(ThreadPoolExecutor executor, Duration wait) {
        try {
            if (!executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
