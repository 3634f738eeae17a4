package io.dcbstore.simulator.load;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Everything a run measures, per operation: latency histograms (from the intended start, so a
 * stall cannot hide), outcome counters, conflict retries, and where each request's time went
 * (waiting to start, waiting for a pooled connection, inside the store, the rest). Recording is
 * lock-free; {@link #closeInterval} is called once a second and returns that second's figures.
 */
public final class Measurements {
    /** Latencies are recorded in microseconds, up to an hour. */
    private static final long HIGHEST_MICROS = 3_600_000_000L;

    /** One finished request. */
    public record Sample(
            RequestKind operation,
            Outcome outcome,
            long latencyNanos,
            long queueNanos,
            long poolNanos,
            long storeNanos,
            long storeCalls,
            int retries,
            long queries,
            long appends,
            long snapshotCalls) {}

    /** Per-operation accumulators. */
    private static final class PerOperation {
        final Recorder interval = new Recorder(HIGHEST_MICROS, 3);
        final Histogram total = new Histogram(HIGHEST_MICROS, 3);
        final LongAdder[] outcomes = newAdders(Outcome.values().length);
        final AtomicLongArray intervalOutcomes = new AtomicLongArray(Outcome.values().length);
        final LongAdder retries = new LongAdder();
        final LongAdder intervalRetries = new LongAdder();
        final LongAdder latencyNanos = new LongAdder();
        final LongAdder queueNanos = new LongAdder();
        final LongAdder poolNanos = new LongAdder();
        final LongAdder storeNanos = new LongAdder();
        final LongAdder storeCalls = new LongAdder();
        final LongAdder queries = new LongAdder();
        final LongAdder appends = new LongAdder();
        final LongAdder snapshotCalls = new LongAdder();
        Histogram recycled;
    }

    private final Map<RequestKind, PerOperation> operations = new EnumMap<>(RequestKind.class);
    private final LongAdder lateStarts = new LongAdder();
    private final Histogram pacingDelay = new Histogram(HIGHEST_MICROS, 3);
    private final LongAdder intervalLateStarts = new LongAdder();
    private final List<Consumer<Sample>> observers = new CopyOnWriteArrayList<>();

    /** Creates empty measurements. */
    public Measurements() {
        for (RequestKind operation : RequestKind.values()) {
            operations.put(operation, new PerOperation());
        }
    }

    private static LongAdder[] newAdders(int count) {
        LongAdder[] adders = new LongAdder[count];
        for (int i = 0; i < count; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    /**
     * Also hands every finished request to the observer (metrics, the outages of a chaos run),
     * from now on, next to the observers already added.
     *
     * @param observer called on the thread that finished the request, when it finished
     */
    public void observe(Consumer<Sample> observer) {
        observers.add(observer);
    }

    /** @param sample a finished request */
    public void record(Sample sample) {
        for (Consumer<Sample> observer : observers) {
            observer.accept(sample);
        }
        PerOperation per = operations.get(sample.operation());
        per.interval.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, sample.latencyNanos() / 1000)));
        per.outcomes[sample.outcome().ordinal()].increment();
        per.intervalOutcomes.incrementAndGet(sample.outcome().ordinal());
        per.retries.add(sample.retries());
        per.intervalRetries.add(sample.retries());
        per.latencyNanos.add(sample.latencyNanos());
        per.queueNanos.add(sample.queueNanos());
        per.poolNanos.add(sample.poolNanos());
        per.storeNanos.add(sample.storeNanos());
        per.storeCalls.add(sample.storeCalls());
        per.queries.add(sample.queries());
        per.appends.add(sample.appends());
        per.snapshotCalls.add(sample.snapshotCalls());
    }

    /** Counts a request that started later than it should have (it still ran). */
    public void recordLateStart() {
        lateStarts.increment();
        intervalLateStarts.increment();
    }

    /** What one interval (a second) saw. */
    public record Interval(
            Map<RequestKind, Histogram> latencies, Map<RequestKind, long[]> outcomes, long retries, long lateStarts) {
        /** @return all operations' latencies together */
        public Histogram combined() {
            Histogram all = new Histogram(HIGHEST_MICROS, 3);
            latencies.values().forEach(all::add);
            return all;
        }

        /** @return requests that finished in the interval with the given outcome */
        public long count(Outcome outcome) {
            return outcomes.values().stream()
                    .mapToLong(counts -> counts[outcome.ordinal()])
                    .sum();
        }

        /** @return requests that finished in the interval */
        public long finished() {
            return outcomes.values().stream()
                    .mapToLong(counts -> LongStream.of(counts).sum())
                    .sum();
        }
    }

    /** @return the figures since the previous call, folded into the totals */
    public synchronized Interval closeInterval() {
        Map<RequestKind, Histogram> latencies = new EnumMap<>(RequestKind.class);
        Map<RequestKind, long[]> outcomes = new EnumMap<>(RequestKind.class);
        long retries = 0;
        for (Map.Entry<RequestKind, PerOperation> entry : operations.entrySet()) {
            PerOperation per = entry.getValue();
            Histogram interval = per.interval.getIntervalHistogram(per.recycled);
            per.total.add(interval);
            latencies.put(entry.getKey(), interval.copy());
            per.recycled = interval;
            long[] counts = new long[Outcome.values().length];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = per.intervalOutcomes.getAndSet(i, 0);
            }
            outcomes.put(entry.getKey(), counts);
            retries += per.intervalRetries.sumThenReset();
        }
        return new Interval(latencies, outcomes, retries, intervalLateStarts.sumThenReset());
    }

    /** Totals of one operation (or of all). */
    public record Totals(
            Histogram latency,
            long[] outcomes,
            long retries,
            double meanLatencyMs,
            double meanQueueMs,
            double meanPoolMs,
            double meanStoreMs,
            double storeCallsPerRequest,
            double queriesPerRequest,
            double appendsPerRequest,
            double snapshotCallsPerRequest) {
        /** @return requests with the outcome */
        public long count(Outcome outcome) {
            return outcomes[outcome.ordinal()];
        }

        /** @return all requests */
        public long requests() {
            return LongStream.of(outcomes).sum();
        }
    }

    /** @return the totals per operation, for operations that ran; call after the last {@link #closeInterval} */
    public synchronized Map<RequestKind, Totals> totals() {
        Map<RequestKind, Totals> totals = new EnumMap<>(RequestKind.class);
        operations.forEach((operation, per) -> {
            long[] counts = new long[Outcome.values().length];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = per.outcomes[i].sum();
            }
            long requests = LongStream.of(counts).sum();
            if (requests > 0) {
                totals.put(
                        operation,
                        new Totals(
                                per.total.copy(),
                                counts,
                                per.retries.sum(),
                                per.latencyNanos.sum() / 1e6 / requests,
                                per.queueNanos.sum() / 1e6 / requests,
                                per.poolNanos.sum() / 1e6 / requests,
                                per.storeNanos.sum() / 1e6 / requests,
                                per.storeCalls.sum() / (double) requests,
                                per.queries.sum() / (double) requests,
                                per.appends.sum() / (double) requests,
                                per.snapshotCalls.sum() / (double) requests));
            }
        });
        return totals;
    }

    /** @return the totals of all operations together */
    public Totals overall() {
        Map<RequestKind, Totals> all = totals();
        Histogram latency = new Histogram(HIGHEST_MICROS, 3);
        long[] counts = new long[Outcome.values().length];
        long retries = 0;
        double latencySum = 0;
        double queueSum = 0;
        double poolSum = 0;
        double storeSum = 0;
        double callsSum = 0;
        double queriesSum = 0;
        double appendsSum = 0;
        double snapshotSum = 0;
        for (Totals totals : all.values()) {
            latency.add(totals.latency());
            for (int i = 0; i < counts.length; i++) {
                counts[i] += totals.outcomes()[i];
            }
            retries += totals.retries();
            long n = totals.requests();
            latencySum += totals.meanLatencyMs() * n;
            queueSum += totals.meanQueueMs() * n;
            poolSum += totals.meanPoolMs() * n;
            storeSum += totals.meanStoreMs() * n;
            callsSum += totals.storeCallsPerRequest() * n;
            queriesSum += totals.queriesPerRequest() * n;
            appendsSum += totals.appendsPerRequest() * n;
            snapshotSum += totals.snapshotCallsPerRequest() * n;
        }
        long requests = LongStream.of(counts).sum();
        double n = Math.max(1, requests);
        return new Totals(
                latency,
                counts,
                retries,
                latencySum / n,
                queueSum / n,
                poolSum / n,
                storeSum / n,
                callsSum / n,
                queriesSum / n,
                appendsSum / n,
                snapshotSum / n);
    }

    /**
     * Records how late the pacing thread put a request in the queue (only that thread calls this;
     * {@link #pacingDelay} is read after it has finished).
     *
     * @param nanos the delay after the request's intended start
     */
    public void recordPacingDelay(long nanos) {
        pacingDelay.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000)));
    }

    /** @return a copy of the pacing delays, in microseconds */
    public Histogram pacingDelay() {
        return pacingDelay.copy();
    }

    /** @return requests that started late */
    public long lateStarts() {
        return lateStarts.sum();
    }
}
