package io.dcbstore.simulator.metrics;

import io.dcbstore.simulator.load.Measurements;
import io.dcbstore.simulator.load.Outcome;
import io.dcbstore.simulator.load.RequestKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What the simulator itself measures, as meters: requests by operation and outcome (shed ones
 * included), their latency from the intended start and their wait in the queue, and the target
 * rate. Fed with every finished request ({@link Measurements#observe}).
 */
public final class SimulatorMeters implements Consumer<Measurements.Sample> {
    private final Map<RequestKind, Map<Outcome, Counter>> requests = new EnumMap<>(RequestKind.class);
    private final Map<RequestKind, Timer> latency = new EnumMap<>(RequestKind.class);
    private final Timer queueWait;
    private volatile double targetRate;

    /** @param meters where the meters go */
    public SimulatorMeters(MeterRegistry meters) {
        for (RequestKind kind : RequestKind.values()) {
            Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(
                        outcome,
                        Counter.builder("simulator.requests")
                                .description("finished requests, shed ones included")
                                .tag("operation", kind.key())
                                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                                .register(meters));
            }
            requests.put(kind, byOutcome);
            latency.put(
                    kind,
                    Timer.builder("simulator.request.duration")
                            .description("request latency from its intended start (queue wait included)")
                            .tag("operation", kind.key())
                            .publishPercentileHistogram()
                            .register(meters));
        }
        queueWait = Timer.builder("simulator.queue.wait")
                .description("how long requests waited for a worker")
                .publishPercentileHistogram()
                .register(meters);
        Gauge.builder("simulator.rate.target", this, meter -> meter.targetRate)
                .description("the rate the simulator sends at, requests per second")
                .register(meters);
    }

    /** @param rate the rate the load generator sends at now */
    public void targetRate(double rate) {
        this.targetRate = rate;
    }

    @Override
    public void accept(Measurements.Sample sample) {
        requests.get(sample.operation()).get(sample.outcome()).increment();
        latency.get(sample.operation()).record(sample.latencyNanos(), TimeUnit.NANOSECONDS);
        queueWait.record(sample.queueNanos(), TimeUnit.NANOSECONDS);
    }
}
