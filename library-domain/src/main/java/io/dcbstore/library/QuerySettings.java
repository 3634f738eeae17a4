package io.dcbstore.library;

import io.dcbstore.library.internal.Problems;
import java.time.Duration;

/**
 * How {@link LibraryQueries} avoids replaying the log. Two layers, each optional:
 *
 * <ul>
 *   <li><b>Memory cache</b> (in this process): per projection, the latest state and the sequence
 *       number it reflects. A query starts from it and reads only newer events, so a query that
 *       finds no new events costs one small read.</li>
 *   <li><b>Store snapshots</b> (shared by processes, survive restarts): on a memory-cache miss, a
 *       query loads the projection's snapshot and reads only the events after it. A snapshot is
 *       saved when more than {@code snapshotAfterEvents} events were applied since the state was
 *       last saved or loaded and, with {@code scaledToState} (the default), more events than the
 *       state has entries: writing a snapshot costs in proportion to the state, so a state of
 *       200,000 copies is saved after 200,000 new events at the earliest, not every few hundred.
 *       By default a save runs on a background thread of the query handler (one at a time per
 *       projection; a save due while the last one still runs waits for the next), so the query
 *       that finds it due does not wait for the state to be written; {@code saveInBackground}
 *       off runs it inside that query. A failed save is logged and counted and never fails a
 *       query.</li>
 * </ul>
 *
 * <p><b>Bounded staleness</b> ({@code maxStaleness}, off by default): an eventual read without a
 * commit token may be answered from the memory cache without a read when the cached state was
 * read from the store less than {@code maxStaleness} ago (measured from the start of that read;
 * a replica's own lag comes on top). A reader's loans are then answered from one shared
 * projection of every reader's loans instead of a read of that reader's events, so the queries
 * within a window share one read instead of making one each (when a window ends, the queries that
 * arrive while its refreshing read runs read too: there is no single flight). Strong reads and reads with a
 * commit token always read the store.
 *
 * <p>With both off, every query replays the projection's events from the start. Immutable; derive
 * variants with the {@code with...} methods.
 *
 * @param snapshotsEnabled whether store snapshots are loaded and saved at all
 * @param snapshotAfterEvents save a snapshot when more than this many events were applied since the
 *     state was last saved or loaded; 0 or more
 * @param memoryCache whether the latest state of each projection is kept in memory
 * @param scaledToState whether a snapshot also waits for more new events than its state has entries
 * @param maxStaleness how old a cached state may be to answer an eventual read without reading
 *     the store; zero: every query reads
 * @param saveInBackground whether snapshots are saved on a background thread rather than inside the query
 */
public record QuerySettings(
        boolean snapshotsEnabled,
        int snapshotAfterEvents,
        boolean memoryCache,
        boolean scaledToState,
        Duration maxStaleness,
        boolean saveInBackground) {
    /** Validates the settings; throws {@link InvalidLibraryInputException}. */
    public QuerySettings {
        new Problems()
                .check(snapshotAfterEvents >= 0, "snapshotAfterEvents must not be negative, got " + snapshotAfterEvents)
                .notNull("maxStaleness", maxStaleness)
                .throwIfAny();
        new Problems()
                .check(!maxStaleness.isNegative(), "maxStaleness must not be negative, got " + maxStaleness)
                .check(maxStaleness.isZero() || memoryCache, "maxStaleness needs the memory cache")
                .throwIfAny();
    }

    /**
     * The settings as they were before background saves: snapshots are saved inside the query.
     *
     * @param snapshotsEnabled whether store snapshots are loaded and saved at all
     * @param snapshotAfterEvents save a snapshot when more than this many events were applied since
     * @param memoryCache whether the latest state of each projection is kept in memory
     * @param scaledToState whether a snapshot also waits for more new events than its state has entries
     * @param maxStaleness how old a cached state may be to answer an eventual read without reading
     */
    public QuerySettings(
            boolean snapshotsEnabled,
            int snapshotAfterEvents,
            boolean memoryCache,
            boolean scaledToState,
            Duration maxStaleness) {
        this(snapshotsEnabled, snapshotAfterEvents, memoryCache, scaledToState, maxStaleness, false);
    }

    /**
     * @return memory cache on, store snapshots on, saved after more than 500 new events and more
     *     new events than the state has entries, saved in the background, every query reads the
     *     store (no staleness)
     */
    public static QuerySettings defaults() {
        return new QuerySettings(true, 500, true, true, Duration.ZERO, true);
    }

    /**
     * @param background whether snapshots are saved on a background thread (true) or inside the
     *     query that finds them due (false)
     * @return a copy with that choice
     */
    public QuerySettings withSnapshotsSavedInBackground(boolean background) {
        return new QuerySettings(
                snapshotsEnabled, snapshotAfterEvents, memoryCache, scaledToState, maxStaleness, background);
    }

    /**
     * @return a copy that never loads or saves store snapshots; the memory cache is unchanged (turn it
     *     off too, with {@code withMemoryCache(false)}, to replay from the start on every query)
     */
    public QuerySettings withoutSnapshots() {
        return new QuerySettings(
                false, snapshotAfterEvents, memoryCache, scaledToState, maxStaleness, saveInBackground);
    }

    /** @return a copy that saves a snapshot after more than the given number of new events */
    public QuerySettings withSnapshotAfterEvents(int events) {
        return new QuerySettings(snapshotsEnabled, events, memoryCache, scaledToState, maxStaleness, saveInBackground);
    }

    /**
     * @param enabled whether to keep the latest state of each projection in memory
     * @return a copy with the memory cache on or off; turning it off also sets
     *     {@link #maxStaleness()} to zero (bounded staleness needs the cache), and turning it on
     *     again does not restore it
     */
    public QuerySettings withMemoryCache(boolean enabled) {
        return new QuerySettings(
                snapshotsEnabled,
                snapshotAfterEvents,
                enabled,
                scaledToState,
                enabled ? maxStaleness : Duration.ZERO,
                saveInBackground);
    }

    /**
     * @param scaled whether a snapshot also waits for more new events than its state has entries
     * @return a copy with that rule on or off (off: only {@code snapshotAfterEvents} counts)
     */
    public QuerySettings withSnapshotsScaledToState(boolean scaled) {
        return new QuerySettings(
                snapshotsEnabled, snapshotAfterEvents, memoryCache, scaled, maxStaleness, saveInBackground);
    }

    /**
     * @param staleness how old a cached state may be to answer an eventual read without reading the
     *     store; zero turns it off
     * @return a copy with that bound
     */
    public QuerySettings withMaxStaleness(Duration staleness) {
        return new QuerySettings(
                snapshotsEnabled, snapshotAfterEvents, memoryCache, scaledToState, staleness, saveInBackground);
    }
}
