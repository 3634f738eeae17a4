package io.dcbstore.simulator.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;

/**
 * Open-model load: request i is meant to start at a fixed time ({@code start + i / rate}, or on a
 * linear ramp), whatever happened to the requests before it, and its latency is measured from that
 * intended start, so a stall shows up in the percentiles instead of silently lowering the request
 * rate (no coordinated omission).
 * A request that starts more than {@link #LATE_AFTER} late is counted as a late start; one that
 * could not start within the request timeout is shed (counted, never silently dropped). Requests
 * wait in a {@link RequestQueue} for one of a fixed number of workers (the application server's
 * threads); a started request carries its deadline (intended start plus timeout) in its
 * {@link RequestContext}, and its store calls get only the time left.
 */
public final class LoadGenerator {
    /** How late a start may be before it counts as backpressure. */
    public static final Duration LATE_AFTER = Duration.ofMillis(10);
    /**
     * How long the oldest queued request may wait before the queue counts as standing and, under
     * {@link RequestQueue.Policy#ADAPTIVE_LIFO}, the newest is served first: the default p99 bound
     * of --find-max, so that ordinary jitter is still served in order.
     */
    public static final Duration LIFO_AFTER = Duration.ofMillis(50);

    private final Scenario workload;
    private final Measurements measurements;
    private final int workers;
    private final Duration timeout;
    private final RequestQueue.Policy policy;
    private final Clock clock;
    private volatile DoubleConsumer rateObserver = rate -> {};

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
     * @param timeout per-request timeout, from the intended start: requests that cannot start
     *        within it are shed, and the store calls of a request get what is left of it
     * @param policy how workers pick the next request from the queue
     * @param clock the clock
     */
    public LoadGenerator(
            Scenario workload,
            Measurements measurements,
            int workers,
            Duration timeout,
            RequestQueue.Policy policy,
            Clock clock) {
        this.workload = workload;
        this.measurements = measurements;
        this.workers = workers;
        this.timeout = timeout;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * @param observer told the rate each run sends at (metrics)
     * @return this generator
     */
    public LoadGenerator observeRate(DoubleConsumer observer) {
        this.rateObserver = observer;
        return this;
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
        return run(rate, rate, Duration.ZERO, duration, everySecond);
    }

    /**
     * Sends requests at a rate that rises linearly from {@code fromRate} to {@code toRate} over
     * {@code ramp}, then stays at {@code toRate} until {@code duration} has passed; then waits for
     * the ones in flight.
     *
     * @param fromRate requests per second at the start
     * @param toRate requests per second at the end of the ramp and after it
     * @param ramp how long the rate rises (zero: none)
     * @param duration how long to send in all
     * @param everySecond called about once a second with the number of the second (from 1)
     * @return how many requests were scheduled
     */
    public long run(double fromRate, double toRate, Duration ramp, Duration duration, Consumer<Integer> everySecond) {
        if (!(fromRate > 0) || !(toRate > 0) || ramp.isNegative() || ramp.compareTo(duration) > 0) {
            throw new IllegalArgumentException("rates must be positive and the ramp within the duration");
        }
        rateObserver.accept(toRate);
        Schedule schedule = new Schedule(fromRate, toRate, ramp.toNanos() / 1e9);
        long timeoutNanos = timeout.toNanos();
        RequestQueue queue = new RequestQueue(policy, timeoutNanos, LIFO_AFTER.toNanos(), clock);
        List<Thread> threads = startWorkers(queue, timeoutNanos);
        long start = clock.nanoTime();
        long end = start + duration.toNanos();
        // The live line and its measurements run on their own thread: on the pacing thread, their
        // few milliseconds a second would make the requests due meanwhile start late.
        Reporter reporter = new Reporter(start, (int) Math.ceil(duration.toMillis() / 1000.0), everySecond);
        Thread reporterThread = new Thread(reporter, "simulator-reporter");
        reporterThread.setDaemon(true);
        reporterThread.start();
        long scheduled = 0;
        try {
            for (long intended = start; intended < end; intended = start + schedule.offsetNanos(scheduled)) {
                clock.sleepUntil(intended);
                measurements.recordPacingDelay(clock.nanoTime() - intended);
                queue.offer(workload.next(intended));
                scheduled++;
            }
        } catch (RuntimeException | Error e) {
            reporter.stop(reporterThread);
            throw e;
        } finally {
            queue.close();
        }
        awaitQuietly(threads, timeout.multipliedBy(3).plusSeconds(5));
        reporter.finish(reporterThread);
        return scheduled;
    }

    /**
     * Calls {@code everySecond} at each second after the start, on its own thread; {@link #finish}
     * stops it, reports the seconds it had not reached, and rethrows what the callback threw.
     */
    private final class Reporter implements Runnable {
        private final long start;
        private final int seconds;
        private final Consumer<Integer> everySecond;
        private volatile boolean stopped;
        private int reported;
        private RuntimeException failure;

        Reporter(long start, int seconds, Consumer<Integer> everySecond) {
            this.start = start;
            this.seconds = seconds;
            this.everySecond = everySecond;
        }

        @Override
        public void run() {
            for (int second = 1; second <= seconds; second++) {
                long boundary = start + second * 1_000_000_000L;
                long remaining;
                while (!stopped && (remaining = boundary - clock.nanoTime()) > 0) {
                    LockSupport.parkNanos(remaining);
                }
                synchronized (this) {
                    if (stopped) {
                        return;
                    }
                    try {
                        everySecond.accept(second);
                    } catch (RuntimeException e) {
                        failure = e;
                        return;
                    }
                    reported = second;
                }
            }
        }

        void stop(Thread thread) {
            stopped = true;
            LockSupport.unpark(thread);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void finish(Thread thread) {
            stop(thread);
            synchronized (this) {
                if (failure != null) {
                    throw failure;
                }
                while (reported < seconds) {
                    everySecond.accept(++reported);
                }
            }
        }
    }

    /** When request i is due: the inverse of the number of requests sent by time t under a linear ramp. */
    private static final class Schedule {
        private final double fromRate;
        private final double toRate;
        private final double rampSeconds;
        private final double slope;
        private final double sentDuringRamp;

        Schedule(double fromRate, double toRate, double rampSeconds) {
            this.fromRate = fromRate;
            this.toRate = toRate;
            this.rampSeconds = rampSeconds;
            this.slope = rampSeconds > 0 ? (toRate - fromRate) / rampSeconds : 0;
            this.sentDuringRamp = fromRate * rampSeconds + slope * rampSeconds * rampSeconds / 2;
        }

        long offsetNanos(long i) {
            double seconds;
            if (i >= sentDuringRamp) {
                seconds = rampSeconds + (i - sentDuringRamp) / toRate;
            } else if (slope == 0) {
                seconds = i / fromRate;
            } else {
                seconds = (-fromRate + Math.sqrt(fromRate * fromRate + 2 * slope * i)) / slope;
            }
            return (long) (seconds * 1e9);
        }
    }

    private List<Thread> startWorkers(RequestQueue queue, long timeoutNanos) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i <= workers; i++) {
            Thread thread = new Thread(() -> work(queue, timeoutNanos), "simulator-worker-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        return threads;
    }

    private void work(RequestQueue queue, long timeoutNanos) {
        try {
            while (true) {
                RequestQueue.Taken taken = queue.take();
                for (Workload.Request expired : taken.shed()) {
                    long queued = clock.nanoTime() - expired.intendedNanos();
                    measurements.record(new Measurements.Sample(
                            expired.operation(), Outcome.SHED, queued, queued, 0, 0, 0, 0, 0, 0, 0));
                }
                if (taken.request() == null) {
                    if (taken.shed().isEmpty()) {
                        return;
                    }
                    continue;
                }
                runOne(taken.request(), timeoutNanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runOne(Workload.Request request, long timeoutNanos) {
        long started = clock.nanoTime();
        long queued = started - request.intendedNanos();
        if (queued > LATE_AFTER.toNanos()) {
            measurements.recordLateStart();
        }
        RequestContext context = RequestContext.begin(request.intendedNanos() + timeoutNanos, timeoutNanos);
        Workload.Result result;
        try {
            result = workload.execute(request);
        } catch (RuntimeException e) {
            result = new Workload.Result(Outcome.ERROR, 0);
        }
        long latency = clock.nanoTime() - request.intendedNanos();
        Outcome outcome =
                latency > timeoutNanos && result.outcome() != Outcome.ERROR ? Outcome.TIMEOUT : result.outcome();
        measurements.record(new Measurements.Sample(
                request.operation(),
                outcome,
                latency,
                queued,
                context.poolNanos,
                context.storeNanos,
                context.storeCalls,
                result.retries(),
                context.queries,
                context.appends,
                context.snapshotCalls));
    }

    private static void awaitQuietly(List<Thread> threads, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            for (Thread thread : threads) {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.forEach(Thread::interrupt);
    }
}
