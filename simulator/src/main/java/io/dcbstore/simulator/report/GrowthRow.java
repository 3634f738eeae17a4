package io.dcbstore.simulator.report;

import java.util.List;
import java.util.Map;

/**
 * What the growth benchmark measured at one size of the log.
 *
 * @param label the size as written ({@code 10M})
 * @param events events seeded
 * @param books book copies seeded
 * @param readers readers seeded
 * @param seedSeconds seeding time, the final freeze, analyse and checkpoints included
 * @param tableBytes the events table's heap after seeding
 * @param indexBytes its indexes after seeding
 * @param indexes each index's bytes after seeding
 * @param diskBytes both servers' data directories after seeding (WAL included)
 * @param frozenXidAgeAfterSeed {@code age(relfrozenxid)} of the events table after seeding
 * @param frozenXidAgeAtEnd the same after every measurement
 * @param autovacuums autovacuum runs on the events table during the measurements
 * @param autoanalyzes autoanalyze runs on the events table during the measurements
 * @param appendPerSecond conditional appends per second (median round)
 * @param appendP50Ms the append's median latency
 * @param appendP99Ms the append's p99
 * @param queryPerSecond boundary queries per second (median round)
 * @param queryP50Ms the query's median latency
 * @param queryP99Ms the query's p99
 * @param findMaxReading the simulator's find-max with every query reading, the median run
 * @param findMaxEventual the simulator's find-max with queries answered from projections up to the staleness bound,
 *     the median run
 * @param findMaxReadingRuns every run of the reading mode's find-max, in order
 * @param findMaxEventualRuns every run of the staleness mode's find-max, in order
 * @param hitRatioPrimary the share of block reads served from shared_buffers on the primary, during the measurements
 * @param hitRatioReplica the same on the replica
 * @param heapAfterFullGcBytes the JVM's heap in use after its full collections, the peak
 * @param heapAfterAnyGcBytes the JVM's heap in use after any collection, the peak
 * @param eventsAtEnd the log's last sequence number after every measurement
 * @param allFrozenShareAtEnd the share of the events table's pages all-frozen at the end (-1: unknown)
 */
public record GrowthRow(
        String label,
        long events,
        long books,
        long readers,
        @Rounded double seedSeconds,
        long tableBytes,
        long indexBytes,
        Map<String, Long> indexes,
        long diskBytes,
        long frozenXidAgeAfterSeed,
        long frozenXidAgeAtEnd,
        long autovacuums,
        long autoanalyzes,
        @Rounded double appendPerSecond,
        @Rounded double appendP50Ms,
        @Rounded double appendP99Ms,
        @Rounded double walBytesPerAppend,
        @Rounded double fullPageImagesPerAppend,
        long checkpointsDuringAppends,
        @Rounded double queryPerSecond,
        @Rounded double queryP50Ms,
        @Rounded double queryP99Ms,
        @Rounded double findMaxReading,
        @Rounded double findMaxEventual,
        @RoundedEach List<Double> findMaxReadingRuns,
        @RoundedEach List<Double> findMaxEventualRuns,
        @Rounded double hitRatioPrimary,
        @Rounded double hitRatioReplica,
        long heapAfterFullGcBytes,
        long heapAfterAnyGcBytes,
        long eventsAtEnd,
        @Rounded double allFrozenShareAtEnd) {
    /** Copies the index map and the lists of runs. */
    public GrowthRow {
        indexes = Map.copyOf(indexes);
        findMaxReadingRuns = List.copyOf(findMaxReadingRuns);
        findMaxEventualRuns = List.copyOf(findMaxEventualRuns);
    }

    /** @return the table and its indexes per event seeded, in bytes */
    public double bytesPerEvent() {
        return (tableBytes + indexBytes) / (double) events;
    }
}
