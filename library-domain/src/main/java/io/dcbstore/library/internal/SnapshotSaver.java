package io.dcbstore.library.internal;

import io.dcbstore.EventStore;
import io.dcbstore.EventStoreException;
import io.dcbstore.Snapshot;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes projections' store snapshots for a {@link SnapshottingProjector}, in the query or on one
 * background thread. A snapshot is an optimisation: a failed save is logged and counted, never
 * thrown. Thread-safe.
 */
final class SnapshotSaver {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSaver.class);

    private final EventStore store;
    private final AtomicLong saves = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** Projections whose snapshot a background save is writing now. */
    private final Set<SnapshottingProjector.CacheKey> saving = ConcurrentHashMap.newKeySet();
    /** The background saves' one daemon thread, which ends when idle (no close needed). */
    private final ThreadPoolExecutor background =
            new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "projection-snapshot-saves");
                thread.setDaemon(true);
                return thread;
            });

    SnapshotSaver(EventStore store) {
        this.store = store;
    }

    /**
     * Saves on the one background thread (the state is immutable, so it can be written while
     * queries go on): one save at a time, so at most one pool connection; a save due while this
     * projection's last one still waits or runs is skipped.
     */
    <S> void saveInBackground(Projection<S> projection, S state, long sequenceNumber) {
        SnapshottingProjector.CacheKey key = SnapshottingProjector.CacheKey.of(projection);
        if (!saving.add(key)) {
            return;
        }
        try {
            background.execute(() -> {
                try {
                    save(projection, state, sequenceNumber);
                } finally {
                    saving.remove(key);
                }
            });
        } catch (RuntimeException e) {
            saving.remove(key);
            throw e;
        }
    }

    /** Saves now, in the caller's thread. */
    <S> void save(Projection<S> projection, S state, long sequenceNumber) {
        Snapshot snapshot =
                Snapshot.of(projection.type(), projection.filter(), sequenceNumber, projection.toJson(state));
        try {
            if (store.saveSnapshot(snapshot)) {
                saves.incrementAndGet();
            }
        } catch (EventStoreException e) {
            failures.incrementAndGet();
            LOG.warn(
                    "saving the snapshot of " + projection.type() + " at sequence number " + sequenceNumber
                            + " failed; the query answered anyway",
                    e);
        }
    }

    /** @return snapshots saved so far */
    long saves() {
        return saves.get();
    }

    /** @return saves that failed so far */
    long failures() {
        return failures.get();
    }
}
