package io.dcbstore.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The load generator on a {@link SimulatedClock}: time moves only when the pacing thread waits for
 * the next request's start and when a request stalls, so every figure below is exact, whatever the
 * machine is doing.
 */
class LoadGeneratorTest {
    private static final long MS = 1_000_000;
    private static final long START = 1_000 * MS;

    /**
     * Simulated monotonic time. It stands still while requests are in flight: a request takes no
     * time unless it {@link #advance stalls}. When the pacing thread sleeps until a later start, it
     * first waits for every request sent so far to be finished (run or shed), then jumps to that
     * start; a start already due is not waited for, so requests pile up in the queue as they do
     * behind a real stall. While time stands still the order the worker takes them in cannot
     * change any latency, so the figures do not depend on thread scheduling.
     */
    private static final class SimulatedClock implements LoadGenerator.Clock {
        /** How long (real time) the pacing thread waits for a request before the test fails. */
        private static final long GIVE_UP_MILLIS = 10_000;

        private long now = START;
        private long sent;
        private long finished;

        @Override
        public synchronized long nanoTime() {
            return now;
        }

        @Override
        public synchronized void sleepUntil(long deadlineNanos) {
            if (deadlineNanos <= now) {
                return;
            }
            long giveUp = System.currentTimeMillis() + GIVE_UP_MILLIS;
            while (finished < sent) {
                long left = giveUp - System.currentTimeMillis();
                if (left <= 0) {
                    throw new AssertionError(finished + " of " + sent + " requests finished; the rest never did");
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
            now = Math.max(now, deadlineNanos);
        }

        synchronized void advance(long nanos) {
            now += nanos;
        }

        synchronized void sent() {
            sent++;
        }

        synchronized void finished() {
            finished++;
            notifyAll();
        }
    }

    /** A scenario whose requests take no time, except the one that stalls. */
    private static final class StallingScenario implements Scenario {
        private final SimulatedClock clock;
        private final AtomicInteger executed = new AtomicInteger();
        private final List<Long> intendedMillis = new ArrayList<>();
        /** When each request that ran started (ms from the start), by when it was due. */
        private final Map<Long, Long> startedMillis = new ConcurrentHashMap<>();

        private final int stallAt;
        private final long stallMillis;

        /**
         * @param clock the clock the stall moves
         * @param stallAt which request (from 1, in the order executed) stalls; -1 for none
         * @param stallMillis how long it stalls
         */
        StallingScenario(SimulatedClock clock, int stallAt, long stallMillis) {
            this.clock = clock;
            this.stallAt = stallAt;
            this.stallMillis = stallMillis;
        }

        @Override
        public Workload.Request next(long intendedNanos) {
            clock.sent();
            intendedMillis.add(millis(intendedNanos - START));
            return new Workload.Request(RequestKind.BOOKS_LENT_OUT, null, null, intendedNanos);
        }

        @Override
        public Workload.Result execute(Workload.Request request) {
            startedMillis.put(millis(request.intendedNanos() - START), millis(clock.nanoTime() - START));
            if (executed.incrementAndGet() == stallAt) {
                clock.advance(stallMillis * MS);
            }
            return new Workload.Result(Outcome.OK, 0);
        }
    }

    /**
     * @param nanos nanoseconds; the schedule computes starts in floating point, so they may be a
     *     nanosecond off the whole millisecond
     * @return the nearest whole milliseconds
     */
    private static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }

    /** A finished request as the measurements got it: how it ended, and its latency in ms. */
    private record Finished(Outcome outcome, long latencyMs) {}

    private final SimulatedClock clock = new SimulatedClock();
    private final Measurements measurements = new Measurements();
    private final List<Finished> finished = new ArrayList<>();

    LoadGeneratorTest() {
        measurements.observe(sample -> {
            synchronized (finished) {
                finished.add(new Finished(sample.outcome(), millis(sample.latencyNanos())));
            }
            clock.finished();
        });
    }

    private LoadGenerator generator(Scenario scenario, Duration timeout, RequestQueue.Policy policy) {
        return new LoadGenerator(scenario, measurements, 1, timeout, policy, clock);
    }

    private long run(Scenario scenario, double rate, Duration duration, Duration timeout, RequestQueue.Policy policy) {
        long scheduled = generator(scenario, timeout, policy).run(rate, duration, second -> {});
        measurements.closeInterval();
        return scheduled;
    }

    private List<Finished> finished() {
        synchronized (finished) {
            return List.copyOf(finished);
        }
    }

