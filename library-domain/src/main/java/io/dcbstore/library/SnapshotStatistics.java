package io.dcbstore.library;

/**
 * What the query handler's snapshots did since it was created. A high miss count means
 * projections are replayed from the start; save or load failures mean the snapshot table has a
 * problem (queries still answer, from the log).
 *
 * @param hits queries that started from a saved snapshot
 * @param misses queries that found no usable snapshot and replayed from the start
 * @param saves snapshots saved
 * @param saveFailures snapshot saves that failed (the query still answered)
 * @param loadFailures snapshot loads that failed or could not be read (the query replayed instead)
 */
public record SnapshotStatistics(long hits, long misses, long saves, long saveFailures, long loadFailures) {
}
