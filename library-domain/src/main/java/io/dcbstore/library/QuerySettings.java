package io.dcbstore.library;

import io.dcbstore.library.internal.Problems;

/**
 * How {@link LibraryQueries} uses snapshots. A query loads the projection's snapshot, reads only
 * the events after it, and saves a new snapshot when it applied more than
 * {@code snapshotAfterEvents} new events. Immutable; derive variants with the {@code with...} methods.
 *
 * @param snapshotsEnabled whether snapshots are loaded and saved at all
 * @param snapshotAfterEvents save a snapshot when a query applied more than this many new events; 0 or more
 */
public record QuerySettings(boolean snapshotsEnabled, int snapshotAfterEvents) {
    /** Validates the settings; throws {@link InvalidLibraryInputException}. */
    public QuerySettings {
        new Problems().check(snapshotAfterEvents >= 0, "snapshotAfterEvents must not be negative, got " + snapshotAfterEvents)
                .throwIfAny();
    }

    /** @return snapshots enabled, saved after more than 500 new events */
    public static QuerySettings defaults() {
        return new QuerySettings(true, 500);
    }

    /** @return a copy that never loads or saves snapshots: every query replays from the start */
    public QuerySettings withoutSnapshots() {
        return new QuerySettings(false, snapshotAfterEvents);
    }

    /** @return a copy that saves a snapshot after more than the given number of new events */
    public QuerySettings withSnapshotAfterEvents(int events) {
        return new QuerySettings(snapshotsEnabled, events);
    }
}
