package io.dcbstore.testkit;

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

/** An event store that forwards every call; tests override a method to inject a failure or record a call. */
public class DelegatingEventStore implements EventStore {
    private final EventStore delegate;

    /** @param delegate the store every call goes to */
    public DelegatingEventStore(EventStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public QueryResult query(Filter filter, ReadOptions options) {
        return delegate.query(filter, options);
    }

    @Override
    public EventStream stream(Filter filter, ReadOptions options) {
        return delegate.stream(filter, options);
    }

    @Override
    public EventSubscription subscribe(Filter filter, long afterSequenceNumber, SubscriptionOptions options) {
        return delegate.subscribe(filter, afterSequenceNumber, options);
    }

    @Override
    public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
        return delegate.append(events, condition, options);
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
        delegate.close();
    }
}
