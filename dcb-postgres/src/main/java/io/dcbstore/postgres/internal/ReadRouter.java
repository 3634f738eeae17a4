package io.dcbstore.postgres.internal;

import io.dcbstore.CommitToken;
import io.dcbstore.ConfigurationException;
import io.dcbstore.Consistency;
import io.dcbstore.DatabaseException;
import io.dcbstore.EventStoreException;
import io.dcbstore.EventStream;
import io.dcbstore.Filter;
import io.dcbstore.OperationCancelledException;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.postgres.ReplicaStatus;
import io.dcbstore.postgres.RoutingStatistics;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes reads between the primary and the replicas. STRONG reads go to the primary. EVENTUAL
 * reads go round-robin to replicas that are healthy: reachable, in recovery, and less than
 * {@code maxReplicaLag} behind. A read that fails on a replica is served by the primary, the
 * replica is marked down until its next successful health check, and the fallback is counted.
 *
 * <p>Reads with a commit token never return stale data: on a replica the token's event must be
 * visible (checked in the same round trip); if no replica has it within
 * {@code readYourWritesWait}, the primary serves the read, waiting there only for the safe
 * high-water mark to pass the token (milliseconds).
 */
public final class ReadRouter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadRouter.class);
    private static final String PRIMARY_POSITION = "SELECT pg_is_in_recovery(),"
            + " CASE WHEN pg_is_in_recovery() THEN -1 ELSE pg_current_wal_lsn() - '0/0'::pg_lsn END";
    private static final String REPLICA_POSITION = "SELECT pg_is_in_recovery(), coalesce(pg_last_wal_replay_lsn() - '0/0'::pg_lsn, -1),"
            + " coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), -1)";
    private static final long POLL_MILLIS = 2;

    private final PostgresEngine engine;
    private final DataSource primary;
    private final List<Replica> replicas;
    private final PostgresStoreConfig config;
    private final ScheduledExecutorService checker;
    private final AtomicInteger next = new AtomicInteger();
    private final LongAdder primaryReads = new LongAdder();
    private final LongAdder replicaReads = new LongAdder();
    private final LongAdder fallbacksNoHealthyReplica = new LongAdder();
    private final LongAdder fallbacksReplicaFailed = new LongAdder();
    private final LongAdder fallbacksTokenNotReplayed = new LongAdder();
    private volatile long primaryPosition;

    /** One replica and its last known health. */
    private static final class Replica {
        final String name;
        final DataSource dataSource;
        volatile ReplicaStatus status;

        Replica(String name, DataSource dataSource) {
            this.name = name;
            this.dataSource = dataSource;
            this.status = new ReplicaStatus(name, false, false, -1, Duration.ofSeconds(-1), -1, Instant.EPOCH, "not checked yet");
        }
    }

    /**
     * Checks every node once (fails fast on a misconfiguration), then keeps checking replicas.
     *
     * @param engine the engine
     * @param primary the primary
     * @param replicas the replicas by name, in order of preference
     * @param config the configuration
     */
    public ReadRouter(PostgresEngine engine, DataSource primary, Map<String, DataSource> replicas, PostgresStoreConfig config) {
        this.engine = engine;
        this.primary = primary;
        this.config = config;
        List<Replica> list = new ArrayList<>();
        replicas.forEach((name, dataSource) -> list.add(new Replica(name, dataSource)));
        this.replicas = List.copyOf(list);
        checkPrimary();
        for (Replica replica : this.replicas) {
            check(replica, true);
        }
        if (this.replicas.isEmpty()) {
            checker = null;
        } else {
            checker = Executors.newScheduledThreadPool(Math.min(4, this.replicas.size() + 1), runnable -> {
                Thread thread = new Thread(runnable, "dcb-replica-health");
                thread.setDaemon(true);
                return thread;
            });
            long interval = config.healthCheckInterval().toMillis();
            checker.scheduleWithFixedDelay(this::checkAllQuietly, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * @param filter what to read
     * @param options consistency, token, timeout, cancellation
     * @return the result, never staler than the token
     */
    public QueryResult query(Filter filter, ReadOptions options) {
        Duration timeout = engine.timeoutOf(options.timeout());
        long deadline = System.nanoTime() + timeout.toNanos();
        if (options.consistency() == Consistency.EVENTUAL && !replicas.isEmpty()) {
            // Any fallback to the primary gets what is left of the read's timeout.
            Optional<QueryResult> fromReplica = queryReplicas(filter, options, deadline);
            if (fromReplica.isPresent()) {
                return fromReplica.get();
            }
        }
        return queryPrimary(filter, options, deadline);
    }

    private Optional<QueryResult> queryReplicas(Filter filter, ReadOptions options, long deadline) {
        CommitToken token = options.atLeast();
        long waitUntil = Math.min(deadline, System.nanoTime() + config.readYourWritesWait().toNanos());
        while (true) {
            Replica replica = pick();
            if (replica == null) {
                if (token != null && anyHealthy() && System.nanoTime() < waitUntil) {
                    sleep(POLL_MILLIS);
                    continue;
                }
                (token != null && anyHealthy() ? fallbacksTokenNotReplayed : fallbacksNoHealthyReplica).increment();
                return Optional.empty();
            }
            try {
                Optional<QueryResult> result = engine.query(replica.dataSource, filter, options, remaining(deadline, options));
                if (result.isPresent()) {
                    replicaReads.increment();
                    return result;
                }
                if (System.nanoTime() >= waitUntil) {
                    fallbacksTokenNotReplayed.increment();
                    return Optional.empty();
                }
                sleep(POLL_MILLIS);
            } catch (DatabaseException e) {
                // The replica failed (down, restarting, refused): the primary serves this read.
                markDown(replica, e);
                fallbacksReplicaFailed.increment();
                return Optional.empty();
            }
            // A timeout or cancellation is the caller's answer, not a sign the replica is down:
            // a hung replica fails its health checks and stops getting reads.
        }
    }

    /** @return the time left until the deadline; throws a timeout when none is left */
    private Duration remaining(long deadline, ReadOptions options) {
        return DatabaseCall.timeLeft("query", deadline, engine.timeoutOf(options.timeout()));
    }

    private QueryResult queryPrimary(Filter filter, ReadOptions options, long deadline) {
        while (true) {
            Optional<QueryResult> result = engine.query(primary, filter, options, remaining(deadline, options));
            if (result.isPresent()) {
                primaryReads.increment();
                return result.get();
            }
            sleep(POLL_MILLIS);
        }
    }

    /**
     * Opens a stream on a healthy replica for EVENTUAL reads, else on the primary.
     *
     * @param filter what to read
     * @param options consistency, timeout, cancellation
     * @return the stream
     */
    public EventStream stream(Filter filter, ReadOptions options) {
        if (options.atLeast() != null) {
            // A cursor has no visibility check of its own: wait on the primary until the token's
            // event is under the high-water mark; the cursor's later snapshot then includes it.
            long deadline = System.nanoTime() + engine.timeoutOf(options.timeout()).toNanos();
            while (!engine.tokenVisible(primary, options.atLeast(), remaining(deadline, options))) {
                sleep(POLL_MILLIS);
            }
            primaryReads.increment();
            return engine.stream(primary, filter, options);
        }
        if (options.consistency() == Consistency.EVENTUAL && !replicas.isEmpty()) {
            Replica replica = pick();
            if (replica != null) {
                try {
                    EventStream stream = engine.stream(replica.dataSource, filter, options);
                    replicaReads.increment();
                    return stream;
                } catch (DatabaseException e) {
                    markDown(replica, e);
                    fallbacksReplicaFailed.increment();
                }
            }
        }
        primaryReads.increment();
        return engine.stream(primary, filter, options);
    }

    /** The next healthy replica, round-robin. Replay positions are not used: the token check is exact. */
    private Replica pick() {
        int size = replicas.size();
        int start = Math.floorMod(next.getAndIncrement(), size);
        for (int i = 0; i < size; i++) {
            Replica replica = replicas.get((start + i) % size);
            ReplicaStatus status = replica.status;
            if (status.healthy()) {
                return replica;
            }
        }
        return null;
    }

    private boolean anyHealthy() {
        return replicas.stream().anyMatch(replica -> replica.status.healthy());
    }

    private void markDown(Replica replica, EventStoreException cause) {
        ReplicaStatus old = replica.status;
        replica.status = new ReplicaStatus(replica.name, false, old.inRecovery(), old.lagBytes(), old.lagTime(),
                old.replayPosition(), Instant.now(), "read failed: " + cause.getMessage());
        if (old.healthy()) {
            LOG.warn("replica {} failed a read and gets no reads until its next good health check: {}", replica.name, cause.getMessage());
        }
    }

    private void checkAllQuietly() {
        try {
            checkPrimary();
        } catch (RuntimeException e) {
            LOG.debug("primary position check failed", e);
        }
        for (Replica replica : replicas) {
            try {
                check(replica, false);
            } catch (RuntimeException e) {
                LOG.debug("health check of {} failed", replica.name, e);
            }
        }
    }

    private void checkPrimary() {
        Duration timeout = config.defaultTimeout();
        Object[] position = DatabaseCall.run(primary, "checkPrimary", timeout, null, (operation, connection) -> {
            try (PreparedStatement statement = operation.prepare(connection, PRIMARY_POSITION);
                 ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new Object[] {rows.getBoolean(1), rows.getLong(2)};
            }
        });
        if ((Boolean) position[0]) {
            throw new ConfigurationException("the primary data source leads to a server in recovery (a standby): appends need the primary");
        }
        primaryPosition = (Long) position[1];
    }

    private void check(Replica replica, boolean atStart) {
        Duration timeout = atStart ? config.defaultTimeout() : config.healthCheckInterval().multipliedBy(4);
        try {
            Object[] row = DatabaseCall.run(replica.dataSource, "checkReplica", timeout, null, (operation, connection) -> {
                try (PreparedStatement statement = operation.prepare(connection, REPLICA_POSITION);
                     ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return new Object[] {rows.getBoolean(1), rows.getLong(2), rows.getDouble(3)};
                }
            });
            boolean inRecovery = (Boolean) row[0];
            if (!inRecovery && atStart) {
                throw new ConfigurationException("replica '" + replica.name + "' is not in recovery: it is a primary, not a standby."
                        + " Point it at a streaming replica, or leave it out to read everything from the primary.");
            }
            long replay = (Long) row[1];
            long lagBytes = Math.max(0, primaryPosition - replay);
            Duration lagTime = lagBytes == 0 || (Double) row[2] < 0 ? Duration.ZERO : Duration.ofMillis((long) ((Double) row[2] * 1000));
            String problem = !inRecovery ? "not in recovery (promoted?)"
                    : lagTime.compareTo(config.maxReplicaLag()) > 0 ? "lagging " + lagTime.toMillis() + " ms behind" : "";
            replica.status = new ReplicaStatus(replica.name, problem.isEmpty(), inRecovery, lagBytes, lagTime, replay, Instant.now(), problem);
        } catch (ConfigurationException e) {
            throw e;
        } catch (EventStoreException e) {
            if (atStart) {
                throw e;
            }
            ReplicaStatus old = replica.status;
            replica.status = new ReplicaStatus(replica.name, false, old.inRecovery(), old.lagBytes(), old.lagTime(),
                    old.replayPosition(), Instant.now(), "unreachable: " + e.getMessage());
        }
    }

    /** @return the last known state of every replica */
    public List<ReplicaStatus> replicaStatus() {
        return replicas.stream().map(replica -> replica.status).toList();
    }

    /** @return the routing counters */
    public RoutingStatistics statistics() {
        return new RoutingStatistics(primaryReads.sum(), replicaReads.sum(), fallbacksNoHealthyReplica.sum(),
                fallbacksReplicaFailed.sum(), fallbacksTokenNotReplayed.sum());
    }

    /** @return the names of the replicas, in order */
    public Map<String, DataSource> replicaDataSources() {
        Map<String, DataSource> map = new LinkedHashMap<>();
        replicas.forEach(replica -> map.put(replica.name, replica.dataSource));
        return map;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationCancelledException("query", e);
        }
    }

    @Override
    public void close() {
        if (checker != null) {
            checker.shutdownNow();
        }
    }
}
