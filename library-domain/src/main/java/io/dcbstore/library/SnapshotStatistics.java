package io.dcbstore.library;

/**
 * What the query handler's memory cache and store snapshots did since it was created. A query
 * first looks in the memory cache ({@code memoryCacheHits}, {@code memoryCacheMisses}); only on a
 * miss does it load the store snapshot ({@code hits}, {@code misses}). A high miss count means
 * projections are replayed from the start; save or load failures mean the snapshot table has a
 * problem (queries still answer, from the log).
 *
 * @param hits queries that started from a saved store snapshot
 * @param misses queries that found neither a cached state nor a usable store snapshot and replayed
 *     from the start
 * @param saves store snapshots saved
 * @param saveFailures store snapshot saves that failed (the query still answered)
 * @param loadFailures store snapshot loads that failed or could not be read (the query replayed instead)
 * @param memoryCacheHits queries that started from the state cached in memory (0 when the cache is off)
 * @param memoryCacheMisses queries that found no state cached in memory (0 when the cache is off)
 * @param answeredWithoutRead memory cache hits answered without reading the store, because the
 *     cached state was read less than {@link QuerySettings#maxStaleness()} ago (0 when it is zero)
 * @param sharedReads queries answered by another query's read of the same projection, in flight
 *     when they arrived, instead of reading and applying the same events themselves
 */
public record SnapshotStatistics(
        long hits,
        long misses,
        long saves,
        long saveFailures,
        long loadFailures,
        long memoryCacheHits,
        long memoryCacheMisses,
        long answeredWithoutRead,
        long sharedReads) {}
