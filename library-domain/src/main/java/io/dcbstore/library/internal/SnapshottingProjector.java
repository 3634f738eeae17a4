package io.dcbstore.library.internal;

import io.dcbstore.Consistency;
import io.dcbstore.EventStore;
import io.dcbstore.EventStoreException;
import io.dcbstore.EventStream;
import io.dcbstore.Filter;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.Snapshot;
import io.dcbstore.library.LibraryEventCodec;
import io.dcbstore.library.QuerySettings;
import io.dcbstore.library.RecordedLibraryEvent;
import io.dcbstore.library.SnapshotStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs projections without replaying the log: starts from the state cached in memory, or on a miss
 * from the store snapshot (keyed by projection type and the hash of the filter without a sequence
 * number restriction), reads only the events after it with the caller's read options, applies
 * them, and publishes the new state to the memory cache if it is newer than the cached one. Saves a
 * store snapshot when more than the configured number of events (and, if so configured, more
 * events than the state has entries, {@link Projection#entries}) were applied since the state was
 * last saved or loaded.
 *
 * <p><b>Consistency.</b> Every query reads the events after its starting state, with the caller's
 * options, so a commit token is always honoured by that read; the one exception is bounded
 * staleness ({@link QuerySettings#maxStaleness()}): an eventual read without a commit token is
 * answered from the cached state, without a read, when a read that started less than that long
 * ago found the state current. The result reflects exactly the
 * events up to its sequence number: the starting state's, then the ones read (reads are gap-free).
 * The cache never moves backwards: a state replaces the cached one only if its sequence number is
 * higher (compare-and-set).
 *
 * <p><b>Shared reads.</b> Queries of one projection that arrive while another query's read of it is
 * in flight wait for that read when it serves them as well as their own would ({@link SharedReads}:
 * it started after they arrived, or within the staleness bound before; it is at least as strong),
 * so under load a projection is read and its events applied once per read, not once per query.
 *
 * <p><b>Thread-safety.</b> States are immutable ({@link Projection#project} returns a new state
 * and never modifies its input), so a cached state is shared by concurrent queries without copying;
 * a state is copied only when there are new events to apply.
 *
 * <p>Snapshots are an optimisation, never a reason to fail: a snapshot that cannot be loaded or
 * read is replaced by a full replay, and a failed save is logged and counted. The cache holds one
 * state per projection key (one per reader for the per-reader projection) for the life of this
 * object. Thread-safe.
 */
public final class SnapshottingProjector {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshottingProjector.class);

    private final EventStore store;
    private final QuerySettings settings;
    private final HandlerTelemetry telemetry;
    private final long stalenessNanos;
    private final ConcurrentMap<CacheKey, Cached<?>> cache = new ConcurrentHashMap<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong loadFailures = new AtomicLong();
    private final AtomicLong memoryHits = new AtomicLong();
    private final AtomicLong memoryMisses = new AtomicLong();
    private final AtomicLong answeredWithoutRead = new AtomicLong();
    private final SharedReads<CacheKey> sharedReads = new SharedReads<>();
    /** Events applied at a time when a projection replays its history. */
    private static final int REPLAY_BATCH = 10_000;

    private final SnapshotSaver saver;

    /**
     * @param store the event store
     * @param settings whether to cache in memory, and whether and when to use store snapshots
     * @param telemetry where queries are recorded
     */
    public SnapshottingProjector(EventStore store, QuerySettings settings, HandlerTelemetry telemetry) {
        this.store = store;
        this.settings = settings;
        this.telemetry = telemetry;
        this.stalenessNanos = settings.maxStaleness().toNanos();
        this.saver = new SnapshotSaver(store);
        telemetry.watch(this::statistics);
    }

    /**
     * Computes a result from a projection's state and sequence number.
     *
     * @param <S> the projection's state
     * @param <R> the result
     */
    @FunctionalInterface
    public interface ResultOf<S, R> {
        /**
         * @param state the state; must not be modified
         * @param sequenceNumber the sequence number it reflects
         * @return the result; a pure function of the arguments, immutable
         */
        R of(S state, long sequenceNumber);
    }

    /**
     * @param projection the projection
     * @param options how to read the events
     * @param <S> the projection's state
     * @return the state after every event the read could see, and the sequence number it reflects
     */
    public <S> Projected<S> project(Projection<S> projection, ReadOptions options) {
        return project(projection, options, Projected::new);
    }

    /**
     * Projects and computes a result from the state. When the state is the one in the memory cache,
     * the result is computed once per cached state and shared (memoised by the identity of
     * {@code resultOf}: pass a constant to benefit).
     *
     * @param projection the projection
     * @param options how to read the events
     * @param resultOf computes the result from the state and its sequence number
     * @param <S> the projection's state
     * @param <R> the result
     * @return the result for the state after every event the read could see
     */
    public <S, R> R project(Projection<S> projection, ReadOptions options, ResultOf<S, R> resultOf) {
        String query = HandlerTelemetry.nameOf(projection.getClass());
        return HandlerCall.record(
                () -> telemetry.query(query),
                call -> answer(projection, options, resultOf, query),
                result -> "success");
    }

    private <S, R> R answer(Projection<S> projection, ReadOptions options, ResultOf<S, R> resultOf, String query) {
        CacheKey key = settings.memoryCache() ? CacheKey.of(projection) : null;
        Cached<S> cached = key == null ? null : cached(key);
        long arrived = System.nanoTime();
        if (cached != null && freshEnough(cached, options, arrived)) {
            answeredWithoutRead.incrementAndGet();
            return cached.result(resultOf);
        }
        if (key == null || !SharedReads.shareable(options)) {
            return readAndApply(projection, options, key, cached, query).result(resultOf);
        }
        // A read that started after this query arrived (or within the staleness bound before) serves it.
        long oldestUsableStart = allowsStaleAnswers(options) ? arrived - stalenessNanos : arrived;
        Cached<S> next = sharedReads.read(
                key, options, oldestUsableStart, () -> readAndApply(projection, options, key, latest(key), query));
        return next.result(resultOf);
    }

    /**
     * Reads the events after the starting state (the cached one, else a snapshot or the initial
     * state), applies them, publishes the new state and saves a snapshot when one is due.
     *
     * @return the new state, or the cached one when the read found nothing newer
     */
    private <S> Cached<S> readAndApply(
            Projection<S> projection, ReadOptions options, CacheKey key, Cached<S> cached, String query) {
        long readStarted = System.nanoTime();
        Cached<S> start = cached != null ? cached : coldStart(projection);
        Filter filter = projection.filter().sequenceNumberAfter(start.sequenceNumber);
        Applied<S> applied = cached == null && projection.usesStoreSnapshots()
                ? streamed(projection, filter, options, start.state)
                : read(projection, filter, options, start.state);
        if (applied.events() == 0 && cached != null) {
            cached.readAt(readStarted);
            return cached;
        }
        S state = applied.state();
        HandlerCall.quietly(() -> telemetry.eventsApplied(query, (int) applied.events()));
        long sequenceNumber = Math.max(start.sequenceNumber, applied.maxSequenceNumber());
        long unsaved = start.unsavedEvents + applied.events();
        boolean saveDue = settings.snapshotsEnabled()
                && projection.usesStoreSnapshots()
                && unsaved > settings.snapshotAfterEvents()
                && (!settings.scaledToState() || unsaved > projection.entries(state));
        Cached<S> next = new Cached<>(state, sequenceNumber, saveDue ? 0 : unsaved, readStarted);
        boolean published = key != null && publish(key, next);
        if (saveDue && (key == null || published)) {
            if (settings.saveInBackground()) {
                saver.saveInBackground(projection, state, sequenceNumber);
            } else {
                saver.save(projection, state, sequenceNumber);
            }
        }
        return next;
    }

    /** The events after a state, read in one result and applied at once (a catch-up: few events). */
    private <S> Applied<S> read(Projection<S> projection, Filter filter, ReadOptions options, S from) {
        QueryResult result = store.query(filter, options);
        List<RecordedLibraryEvent> events =
                result.events().stream().map(LibraryEventCodec::decode).toList();
        S state = events.isEmpty() ? from : projection.project(from, events);
        return new Applied<>(state, result.maxSequenceNumber(), events.size());
    }

    /**
     * The events after a state read through a cursor and applied in batches, for a projection's
     * first state in this process (a replay from the start or from a snapshot: up to the whole
     * log). The memory it takes is the state's and one batch's, however long the log.
     */
    private <S> Applied<S> streamed(Projection<S> projection, Filter filter, ReadOptions options, S from) {
        S state = from;
        long count = 0;
        List<RecordedLibraryEvent> batch = new ArrayList<>(REPLAY_BATCH);
        try (EventStream stream = store.stream(filter, options)) {
            while (stream.hasNext()) {
                batch.add(LibraryEventCodec.decode(stream.next()));
                if (batch.size() == REPLAY_BATCH || !stream.hasNext()) {
                    state = projection.project(state, batch);
                    count += batch.size();
                    batch = new ArrayList<>(REPLAY_BATCH);
                }
            }
            return new Applied<>(state, stream.maxSequenceNumberSoFar(), count);
        }
    }

    /** A state after applying events, the highest sequence number read, and how many events. */
    private record Applied<S>(S state, long maxSequenceNumber, long events) {}

    /**
     * @param options a query's read options
     * @return whether bounded staleness applies to such a query: it is on, and the read is eventual
     *     without a commit token (so a recently read cached state may answer it without a read)
     */
    public boolean allowsStaleAnswers(ReadOptions options) {
        return stalenessNanos > 0 && options.consistency() == Consistency.EVENTUAL && options.atLeast() == null;
    }

    /**
     * @param projection a projection
     * @return whether this process holds a state of it in memory (it was queried before)
     */
    public boolean holds(Projection<?> projection) {
        return settings.memoryCache() && cache.containsKey(CacheKey.of(projection));
    }

    /** Whether a cached state may answer without a read: it was read less than the staleness bound ago. */
    private boolean freshEnough(Cached<?> cached, ReadOptions options, long now) {
        return allowsStaleAnswers(options) && now - cached.readAtNanos() < stalenessNanos;
    }

    /** @return what the memory cache and the snapshots did so far */
    public SnapshotStatistics statistics() {
        return new SnapshotStatistics(
                hits.get(),
                misses.get(),
                saver.saves(),
                saver.failures(),
                loadFailures.get(),
                memoryHits.get(),
                memoryMisses.get(),
                answeredWithoutRead.get(),
                sharedReads.sharedCount());
    }

    private <S> Cached<S> cached(CacheKey key) {
        Cached<S> cached = latest(key);
        (cached != null ? memoryHits : memoryMisses).incrementAndGet();
        return cached;
    }

    @SuppressWarnings("unchecked") // the key's projection type determines the state type
    private <S> Cached<S> latest(CacheKey key) {
        return (Cached<S>) cache.get(key);
    }

    /** Publishes the state unless the cache already holds one at least as new; never moves backwards. */
    private boolean publish(CacheKey key, Cached<?> next) {
        while (true) {
            Cached<?> current = cache.get(key);
            if (current == null) {
                if (cache.putIfAbsent(key, next) == null) {
                    return true;
                }
            } else if (current.sequenceNumber >= next.sequenceNumber) {
                return false;
            } else if (cache.replace(key, current, next)) {
                return true;
            }
        }
    }

    private <S> Cached<S> coldStart(Projection<S> projection) {
        if (!settings.snapshotsEnabled() || !projection.usesStoreSnapshots()) {
            return new Cached<>(projection.initialState(), 0, 0, 0);
        }
        Optional<Snapshot> snapshot = load(projection);
        if (snapshot.isPresent()) {
            try {
                S state = projection.fromJson(snapshot.get().state());
                hits.incrementAndGet();
                return new Cached<>(state, snapshot.get().sequenceNumber(), 0, 0);
            } catch (IllegalArgumentException e) {
                loadFailures.incrementAndGet();
                LOG.warn(
                        "snapshot of " + projection.type() + " at sequence number "
                                + snapshot.get().sequenceNumber() + " cannot be read; replaying from the start",
                        e);
            }
        }
        misses.incrementAndGet();
        return new Cached<>(projection.initialState(), 0, 0, 0);
    }

    private Optional<Snapshot> load(Projection<?> projection) {
        try {
            return store.loadSnapshot(projection.type(), projection.filter().hash());
        } catch (EventStoreException e) {
            loadFailures.incrementAndGet();
            LOG.warn("loading the snapshot of " + projection.type() + " failed; replaying from the start", e);
            return Optional.empty();
        }
    }

    /** Keys the memory cache like the store keys snapshots. */
    record CacheKey(String projectionType, String filterHash) {
        static CacheKey of(Projection<?> projection) {
            return new CacheKey(projection.type(), projection.filter().hash());
        }
    }

    /**
     * An immutable state with the sequence number it reflects and how many events were applied
     * since it was last saved or loaded, plus the last result computed from it and when the
     * latest read that found it current started.
     */
    private static final class Cached<S> {
        private final S state;
        private final long sequenceNumber;
        private final long unsavedEvents;
        private final AtomicLong readAtNanos;
        private volatile Memo memo;

        Cached(S state, long sequenceNumber, long unsavedEvents, long readAtNanos) {
            this.state = state;
            this.sequenceNumber = sequenceNumber;
            this.unsavedEvents = unsavedEvents;
            this.readAtNanos = new AtomicLong(readAtNanos);
        }

        long readAtNanos() {
            return readAtNanos.get();
        }

        /** @param startedNanos the start of a read that found no newer event; moves forward only */
        void readAt(long startedNanos) {
            readAtNanos.accumulateAndGet(startedNanos, (current, next) -> next - current > 0 ? next : current);
        }

        @SuppressWarnings("unchecked") // the memo's function produced the value
        <R> R result(ResultOf<S, R> resultOf) {
            Memo current = memo;
            if (current != null && current.resultOf == resultOf) {
                return (R) current.value;
            }
            R value = resultOf.of(state, sequenceNumber);
            memo = new Memo(resultOf, value);
            return value;
        }
    }

    private record Memo(Object resultOf, Object value) {}
}
