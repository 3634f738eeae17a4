package io.dcbstore.simulator.report;

import io.dcbstore.library.SnapshotStatistics;

/**
 * The query side's snapshots and memory cache.
 *
 * @param statistics what the query handlers' memory cache and store snapshots did since they were created
 */
public record SnapshotsReport(SnapshotStatistics statistics) {}
