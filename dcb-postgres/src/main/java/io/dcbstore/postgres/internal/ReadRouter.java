package io.dcbstore.postgres.internal;

import io.dcbstore.CommitToken;
import io.dcbstore.Consistency;
import io.dcbstore.DatabaseException;
import io.dcbstore.Event;
import io.dcbstore.EventStream;
import io.dcbstore.Filter;
import io.dcbstore.OperationCancelledException;
import io.dcbstore.OperationTimeoutException;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.postgres.ReplicaStatus;
import io.dcbstore.postgres.RoutingStatistics;
import io.dcbstore.postgres.internal.ReplicaHealth.Replica;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Routes reads between the primary and the replicas. STRONG reads go to the primary. EVENTUAL
 * reads go round-robin to replicas that {@link ReplicaHealth} finds healthy. A read that fails on
 * a replica is served by the primary, the replica is marked down until its next successful
 * health check, and the fallback is counted.
 *
 * <p>Reads with a commit token never return stale data: on a replica the token's event must be
 * visible (checked in the same round trip); if no replica has it within
 * {@code readYourWritesWait}, the primary serves the read, waiting there only for the safe
 * high-water mark to pass the token (milliseconds).
 *
 * <p>Reads on the primary also see the appends their own thread made through this store: without
 * a newer token of their own they wait, for at most {@code readYourWritesWait}, until the safe
 * mark reaches the newest of this thread's recent appends that their filter matches
 * ({@link OwnAppends}). Without that, a thread
 * that appended event 105 while another append still held 104 would read its own boundary up to
 * 103, and its next conditional append would fail on its own event. Per thread, not per store:
 * under load a hole below the newest append of any thread is almost always there, while the
 * holes below a thread's own previous append are almost always filled (docs/design.md); to read
 * another thread's append, pass its commit token.
 */
public final class ReadRouter implements AutoCloseable {
    /** The node name of the primary in statistics and metrics. */
    public static final String PRIMARY = "primary";

    private static final long POLL_MILLIS = 2;
    private static final long FIRST_POLL_NANOS = 100_000;
    /** Replicas replay in milliseconds: their waits start at the longest poll. */
    private static final int REPLAY_POLLS = 5;

    private final PostgresEngine engine;
    private final DataSource primary;
    private final ReplicaHealth health;
    private final PostgresStoreConfig config;
    private final RoutingCounters counters = new RoutingCounters();
    private final Telemetry telemetry;
    /** The appends each thread made last through this store. */
    private final ThreadLocal<OwnAppends> acknowledged = ThreadLocal.withInitial(OwnAppends::new);

    /**
     * Checks every node once (fails fast on a misconfiguration), then keeps checking replicas.
     *
     * @param engine the engine
     * @param primary the primary
     * @param replicas the replicas by name, in order of preference
     * @param config the configuration
     * @param telemetry where fallbacks are reported
     */
    public ReadRouter(
            PostgresEngine engine,
            DataSource primary,
            Map<String, DataSource> replicas,
            PostgresStoreConfig config,
            Telemetry telemetry) {
        this.telemetry = telemetry;
        this.engine = engine;
        this.primary = primary;
        this.config = config;
        this.health = new ReplicaHealth(primary, replicas, config);
    }

