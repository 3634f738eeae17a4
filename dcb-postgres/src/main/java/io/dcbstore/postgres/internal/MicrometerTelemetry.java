package io.dcbstore.postgres.internal;

import io.dcbstore.postgres.ReplicaStatus;
import io.dcbstore.postgres.StatementStatistics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Records the store's calls in Micrometer: meters in a {@link MeterRegistry} (names with dots and
 * base units; a Prometheus registry renders {@code dcb.store.operations} as
 * {@code dcb_store_operations_seconds}), and one {@link io.micrometer.observation.Observation} per
 * call in an {@link ObservationRegistry}, which a tracing bridge turns into spans. Tags are bounded:
 * operation, outcome, error type, node (the primary or a replica's configured name).
 * Loaded only when the user gives a registry.
 */
final class MicrometerTelemetry implements Telemetry {
    static final String OPERATIONS = "dcb.store.operations";
    static final String DATABASE = "dcb.store.database";
    static final String EVENTS_APPENDED = "dcb.store.events.appended";
    static final String EVENTS_READ = "dcb.store.events.read";
    static final String TOKEN_WAITS = "dcb.store.token.waits";
    static final String OBSERVATION = "dcb.store.operation";

    private final MeterRegistry meters;
    private final ObservationRegistry observations;
    private final Map<String, String> addresses;
    private final Map<CallKey, Timer> operationTimers = new ConcurrentHashMap<>();
    private final Map<NodeKey, Timer> databaseTimers = new ConcurrentHashMap<>();
    private final Map<NodeKey, Counter> eventsRead = new ConcurrentHashMap<>();
    private final Map<ReadFallback, Counter> fallbacks = new EnumMap<>(ReadFallback.class);
    private final Counter eventsAppended;
    private final Timer tokenWaits;
    private final Counter snapshotHits;
    private final Counter snapshotMisses;
    private final Counter snapshotsWritten;
    private final Counter snapshotsSuperseded;
    private final Counter snapshotsDeleted;
    private final Counter snapshotsAbsent;
    private final DistributionSummary snapshotLoadSize;
    private final DistributionSummary snapshotSaveSize;
    /** Held here, strongly: a function counter keeps only a weak reference to what it reads. */
    private volatile Supplier<StatementStatistics> statements = () -> new StatementStatistics(0, 0, 0, 0);

    private record CallKey(Operation operation, Outcome outcome, String node) {}

    private record NodeKey(Operation operation, String node) {}

    /**
     * @param meters where meters go, or null for none
     * @param observations where observations go, or null for none
     * @param addresses each node's {@code host:port}, by node name, for spans
     */
    MicrometerTelemetry(MeterRegistry meters, ObservationRegistry observations, Map<String, String> addresses) {
        this.meters = meters != null ? meters : new CompositeMeterRegistry();
        this.observations = observations != null ? observations : ObservationRegistry.NOOP;
        this.addresses = Map.copyOf(addresses);
        for (ReadFallback reason : ReadFallback.values()) {
            fallbacks.put(
                    reason,
                    Counter.builder("dcb.store.replica.fallbacks")
                            .description("reads that could have gone to a replica but went to the primary")
                            .tag("reason", reason.tag())
                            .register(this.meters));
        }
        eventsAppended = Counter.builder(EVENTS_APPENDED)
                .description("events appended")
                .baseUnit("events")
                .tag("node", ReadRouter.PRIMARY)
                .register(this.meters);
        tokenWaits = Timer.builder(TOKEN_WAITS)
                .description("time reads waited for their commit token to become visible")
                .register(this.meters);
        snapshotHits = snapshotCounter("dcb.store.snapshot.loads", "hit");
        snapshotMisses = snapshotCounter("dcb.store.snapshot.loads", "miss");
        snapshotsWritten = snapshotCounter("dcb.store.snapshot.saves", "written");
        snapshotsSuperseded = snapshotCounter("dcb.store.snapshot.saves", "superseded");
        snapshotsDeleted = snapshotCounter("dcb.store.snapshot.deletes", "deleted");
        snapshotsAbsent = snapshotCounter("dcb.store.snapshot.deletes", "absent");
        snapshotLoadSize = snapshotSize("load");
        snapshotSaveSize = snapshotSize("save");
    }

    private Counter snapshotCounter(String name, String result) {
        return Counter.builder(name).tag("result", result).register(meters);
    }

    private DistributionSummary snapshotSize(String operation) {
        return DistributionSummary.builder("dcb.store.snapshot.size")
                .description("length of snapshot states loaded and saved")
                .baseUnit("characters")
                .tag("operation", operation)
                .register(meters);
    }

    @Override
    public StoreCall start(Operation operation) {
        return new MicrometerStoreCall(this, operation);
    }

    @Override
    public void fallback(ReadFallback reason) {
        fallbacks.get(reason).increment();
    }

    @Override
    public void snapshotLoaded(boolean hit, int size) {
        (hit ? snapshotHits : snapshotMisses).increment();
        if (hit) {
            snapshotLoadSize.record(size);
        }
    }

    @Override
    public void snapshotSaved(boolean written, int size) {
        (written ? snapshotsWritten : snapshotsSuperseded).increment();
        snapshotSaveSize.record(size);
    }

    @Override
    public void snapshotDeleted(boolean deleted) {
        (deleted ? snapshotsDeleted : snapshotsAbsent).increment();
    }

    @Override
    public void watch(Supplier<List<ReplicaStatus>> replicas, Supplier<StatementStatistics> statements) {
        for (ReplicaStatus replica : replicas.get()) {
            String name = replica.name();
            Supplier<ReplicaStatus> status = () -> replicas.get().stream()
                    .filter(candidate -> candidate.name().equals(name))
                    .findFirst()
                    .orElse(replica);
            TimeGauge.builder(
                            "dcb.store.replica.lag",
                            status,
                            TimeUnit.MILLISECONDS,
                            current -> current.get().lagTime().isNegative()
                                    ? Double.NaN
                                    : current.get().lagTime().toMillis())
                    .description("how far the replica's replay is behind, in time, at its last health check")
                    .tag("replica", name)
                    .strongReference(true)
                    .register(meters);
            Gauge.builder(
                            "dcb.store.replica.lag.bytes",
                            status,
                            current -> Math.max(0, current.get().lagBytes()))
                    .description("how far the replica's replay is behind the primary's WAL")
                    .baseUnit("bytes")
                    .tag("replica", name)
                    .strongReference(true)
                    .register(meters);
            Gauge.builder(
                            "dcb.store.replica.healthy",
                            status,
                            current -> current.get().healthy() ? 1 : 0)
                    .description("1 when EVENTUAL reads are routed to the replica")
                    .tag("replica", name)
                    .strongReference(true)
                    .register(meters);
        }
        FunctionCounter.builder(
                        "dcb.store.sql.cache.lookups", statements, s -> s.get().sqlCacheHits())
                .description("lookups of the SQL text of a filter's shape")
                .tag("result", "hit")
                .register(meters);
        FunctionCounter.builder(
                        "dcb.store.sql.cache.lookups", statements, s -> s.get().sqlCacheMisses())
                .tag("result", "miss")
                .register(meters);
        Gauge.builder("dcb.store.sql.cache.shapes", statements, s -> s.get().sqlCacheSize())
                .description("filter shapes whose SQL text is cached")
                .strongReference(true)
                .register(meters);
        FunctionCounter.builder(
                        "dcb.store.appends.global.lock",
                        statements,
                        s -> s.get().globalLockAppends())
                .description("appends that took the global lock (conditions too wide for key locks)")
                .register(meters);
    }

    ObservationRegistry observations() {
        return observations;
    }

    String addressOf(String node) {
        return addresses.getOrDefault(node, "unknown");
    }

    void record(Operation operation, Outcome outcome, String node, long nanos, long databaseNanos) {
        operationTimers
                .computeIfAbsent(
                        new CallKey(operation, outcome, node),
                        key -> Timer.builder(OPERATIONS)
                                .description("store calls, from the call to its answer")
                                .tag("operation", key.operation().tag())
                                .tag("outcome", key.outcome().outcome())
                                .tag("error.type", key.outcome().errorType())
                                .tag("node", key.node())
                                .register(meters))
                .record(nanos, TimeUnit.NANOSECONDS);
        if (databaseNanos > 0) {
            databaseTimers
                    .computeIfAbsent(
                            new NodeKey(operation, node),
                            key -> Timer.builder(DATABASE)
                                    .description(
                                            "the part of store calls spent on a connection (round trips and results), not waiting for one")
                                    .tag("operation", key.operation().tag())
                                    .tag("node", key.node())
                                    .register(meters))
                    .record(databaseNanos, TimeUnit.NANOSECONDS);
        }
    }

    void eventsRead(Operation operation, String node, int count) {
        eventsRead
                .computeIfAbsent(
                        new NodeKey(operation, node),
                        key -> Counter.builder(EVENTS_READ)
                                .description("events returned by queries")
                                .baseUnit("events")
                                .tag("operation", key.operation().tag())
                                .tag("node", key.node())
                                .register(meters))
                .increment(count);
    }

    void eventsAppended(int count) {
        eventsAppended.increment(count);
    }

    void tokenWait(long nanos) {
        tokenWaits.record(nanos, TimeUnit.NANOSECONDS);
    }
}
