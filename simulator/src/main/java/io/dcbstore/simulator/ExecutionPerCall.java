package io.dcbstore.simulator;

import io.dcbstore.simulator.load.Measurements;
import io.dcbstore.simulator.load.Outcome;
import io.dcbstore.simulator.report.Figures;
import io.dcbstore.simulator.report.TimeBreakdown;
import java.util.Collection;
import org.HdrHistogram.Histogram;

/**
 * The mean database execution per store call of each kind, over both servers
 * ({@code pg_stat_statements}): what apportions the database's time to the operations.
 *
 * @param read milliseconds per read
 * @param append milliseconds per append
 * @param snapshot milliseconds per snapshot call
 */
record ExecutionPerCall(double read, double append, double snapshot) {
    /**
     * @param primary the primary's statement groups
     * @param replica the replica's, or {@link DatabaseTime.Groups#NONE}
     * @param totals every operation's totals
     * @return the mean execution per call of each kind
     */
    static ExecutionPerCall of(
            DatabaseTime.Groups primary, DatabaseTime.Groups replica, Collection<Measurements.Totals> totals) {
        double reads = 0;
        double appends = 0;
        double snapshots = 0;
        for (Measurements.Totals figures : totals) {
            reads += figures.queriesPerRequest() * figures.requests();
            appends += figures.appendsPerRequest() * figures.requests();
            snapshots += figures.snapshotCallsPerRequest() * figures.requests();
        }
        return new ExecutionPerCall(
                (primary.read().execMillis() + replica.read().execMillis()) / Math.max(1, reads),
                (primary.append().execMillis() + replica.append().execMillis()) / Math.max(1, appends),
                (primary.snapshot().execMillis() + replica.snapshot().execMillis()) / Math.max(1, snapshots));
    }

    /**
     * @param totals what one operation (or all) measured
     * @return its figures, the database's share of its store time estimated from its calls
     */
    Figures figures(Measurements.Totals totals) {
        Histogram latency = totals.latency();
        double database = totals.queriesPerRequest() * read
                + totals.appendsPerRequest() * append
                + totals.snapshotCallsPerRequest() * snapshot;
        double driver = Math.max(0, totals.meanStoreMs() - totals.meanPoolMs() - database);
        double application = Math.max(0, totals.meanLatencyMs() - totals.meanQueueMs() - totals.meanStoreMs());
        return new Figures(
                totals.requests(),
                totals.count(Outcome.OK),
                totals.count(Outcome.IDEMPOTENT),
                totals.count(Outcome.BUSINESS_FAILURE),
                totals.count(Outcome.ERROR),
                totals.count(Outcome.TIMEOUT),
                totals.count(Outcome.SHED),
                totals.retries(),
                LatencyMillis.at(latency, 50),
                LatencyMillis.at(latency, 90),
                LatencyMillis.at(latency, 99),
                LatencyMillis.at(latency, 99.9),
                LatencyMillis.max(latency),
                new TimeBreakdown(
                        totals.meanLatencyMs(),
                        totals.meanQueueMs(),
                        totals.meanPoolMs(),
                        database,
                        driver,
                        application),
                LatencyMillis.distribution(latency));
    }
}
