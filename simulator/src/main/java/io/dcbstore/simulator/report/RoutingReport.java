package io.dcbstore.simulator.report;

/**
 * Where the run's reads went, and how the store's statements fared.
 *
 * @param primaryReads reads served by the primary during the run
 * @param replicaReads reads served by the replica during the run
 * @param fallbacks reads meant for a replica that the primary served
 * @param sqlCacheHitRate the store's SQL cache by filter shape: share of hits since the store started, to four decimals
 * @param sqlCacheShapes filter shapes in the SQL cache
 * @param globalLockAppends appends since the store started that took the global lock
 */
public record RoutingReport(
        long primaryReads,
        long replicaReads,
        long fallbacks,
        double sqlCacheHitRate,
        int sqlCacheShapes,
        long globalLockAppends) {}