    /**
     * At 200 req/s a request is due every 5 ms; the 20th (due at 95 ms) stalls for 502 ms, until
     * 597 ms. The 100 requests due during the stall (100 ms to 595 ms) each start when it ends, so
     * their latency, measured from their intended start, is 597 ms minus that start; the 98 due
     * before 587 ms start more than 10 ms late.
     */
    private void assertTheStallIsInTheLatencyOfEveryRequestDueDuringIt(StallingScenario scenario, long scheduled) {
        assertThat(scheduled).isEqualTo(400);
        assertThat(scenario.intendedMillis).hasSize(400);
        List<Finished> expected = new ArrayList<>();
        for (long due : scenario.intendedMillis) {
            boolean duringTheStall = due >= 100 && due < 597;
            expected.add(new Finished(Outcome.OK, due == 95 ? 502 : duringTheStall ? 597 - due : 0));
            assertThat(scenario.startedMillis.get(due))
                    .as("start of the request due at %d ms", due)
                    .isEqualTo(duringTheStall ? 597 : due);
        }
        assertThat(finished()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(measurements.lateStarts()).isEqualTo(98);
        assertThat(measurements.overall().latency().getMaxValue() / 1000.0).isBetween(502.0, 503.0);
    }

    @Test
    void aStallShowsUpInTheLatencyOfEveryRequestScheduledDuringIt() {
        StallingScenario scenario = new StallingScenario(clock, 20, 502);

        long scheduled = run(scenario, 200, Duration.ofSeconds(2), Duration.ofSeconds(5), RequestQueue.Policy.FIFO);

        assertTheStallIsInTheLatencyOfEveryRequestDueDuringIt(scenario, scheduled);
    }

    @Test
    void aStallShowsUpInTheLatenciesUnderAdaptiveLifoToo() {
        StallingScenario scenario = new StallingScenario(clock, 20, 502);

        long scheduled =
                run(scenario, 200, Duration.ofSeconds(2), Duration.ofSeconds(5), RequestQueue.Policy.ADAPTIVE_LIFO);

        assertTheStallIsInTheLatencyOfEveryRequestDueDuringIt(scenario, scheduled);
    }

    @Test
    void withoutAStallEveryRequestStartsOnTimeAtTheRate() {
        StallingScenario scenario = new StallingScenario(clock, -1, 0);

        long scheduled = run(scenario, 200, Duration.ofSeconds(2), Duration.ofSeconds(5), RequestQueue.Policy.FIFO);

        assertThat(scheduled).isEqualTo(400);
        assertThat(scenario.intendedMillis).hasSize(400).startsWith(0L, 5L, 10L).endsWith(1_990L, 1_995L);
        assertThat(measurements.overall().requests()).isEqualTo(400);
        assertThat(finished()).hasSize(400).allMatch(request -> request.latencyMs() == 0);
        assertThat(scenario.startedMillis)
                .hasSize(400)
                .allSatisfy((due, started) -> assertThat(started).isEqualTo(due));
        assertThat(measurements.lateStarts()).isZero();
    }

    @Test
    void aRampSendsTheRequestsOfItsAverageRateThenHoldsTheTargetRate() {
        StallingScenario scenario = new StallingScenario(clock, -1, 0);

        // 50 -> 250 req/s over 1 s (150 requests), then 1 s at 250 req/s (250 requests).
        long scheduled = generator(scenario, Duration.ofSeconds(5), RequestQueue.Policy.FIFO)
                .run(50, 250, Duration.ofSeconds(1), Duration.ofSeconds(2), second -> {});

        assertThat(scheduled).isEqualTo(400);
        assertThat(measurements.overall().requests()).isEqualTo(scheduled);
        assertThat(scenario.intendedMillis.stream().filter(millis -> millis < 1_000))
                .hasSize(150);
        // The gaps shrink from 1/50 s towards 1/250 s during the ramp, then stay at 4 ms.
        assertThat(scenario.intendedMillis.get(1)).isBetween(19L, 20L);
        assertThat(scenario.intendedMillis.subList(150, 400))
                .isEqualTo(LongStream.range(0, 250).mapToObj(i -> 1_000 + i * 4).collect(Collectors.toList()));
    }

    /**
     * At 200 req/s with a 100 ms timeout, the 5th request (due at 20 ms) stalls for 602 ms, until
     * 622 ms: it ends as a timeout. Of the requests due meanwhile, those that waited more than the
     * timeout (due from 25 ms to 520 ms: 100 of them) are shed without running; the 20 due from
     * 525 ms on run, within their timeout.
     */
    @Test
    void requestsThatCannotStartWithinTheirTimeoutAreShedAndCounted() {
        StallingScenario scenario = new StallingScenario(clock, 5, 602);

        long scheduled = run(scenario, 200, Duration.ofSeconds(1), Duration.ofMillis(100), RequestQueue.Policy.FIFO);

        assertThat(scheduled).isEqualTo(200);
        Measurements.Totals totals = measurements.overall();
        assertThat(totals.count(Outcome.SHED)).isEqualTo(100);
        assertThat(totals.count(Outcome.TIMEOUT)).isEqualTo(1);
        assertThat(totals.count(Outcome.OK)).isEqualTo(99);
        assertThat(totals.requests()).isEqualTo(200);
        List<Finished> expected = new ArrayList<>();
        for (long due : scenario.intendedMillis) {
            if (due == 20) {
                expected.add(new Finished(Outcome.TIMEOUT, 602));
            } else if (due >= 25 && due <= 520) {
                expected.add(new Finished(Outcome.SHED, 622 - due));
                assertThat(scenario.startedMillis)
                        .as("the shed request due at %d ms ran", due)
                        .doesNotContainKey(due);
            } else {
                expected.add(new Finished(Outcome.OK, due > 520 && due < 622 ? 622 - due : 0));
            }
        }
        assertThat(finished()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(scenario.startedMillis).hasSize(100);
    }
}