    /**
     * @param filter what to read
     * @param options consistency, token, timeout, cancellation
     * @param call where the node that served it and the time spent waiting for the token go
     * @return the result, never staler than the token
     */
    public QueryResult query(Filter filter, ReadOptions options, StoreCall call) {
        Duration timeout = engine.timeoutOf(options.timeout());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (options.consistency() == Consistency.EVENTUAL && health.hasReplicas()) {
                // Any fallback to the primary gets what is left of the read's timeout.
                Optional<QueryResult> fromReplica = queryReplicas(filter, options, deadline, call);
                if (fromReplica.isPresent()) {
                    return fromReplica.get();
                }
            }
            return queryPrimary(filter, options, deadline, call);
        } catch (OperationTimeoutException e) {
            throw withReadTimeout(e, timeout);
        }
    }

    /**
     * Each round trip of a read gets what is left of the read's timeout, so one that runs out
     * reports that rest (a waiting read's last poll: a few milliseconds); the caller gave, and
     * exceeded, the read's own timeout.
     */
    private static OperationTimeoutException withReadTimeout(OperationTimeoutException e, Duration timeout) {
        return e.timeout().equals(timeout) ? e : new OperationTimeoutException(e.operation(), timeout, e);
    }

    private Optional<QueryResult> queryReplicas(Filter filter, ReadOptions options, long deadline, StoreCall call) {
        CommitToken token = options.atLeast();
        long waitUntil = Math.min(
                deadline, System.nanoTime() + config.readYourWritesWait().toNanos());
        while (true) {
            Replica replica = health.pick();
            if (replica == null) {
                if (token != null && health.anyHealthy() && System.nanoTime() < waitUntil) {
                    waitForToken(call, REPLAY_POLLS);
                    continue;
                }
                fallback(
                        token != null && health.anyHealthy()
                                ? ReadFallback.TOKEN_NOT_REPLAYED
                                : ReadFallback.NO_HEALTHY_REPLICA);
                return Optional.empty();
            }
            call.servedBy(replica.name());
            try {
                Optional<QueryResult> result =
                        engine.query(replica.dataSource(), filter, options, remaining(deadline, options));
                if (result.isPresent()) {
                    counters.replicaRead();
                    call.servedBy(replica.name());
                    return result;
                }
                if (System.nanoTime() >= waitUntil) {
                    fallback(ReadFallback.TOKEN_NOT_REPLAYED);
                    return Optional.empty();
                }
                waitForToken(call, REPLAY_POLLS);
            } catch (DatabaseException e) {
                // The replica failed (down, restarting, refused): the primary serves this read.
                health.markDown(replica, e);
                fallback(ReadFallback.REPLICA_FAILED);
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

    /**
     * Records an append this store acknowledged to the calling thread: its reads on the primary
     * that start later see it.
     *
     * @param lastSequenceNumber the append's last sequence number
     * @param events its events
     */
    public void acknowledged(long lastSequenceNumber, List<Event> events) {
        acknowledged.get().add(lastSequenceNumber, events);
    }

    private QueryResult queryPrimary(Filter filter, ReadOptions options, long deadline, StoreCall call) {
        call.servedBy(PRIMARY);
        long own = acknowledged.get().newestMatching(filter);
        ReadOptions effective = withOwnAppends(options, own);
        long ownUntil = System.nanoTime() + config.readYourWritesWait().toNanos();
        for (int polls = 0; ; polls++) {
            Optional<QueryResult> result = engine.query(primary, filter, effective, remaining(deadline, options));
            if (result.isPresent()) {
                counters.primaryRead();
                call.servedBy(PRIMARY);
                return result.get();
            }
            if (effective != options && System.nanoTime() >= ownUntil) {
                forgetStalled(own);
                effective = options;
                continue;
            }
            waitForToken(call, polls);
        }
    }

    /**
     * @return the options with a token for this thread's acknowledged appends, when that is newer
     *     than the caller's token; the options themselves otherwise
     */
    private static ReadOptions withOwnAppends(ReadOptions options, long own) {
        CommitToken token = options.atLeast();
        if (own == 0 || (token != null && token.sequenceNumber() >= own)) {
            return options;
        }
        return options.withAtLeast(new CommitToken(own, token == null ? 0 : token.walPosition()));
    }

    /**
     * An acknowledged append stayed above the safe mark for all of {@code readYourWritesWait}: an
     * append holding a lower number is stalled, or the log was reset under this store. Reads stop
     * waiting for it (their result is then the safe mark's, as for another process's appends; a
     * conditional append decided on it fails rather than writing wrongly).
     */
    private void forgetStalled(long own) {
        acknowledged.get().forget(own);
    }

    /**
     * Reads a subscription's page: on a healthy replica for EVENTUAL (the primary when none is, or
     * when the replica fails), else on the primary.
     *
     * @param filter what to read, with the position to read after
     * @param limit the most events
     * @param consistency where to read
     * @return the page
     */
    public EventPage page(Filter filter, int limit, Consistency consistency) {
        Duration timeout = config.defaultTimeout();
        EventPage fromReplica = onReplica(consistency, null, source -> engine.page(source, filter, limit, timeout));
        if (fromReplica != null) {
            return fromReplica;
        }
        EventPage page = engine.page(primary, filter, limit, timeout);
        counters.primaryRead();
        return page;
    }

    /**
     * Runs an EVENTUAL read on a healthy replica.
     *
     * @return its result, or {@code null} when the read is not EVENTUAL, no replica is healthy, or
     *     the replica failed (it is then marked down and the fallback counted): the primary's turn
     */
    private <T> T onReplica(Consistency consistency, StoreCall call, Function<DataSource, T> read) {
        if (consistency != Consistency.EVENTUAL || !health.hasReplicas()) {
            return null;
        }
        Replica replica = health.pick();
        if (replica == null) {
            return null;
        }
        try {
            T result = read.apply(replica.dataSource());
            counters.replicaRead();
            if (call != null) {
                call.servedBy(replica.name());
            }
            return result;
        } catch (DatabaseException e) {
            health.markDown(replica, e);
            fallback(ReadFallback.REPLICA_FAILED);
            return null;
        }
    }

    /**
     * Opens a stream on a healthy replica for EVENTUAL reads, else on the primary.
     *
     * @param filter what to read
     * @param options consistency, timeout, cancellation
     * @param call where the node that served it and the time spent waiting for the token go
     * @return the stream
     */
    public EventStream stream(Filter filter, ReadOptions options, StoreCall call) {
        try {
            return openStream(filter, options, call);
        } catch (OperationTimeoutException e) {
            throw withReadTimeout(e, engine.timeoutOf(options.timeout()));
        }
    }

    private EventStream openStream(Filter filter, ReadOptions options, StoreCall call) {
        if (options.atLeast() != null) {
            // A cursor has no visibility check of its own: wait on the primary until the token's
            // event is under the high-water mark; the cursor's later snapshot then includes it.
            awaitOnPrimary(options.atLeast().sequenceNumber(), null, options, call);
        } else {
            EventStream fromReplica =
                    onReplica(options.consistency(), call, source -> engine.stream(source, filter, options));
            if (fromReplica != null) {
                return fromReplica;
            }
            long own = acknowledged.get().newestMatching(filter);
            if (own > 0 && !awaitOnPrimary(own, config.readYourWritesWait(), options, call)) {
                forgetStalled(own);
            }
        }
        counters.primaryRead();
        call.servedBy(PRIMARY);
        return engine.stream(primary, filter, options);
    }

    /**
     * Waits on the primary until the safe mark reaches a sequence number, within the read's timeout.
     *
     * @param sequenceNumber the number to reach
     * @param bound how long to wait at most, or {@code null} for the read's whole timeout
     * @return whether it was reached within the bound
     */
    private boolean awaitOnPrimary(long sequenceNumber, Duration bound, ReadOptions options, StoreCall call) {
        CommitToken token = new CommitToken(sequenceNumber, 0);
        long started = System.nanoTime();
        long deadline = started + engine.timeoutOf(options.timeout()).toNanos();
        for (int polls = 0; !engine.tokenVisible(primary, token, remaining(deadline, options)); polls++) {
            if (bound != null && System.nanoTime() - started >= bound.toNanos()) {
                return false;
            }
            waitForToken(call, polls);
        }
        return true;
    }

    private void fallback(ReadFallback reason) {
        counters.fallback(reason);
        try {
            telemetry.fallback(reason);
        } catch (RuntimeException e) {
            // Telemetry never changes what a read returns; the counters above still count it.
        }
    }

    /** @return the last known state of every replica */
    public List<ReplicaStatus> replicaStatus() {
        return health.statuses();
    }

    /** @return the routing counters */
    public RoutingStatistics statistics() {
        return counters.snapshot();
    }

    /** @return the replicas' data sources by name, in order */
    public Map<String, DataSource> replicaDataSources() {
        return health.dataSources();
    }

    /**
     * Waits for a commit token to become visible, first briefly (an append in flight commits in
     * well under a millisecond), then longer; the call learns how long.
     */
    private static void waitForToken(StoreCall call, int polls) {
        long started = System.nanoTime();
        long nanos = Math.min(FIRST_POLL_NANOS << Math.min(polls, 5), POLL_MILLIS * 1_000_000);
        LockSupport.parkNanos(nanos);
        call.waitedForToken(System.nanoTime() - started);
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new OperationCancelledException("query", new InterruptedException());
        }
    }

    @Override
    public void close() {
        health.close();
    }
}
