package io.dcbstore.simulator.load;

import io.dcbstore.AppendCondition;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.EventStream;
import io.dcbstore.Filter;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.Snapshot;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** An event store that adds the time spent in each call, and the call's kind, to the current request. */
public final class TimedEventStore implements EventStore {
    private final EventStore delegate;

    /** @param delegate the real store; closed by its owner, not by this wrapper */
    public TimedEventStore(EventStore delegate) {
        this.delegate = delegate;
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

    @Override
    public QueryResult query(Filter filter, ReadOptions options) {
        return timed(() -> delegate.query(filter, options), 0);
    }

    @Override
    public EventStream stream(Filter filter, ReadOptions options) {
        return timed(() -> delegate.stream(filter, options), 0);
    }

    @Override
    public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
        return timed(() -> delegate.append(events, condition, options), 1);
    }

    @Override
    public boolean saveSnapshot(Snapshot snapshot) {
        return timed(() -> delegate.saveSnapshot(snapshot), 2);
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
