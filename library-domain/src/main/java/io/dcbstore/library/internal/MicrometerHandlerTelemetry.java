package io.dcbstore.library.internal;

import io.dcbstore.library.LibraryCommand;
import io.dcbstore.library.SnapshotStatistics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Records the library's commands and queries in Micrometer, like the reference's handler metrics:
 * duration and calls by command or query and outcome, retries, retries exhausted, retry delays,
 * events applied per query, and what the projection cache and the snapshots did. One observation
 * per command ({@code library.command}, with a child {@code library.decide}) and per query
 * ({@code library.query}); the store's own observations nest inside them.
 */
public final class MicrometerHandlerTelemetry implements HandlerTelemetry {
    static final String COMMANDS = "library.commands";
    static final String QUERIES = "library.queries";

    private final MeterRegistry meters;
    private final ObservationRegistry observations;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> retryDelays = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> eventsApplied = new ConcurrentHashMap<>();
    /** Held here, strongly: a function counter keeps only a weak reference to what it reads. */
    private volatile Supplier<SnapshotStatistics> statistics;

    /**
     * @param meters where meters go, or null for none
     * @param observations where observations go, or null for none
     * @return the telemetry; {@link HandlerTelemetry#NONE} when both are null
     */
    public static HandlerTelemetry of(MeterRegistry meters, ObservationRegistry observations) {
        return meters == null && observations == null ? NONE : new MicrometerHandlerTelemetry(meters, observations);
    }

    private MicrometerHandlerTelemetry(MeterRegistry meters, ObservationRegistry observations) {
        this.meters = meters != null ? meters : new CompositeMeterRegistry();
        this.observations = observations != null ? observations : ObservationRegistry.NOOP;
        // Retries are rare: their meters exist from the start, so a dashboard shows zero, not nothing.
        for (Class<?> command : LibraryCommand.class.getPermittedSubclasses()) {
            String name = HandlerTelemetry.nameOf(command);
            counter("library.command.retries", name);
            counter("library.command.retries.exhausted", name);
            retryDelay(name);
        }
    }

    @Override
    public HandlerCall command(String command) {
        return new MicrometerHandlerCall(this, "library.command", "command", command);
    }

    @Override
    public HandlerCall query(String query) {
        return new MicrometerHandlerCall(this, "library.query", "query", query);
    }

    @Override
    public void retry(String command, Duration delay) {
        counter("library.command.retries", command).increment();
        retryDelay(command).record(delay);
    }

    private Timer retryDelay(String command) {
        return retryDelays.computeIfAbsent(
                command,
                name -> Timer.builder("library.command.retry.delay")
                        .description("pauses before retrying a command whose append conflicted")
                        .tag("command", name)
                        .register(meters));
    }

    @Override
    public void retriesExhausted(String command) {
        counter("library.command.retries.exhausted", command).increment();
    }

    @Override
    public void eventsApplied(String query, int count) {
        eventsApplied
                .computeIfAbsent(
                        query,
                        name -> DistributionSummary.builder("library.projection.events.applied")
                                .description("events applied to a projection's state to answer one query")
                                .baseUnit("events")
                                .tag("query", name)
                                .register(meters))
                .record(count);
    }

    @Override
    public void watch(Supplier<SnapshotStatistics> statistics) {
        this.statistics = statistics;
        watchCount("library.projection.cache", "hit", SnapshotStatistics::memoryCacheHits);
        watchCount("library.projection.cache", "miss", SnapshotStatistics::memoryCacheMisses);
        watchCount("library.projection.cache", "answered_without_read", SnapshotStatistics::answeredWithoutRead);
        watchCount("library.projection.cache", "shared_read", SnapshotStatistics::sharedReads);
        watchCount("library.projection.snapshots", "hit", SnapshotStatistics::hits);
        watchCount("library.projection.snapshots", "miss", SnapshotStatistics::misses);
        watchCount("library.projection.snapshots", "saved", SnapshotStatistics::saves);
        watchCount("library.projection.snapshots", "save_failed", SnapshotStatistics::saveFailures);
        watchCount("library.projection.snapshots", "load_failed", SnapshotStatistics::loadFailures);
    }

    private void watchCount(String name, String result, ToDoubleFunction<SnapshotStatistics> count) {
        FunctionCounter.builder(name, this, telemetry -> count.applyAsDouble(telemetry.statistics.get()))
                .tag("result", result)
                .register(meters);
    }

    ObservationRegistry observations() {
        return observations;
    }

    void record(String kind, String name, String outcome, long nanos) {
        timers.computeIfAbsent(
                        kind + '/' + name + '/' + outcome,
                        key -> Timer.builder(kind.equals("command") ? COMMANDS : QUERIES)
                                .description(
                                        kind.equals("command")
                                                ? "commands handled, from the call to the outcome"
                                                : "queries answered")
                                .tag(kind, name)
                                .tag("outcome", outcome)
                                .register(meters))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private Counter counter(String name, String command) {
        return counters.computeIfAbsent(
                name + '/' + command,
                key -> Counter.builder(name).tag("command", command).register(meters));
    }
}
