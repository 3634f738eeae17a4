package io.dcbstore.postgres.internal;

import io.dcbstore.ConfigurationException;
import io.dcbstore.EventStoreException;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.postgres.ReplicaStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows which replicas may serve reads. It checks every node once at start (a primary that is a
 * standby, or a replica that is not, is a configuration error), then keeps checking the replicas
 * on a schedule: reachable, in recovery, and less than {@code maxReplicaLag} behind. A replica
 * that fails a read is marked down until its next good check.
 */
final class ReplicaHealth implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaHealth.class);
    private static final String PRIMARY_POSITION = "SELECT pg_is_in_recovery(),"
            + " CASE WHEN pg_is_in_recovery() THEN -1 ELSE pg_current_wal_lsn() - '0/0'::pg_lsn END";
    private static final String REPLICA_POSITION =
            "SELECT pg_is_in_recovery(), coalesce(pg_last_wal_replay_lsn() - '0/0'::pg_lsn, -1),"
                    + " coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), -1)";

    private final DataSource primary;
    private final List<Replica> replicas;
    private final PostgresStoreConfig config;
    private final ScheduledExecutorService checker;
    private final List<Thread> checkerThreads = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private volatile long primaryPosition;

    /** One replica and its last known health. */
    static final class Replica {
        private final String name;
        private final DataSource dataSource;
        private volatile ReplicaStatus status;

        private Replica(String name, DataSource dataSource) {
            this.name = name;
            this.dataSource = dataSource;
            this.status = new ReplicaStatus(
                    name, false, false, -1, Duration.ofSeconds(-1), -1, Instant.EPOCH, "not checked yet");
        }

        /** @return the replica's name */
        String name() {
            return name;
        }

        /** @return where this replica's reads go */
        DataSource dataSource() {
            return dataSource;
        }
    }

    /** What the primary's check returns. */
    private record PrimaryPosition(boolean inRecovery, long walPosition) {}

    /** What a replica's check returns; {@code replayAgeSeconds} is negative when unknown. */
    private record ReplicaPosition(boolean inRecovery, long replayPosition, double replayAgeSeconds) {}

    /**
     * Checks every node once (fails fast on a misconfiguration), then keeps checking the replicas.
     *
     * @param primary the primary
     * @param replicas the replicas by name, in order of preference
     * @param config the configuration
     */
    ReplicaHealth(DataSource primary, Map<String, DataSource> replicas, PostgresStoreConfig config) {
        this.primary = primary;
        this.config = config;
        List<Replica> list = new ArrayList<>();
        replicas.forEach((name, dataSource) -> list.add(new Replica(name, dataSource)));
        this.replicas = List.copyOf(list);
        checkPrimary();
        for (Replica replica : this.replicas) {
            check(replica, true);
        }
        checker = this.replicas.isEmpty()
                ? null
                : startChecker(config.healthCheckInterval().toMillis());
    }

    private ScheduledExecutorService startChecker(long intervalMillis) {
        ScheduledExecutorService scheduler =
                Executors.newScheduledThreadPool(Math.min(4, replicas.size() + 1), runnable -> {
                    Thread thread = new Thread(runnable, "dcb-replica-health");
                    thread.setDaemon(true);
                    checkerThreads.add(thread);
                    return thread;
                });
        scheduler.scheduleWithFixedDelay(this::checkAllQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        return scheduler;
    }

    /** @return whether any replica is configured */
    boolean hasReplicas() {
        return !replicas.isEmpty();
    }

    /** @return the next healthy replica, round-robin, or null. Replay positions are not used: the token check is exact. */
    Replica pick() {
        int size = replicas.size();
        int start = Math.floorMod(next.getAndIncrement(), size);
        for (int i = 0; i < size; i++) {
            Replica replica = replicas.get((start + i) % size);
            if (replica.status.healthy()) {
                return replica;
            }
        }
        return null;
    }

    /** @return whether any replica is healthy now */
    boolean anyHealthy() {
        return replicas.stream().anyMatch(replica -> replica.status.healthy());
    }

    /**
     * Takes a replica out of routing until its next good health check.
     *
     * @param replica the replica whose read failed
     * @param cause the failure
     */
    void markDown(Replica replica, EventStoreException cause) {
        ReplicaStatus old = replica.status;
        replica.status = unhealthy(replica, old, "read failed: " + cause.getMessage());
        if (old.healthy()) {
            LOG.warn(
                    "replica {} failed a read and gets no reads until its next good health check: {}",
                    replica.name,
                    cause.getMessage());
        }
    }

    private static ReplicaStatus unhealthy(Replica replica, ReplicaStatus old, String problem) {
        return new ReplicaStatus(
                replica.name,
                false,
                old.inRecovery(),
                old.lagBytes(),
                old.lagTime(),
                old.replayPosition(),
                Instant.now(),
                problem);
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
        PrimaryPosition position =
                DatabaseCall.run(primary, "checkPrimary", config.defaultTimeout(), null, (call, connection) -> {
                    try (PreparedStatement statement = call.prepare(connection, PRIMARY_POSITION);
                            ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        return new PrimaryPosition(rows.getBoolean(1), rows.getLong(2));
                    }
                });
        if (position.inRecovery()) {
            throw new ConfigurationException(
                    "the primary data source leads to a server in recovery (a standby): appends need the primary");
        }
        primaryPosition = position.walPosition();
    }

    private void check(Replica replica, boolean atStart) {
        Duration timeout = atStart ? config.defaultTimeout() : periodicCheckTimeout();
        try {
            ReplicaPosition position =
                    DatabaseCall.run(replica.dataSource, "checkReplica", timeout, null, (call, connection) -> {
                        try (PreparedStatement statement = call.prepare(connection, REPLICA_POSITION);
                                ResultSet rows = statement.executeQuery()) {
                            rows.next();
                            return new ReplicaPosition(rows.getBoolean(1), rows.getLong(2), rows.getDouble(3));
                        }
                    });
            if (!position.inRecovery() && atStart) {
                throw new ConfigurationException(
                        "replica '" + replica.name + "' is not in recovery: it is a primary, not a standby."
                                + " Point it at a streaming replica, or leave it out to read everything from the primary.");
            }
            replica.status = statusOf(replica, position);
        } catch (ConfigurationException e) {
            throw e;
        } catch (EventStoreException e) {
            if (atStart) {
                throw e;
            }
            replica.status = unhealthy(replica, replica.status, "unreachable: " + e.getMessage());
        }
    }

    /** @return the timeout of a replica's check after the start */
    private Duration periodicCheckTimeout() {
        return config.healthCheckInterval().multipliedBy(4);
    }

    /** @return the longest one check may take: the primary's or a replica's timeout */
    private Duration longestCheck() {
        Duration periodic = periodicCheckTimeout();
        return periodic.compareTo(config.defaultTimeout()) > 0 ? periodic : config.defaultTimeout();
    }

    private ReplicaStatus statusOf(Replica replica, ReplicaPosition position) {
        long lagBytes = Math.max(0, primaryPosition - position.replayPosition());
        Duration lagTime = lagBytes == 0 || position.replayAgeSeconds() < 0
                ? Duration.ZERO
                : Duration.ofMillis((long) (position.replayAgeSeconds() * 1000));
        String problem = !position.inRecovery()
                ? "not in recovery (promoted?)"
                : lagTime.compareTo(config.maxReplicaLag()) > 0 ? "lagging " + lagTime.toMillis() + " ms behind" : "";
        return new ReplicaStatus(
                replica.name,
                problem.isEmpty(),
                position.inRecovery(),
                lagBytes,
                lagTime,
                position.replayPosition(),
                Instant.now(),
                problem);
    }

    /** @return the last known state of every replica */
    List<ReplicaStatus> statuses() {
        return replicas.stream().map(replica -> replica.status).toList();
    }

    /** @return the replicas' data sources by name, in order */
    Map<String, DataSource> dataSources() {
        Map<String, DataSource> map = new LinkedHashMap<>();
        replicas.forEach(replica -> map.put(replica.name, replica.dataSource));
        return map;
    }

    /**
     * Stops the checker and waits for its threads to end (at most a check's own timeout), so that
     * the store's close returns with no thread of its own left, like the append notifier's.
     */
    @Override
    public void close() {
        if (checker != null) {
            checker.shutdownNow();
            try {
                // Joined, not only awaited: an executor reports terminated a moment before its threads end.
                long deadline = System.nanoTime() + longestCheck().toNanos() + TimeUnit.SECONDS.toNanos(1);
                for (Thread thread : checkerThreads) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left > 0) {
                        thread.join(left);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
