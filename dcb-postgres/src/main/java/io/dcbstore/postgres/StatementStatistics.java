package io.dcbstore.postgres;

/**
 * Counters of the store's SQL since it started.
 *
 * @param sqlCacheHits statements whose SQL text was found in the store's cache by filter shape
 * @param sqlCacheMisses statements whose SQL text had to be built (a new shape, or one evicted)
 * @param sqlCacheSize shapes cached now (at most 1,000 of each kind: reads and appends)
 * @param globalLockAppends appends that took the single exclusive "everything" lock instead of
 *                          their own keys (more than {@code 64} lock keys: many events, or events
 *                          with many top-level scalar fields); each one waits for, and holds back,
 *                          every other append
 */
public record StatementStatistics(long sqlCacheHits, long sqlCacheMisses, int sqlCacheSize, long globalLockAppends) {
    /** @return hits over all look-ups, 1 when there were none */
    public double sqlCacheHitRate() {
        long total = sqlCacheHits + sqlCacheMisses;
        return total == 0 ? 1 : (double) sqlCacheHits / total;
    }
}
