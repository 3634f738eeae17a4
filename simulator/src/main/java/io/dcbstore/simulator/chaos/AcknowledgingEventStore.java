package io.dcbstore.simulator.chaos;

import io.dcbstore.AppendCondition;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.EventStream;
import io.dcbstore.EventSubscription;
import io.dcbstore.Filter;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.Snapshot;
import io.dcbstore.SubscriptionOptions;
import java.util.List;
import java.util.Optional;

/** An event store that keeps every append its delegate acknowledged in {@link AcknowledgedAppends}. */
public final class AcknowledgingEventStore implements EventStore {
    private final EventStore delegate;
    private final AcknowledgedAppends acknowledged;

    /**
     * @param delegate the real store; closed by its owner, not by this wrapper
     * @param acknowledged where acknowledged appends go
     */
    public AcknowledgingEventStore(EventStore delegate, AcknowledgedAppends acknowledged) {
        this.delegate = delegate;
        this.acknowledged = acknowledged;
    }

    @Override
    public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
        AppendResult result = delegate.append(events, condition, options);
        acknowledged.record(result, events);
        return result;
    }

    @Override
    public QueryResult query(Filter filter, ReadOptions options) {
        return delegate.query(filter, options);
    }

    @Override
    public EventSubscription subscribe(Filter filter, long afterSequenceNumber, SubscriptionOptions options) {
        return delegate.subscribe(filter, afterSequenceNumber, options);
    }

    @Override
    public EventStream stream(Filter filter, ReadOptions options) {
        return delegate.stream(filter, options);
    }

    @Override
    public boolean saveSnapshot(Snapshot snapshot) {
        return delegate.saveSnapshot(snapshot);
    }

    @Override
    public Optional<Snapshot> loadSnapshot(String projectionType, String filterHash) {
        return delegate.loadSnapshot(projectionType, filterHash);
    }

    @Override
    public boolean deleteSnapshot(String projectionType, String filterHash) {
        return delegate.deleteSnapshot(projectionType, filterHash);
    }

    @Override
    public void close() {
        // The owner closes the real store.
    }
}
