package io.dcbstore.library.internal;

import io.dcbstore.EventStore;
import io.dcbstore.EventStoreException;
import io.dcbstore.Filter;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.Snapshot;
import io.dcbstore.library.LibraryEventCodec;
import io.dcbstore.library.QuerySettings;
import io.dcbstore.library.RecordedLibraryEvent;
import io.dcbstore.library.SnapshotStatistics;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs projections from their latest snapshot: loads it (keyed by projection type and the hash of
 * the filter without a sequence number restriction), reads only the events after it, applies them,
 * and saves a new snapshot when more than the configured number of events were applied.
 *
 * <p>Snapshots are an optimisation, never a reason to fail: a snapshot that cannot be loaded or
 * read is replaced by a full replay, and a failed save is logged and counted. Thread-safe.
 */
public final class SnapshottingProjector {
    private static final System.Logger LOG = System.getLogger(SnapshottingProjector.class.getName());

    private final EventStore store;
    private final QuerySettings settings;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong saves = new AtomicLong();
    private final AtomicLong saveFailures = new AtomicLong();
    private final AtomicLong loadFailures = new AtomicLong();

    /**
     * @param store the event store
     * @param settings whether and when to use snapshots
     */
    public SnapshottingProjector(EventStore store, QuerySettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /**
     * @param projection the projection
     * @param options how to read the events
     * @param <S> the projection's state
     * @return the state after every event the read could see, and the sequence number it reflects
     */
    public <S> Projected<S> project(Projection<S> projection, ReadOptions options) {
        Projected<S> start = settings.snapshotsEnabled()
                ? startFromSnapshot(projection)
                : new Projected<>(projection.initialState(), 0);
        Filter filter = projection.filter().sequenceNumberAfter(start.sequenceNumber());
        QueryResult result = store.query(filter, options);
        List<RecordedLibraryEvent> events = result.events().stream().map(LibraryEventCodec::decode).toList();
        S state = projection.project(start.state(), events);
        long sequenceNumber = Math.max(start.sequenceNumber(), result.maxSequenceNumber());
        if (settings.snapshotsEnabled() && events.size() > settings.snapshotAfterEvents()) {
            save(projection, state, sequenceNumber);
        }
        return new Projected<>(state, sequenceNumber);
    }

    /** @return what the snapshots did so far */
    public SnapshotStatistics statistics() {
        return new SnapshotStatistics(hits.get(), misses.get(), saves.get(), saveFailures.get(), loadFailures.get());
    }

    private <S> Projected<S> startFromSnapshot(Projection<S> projection) {
        Optional<Snapshot> snapshot = load(projection);
        if (snapshot.isPresent()) {
            try {
                S state = projection.fromJson(snapshot.get().state());
                hits.incrementAndGet();
                return new Projected<>(state, snapshot.get().sequenceNumber());
            } catch (IllegalArgumentException e) {
                loadFailures.incrementAndGet();
                LOG.log(Level.WARNING, "snapshot of " + projection.type() + " at sequence number "
                        + snapshot.get().sequenceNumber() + " cannot be read; replaying from the start", e);
            }
        }
        misses.incrementAndGet();
        return new Projected<>(projection.initialState(), 0);
    }

    private Optional<Snapshot> load(Projection<?> projection) {
        try {
            return store.loadSnapshot(projection.type(), projection.filter().hash());
        } catch (EventStoreException e) {
            loadFailures.incrementAndGet();
            LOG.log(Level.WARNING, "loading the snapshot of " + projection.type() + " failed; replaying from the start", e);
            return Optional.empty();
        }
    }

    private <S> void save(Projection<S> projection, S state, long sequenceNumber) {
        Snapshot snapshot = Snapshot.of(projection.type(), projection.filter(), sequenceNumber, projection.toJson(state));
        try {
            if (store.saveSnapshot(snapshot)) {
                saves.incrementAndGet();
            }
        } catch (EventStoreException e) {
            saveFailures.incrementAndGet();
            LOG.log(Level.WARNING, "saving the snapshot of " + projection.type() + " at sequence number "
                    + sequenceNumber + " failed; the query answered anyway", e);
        }
    }
}
