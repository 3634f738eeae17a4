package io.dcbstore.simulator.load;

import io.dcbstore.AppendCondition;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.EventStream;
import io.dcbstore.EventSubscription;
import io.dcbstore.Filter;
import io.dcbstore.OperationTimeoutException;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.Snapshot;
import io.dcbstore.SubscriptionOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An event store that adds the time spent in each call, and the call's kind, to the current
 * request, and bounds each query and append by what is left of the request's timeout (deadline
 * propagation): a request that waited in the queue does not get a full timeout per call, and a
 * call that could not finish in time is not started. It also tells an observer when each snapshot
 * save started and ended, for the report's account of what ran in each window.
 */
public final class TimedEventStore implements EventStore {
    /** A call with less time left than this is not started: it could not finish. */
    private static final long MIN_CALL_NANOS = 1_000_000;

    /** Told of every {@link #saveSnapshot} call, when it has returned or failed. */
    @FunctionalInterface
    public interface SnapshotSaves {
        /**
         * @param projectionType the snapshot's projection
         * @param stateChars the length of its JSON state
         * @param startNanos when the call started ({@link System#nanoTime})
         * @param endNanos when it ended
         */
        void saved(String projectionType, int stateChars, long startNanos, long endNanos);
    }

    private final EventStore delegate;
    private final SnapshotSaves snapshotSaves;

    /** @param delegate the real store; closed by its owner, not by this wrapper */
    public TimedEventStore(EventStore delegate) {
        this(delegate, (projectionType, stateChars, startNanos, endNanos) -> {});
    }

    /**
     * @param delegate the real store; closed by its owner, not by this wrapper
     * @param snapshotSaves told when each snapshot save started and ended
     */
    public TimedEventStore(EventStore delegate, SnapshotSaves snapshotSaves) {
        this.delegate = delegate;
        this.snapshotSaves = snapshotSaves;
    }

    private static <T> T timed(Supplier<T> call, int kind) {
        RequestContext context = RequestContext.current();
        long started = System.nanoTime();
        try {
            return call.get();
        } finally {
            context.storeNanos += System.nanoTime() - started;
            context.storeCalls++;
            switch (kind) {
                case 0 -> context.queries++;
                case 1 -> context.appends++;
                default -> context.snapshotCalls++;
            }
        }
    }

    /**
     * The time left until the current request's deadline, capped by the caller's own timeout.
     *
     * @param operation the store operation, for the exception
     * @param requested the caller's timeout, or {@code null} for the store's default
     * @return the timeout to pass on, or {@code requested} when the request has no deadline
     * @throws OperationTimeoutException when the deadline has passed: the call is not made
     */
    private static Duration remaining(String operation, Duration requested) {
        RequestContext context = RequestContext.current();
        long deadline = context.deadlineNanos;
        if (deadline == Long.MAX_VALUE) {
            return requested;
        }
        long left = deadline - System.nanoTime();
        if (left < MIN_CALL_NANOS) {
            throw new OperationTimeoutException(operation, Duration.ofNanos(context.timeoutNanos), null);
        }
        Duration remaining = Duration.ofNanos(left);
        return requested == null || requested.compareTo(remaining) > 0 ? remaining : requested;
    }

    @Override
    public QueryResult query(Filter filter, ReadOptions options) {
        Duration timeout = remaining("query", options.timeout());
        ReadOptions bounded = timeout == options.timeout() ? options : options.withTimeout(timeout);
        return timed(() -> delegate.query(filter, bounded), 0);
    }

    @Override
    public EventStream stream(Filter filter, ReadOptions options) {
        return timed(() -> delegate.stream(filter, options), 0);
    }

    @Override
    public EventSubscription subscribe(Filter filter, long afterSequenceNumber, SubscriptionOptions options) {
        return delegate.subscribe(filter, afterSequenceNumber, options);
    }

    @Override
    public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
        Duration timeout = remaining("append", options.timeout());
        AppendOptions bounded = timeout == options.timeout() ? options : options.withTimeout(timeout);
        return timed(() -> delegate.append(events, condition, bounded), 1);
    }

    @Override
    public boolean saveSnapshot(Snapshot snapshot) {
        long started = System.nanoTime();
        try {
            return timed(() -> delegate.saveSnapshot(snapshot), 2);
        } finally {
            snapshotSaves.saved(snapshot.projectionType(), snapshot.state().length(), started, System.nanoTime());
        }
    }

    @Override
    public Optional<Snapshot> loadSnapshot(String projectionType, String filterHash) {
        return timed(() -> delegate.loadSnapshot(projectionType, filterHash), 2);
    }

    @Override
    public boolean deleteSnapshot(String projectionType, String filterHash) {
        return timed(() -> delegate.deleteSnapshot(projectionType, filterHash), 2);
    }

    @Override
    public void close() {
        // The owner closes the real store.
    }
}
