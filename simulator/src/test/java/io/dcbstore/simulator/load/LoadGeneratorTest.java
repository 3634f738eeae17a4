package io.dcbstore.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

    /** A scenario whose requests take no time, except one that stalls. */
    private static final class StallingScenario implements Scenario {
        private final AtomicInteger executed = new AtomicInteger();
        private final AtomicBoolean stalled = new AtomicBoolean();
        private final int stallAt;
        private final long stallMillis;

        StallingScenario(int stallAt, long stallMillis) {
            this.stallAt = stallAt;
            this.stallMillis = stallMillis;
        }

        @Override
        public Workload.Request next(long intendedNanos) {
            return new Workload.Request(RequestKind.BOOKS_LENT_OUT, null, null, intendedNanos);
        }

        @Override
        public Workload.Result execute(Workload.Request request) {
            if (executed.incrementAndGet() == stallAt && stalled.compareAndSet(false, true)) {
                try {
                    Thread.sleep(stallMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new Workload.Result(Outcome.OK, 0);
        }
    }

    private static Histogram run(
            Scenario scenario, Measurements measurements, double rate, Duration duration, Duration timeout) {
        return run(scenario, measurements, rate, duration, timeout, RequestQueue.Policy.FIFO);
    }

    private static Histogram run(
            Scenario scenario,
            Measurements measurements,
            double rate,
            Duration duration,
            Duration timeout,
            RequestQueue.Policy policy) {
        new LoadGenerator(scenario, measurements, 1, timeout, policy, LoadGenerator.Clock.SYSTEM)
                .run(rate, duration, second -> {});
        measurements.closeInterval();
        return measurements.overall().latency();
    }

    @Test
    void aStallShowsUpInTheLatencyOfEveryRequestScheduledDuringIt() {
        Measurements measurements = new Measurements();
        Histogram latency =
                run(new StallingScenario(20, 500), measurements, 200, Duration.ofSeconds(2), Duration.ofSeconds(5));

        // At 200 req/s about 100 requests are due during the 500 ms stall; measured from their
        // intended start they wait for it, so well over 5% of all requests see > 100 ms.
        assertThat(latency.getValueAtPercentile(95) / 1000.0).isGreaterThan(100);
        assertThat(latency.getMaxValue() / 1000.0).isGreaterThanOrEqualTo(450);
        assertThat(measurements.lateStarts()).isGreaterThan(50);
    }

    @Test
    void withoutAStallTheRateIsKeptAndLatenciesStaySmall() {
        Measurements measurements = new Measurements();
        Histogram latency =
                run(new StallingScenario(-1, 0), measurements, 200, Duration.ofSeconds(2), Duration.ofSeconds(5));

        assertThat(measurements.overall().requests()).isBetween(380L, 420L);
        assertThat(latency.getValueAtPercentile(50) / 1000.0).isLessThan(20);
    }

    @Test
    void aStallShowsUpInTheLatenciesUnderAdaptiveLifoToo() {
        Measurements measurements = new Measurements();
        Histogram latency = run(
                new StallingScenario(20, 500),
                measurements,
                200,
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                RequestQueue.Policy.ADAPTIVE_LIFO);

        assertThat(latency.getValueAtPercentile(95) / 1000.0).isGreaterThan(100);
        assertThat(latency.getMaxValue() / 1000.0).isGreaterThanOrEqualTo(450);
        assertThat(measurements.overall().requests()).isBetween(380L, 420L);
    }

    @Test
    void aRampSendsTheRequestsOfItsAverageRateThenHoldsTheTargetRate() {
        Measurements measurements = new Measurements();
        // 50 -> 250 req/s over 1 s (150 requests), then 1 s at 250 req/s (250 requests).
        long scheduled = new LoadGenerator(
                        new StallingScenario(-1, 0),
                        measurements,
                        1,
                        Duration.ofSeconds(5),
                        RequestQueue.Policy.FIFO,
                        LoadGenerator.Clock.SYSTEM)
                .run(50, 250, Duration.ofSeconds(1), Duration.ofSeconds(2), second -> {});

        assertThat(scheduled).isBetween(395L, 405L);
        assertThat(measurements.overall().requests()).isEqualTo(scheduled);
    }

    @Test
    void requestsThatCannotStartWithinTheirTimeoutAreShedAndCounted() {
        Measurements measurements = new Measurements();
        run(new StallingScenario(5, 600), measurements, 200, Duration.ofSeconds(1), Duration.ofMillis(100));

        Measurements.Totals totals = measurements.overall();
        assertThat(totals.count(Outcome.SHED)).isGreaterThan(50);
        assertThat(totals.requests()).isBetween(180L, 220L);
    }
}
