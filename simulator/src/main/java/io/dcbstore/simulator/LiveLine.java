package io.dcbstore.simulator;

import io.dcbstore.simulator.report.TimelinePoint;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** The console line printed once a second during a measured run, starting with its progress ({@code [ 12s/60s ]}). */
final class LiveLine {
    private final PrintStream out;
    private final String progress;

    /**
     * @param out where to print
     * @param duration how long the run (or the find-max step) lasts
     */
    LiveLine(PrintStream out, Duration duration) {
        this.out = out;
        long seconds = duration.toSeconds();
        this.progress = "[ %" + Long.toString(seconds).length() + "ds/" + seconds + "s ]";
    }

    /**
     * @param point the second's point of the timeline
     * @param shed requests shed in the second (part of its backpressure)
     * @param pools the pools' usage at the end of the second
     */
    void print(TimelinePoint point, long shed, PoolUsage pools) {
        out.printf(
                Locale.ROOT,
                progress
                        + " target %5.0f/s achieved %5d/s | p50 %6.2f ms p99 %7.2f ms | errors %d timeouts %d conflicts %d"
                        + " backpressure %d (shed %d) | lag %.0f ms %,d B | pool primary %d/%d replica %d/%d%n",
                point.second(),
                point.targetRate(),
                point.finished(),
                point.p50Ms(),
                point.p99Ms(),
                point.errors(),
                point.timeouts(),
                point.conflicts(),
                point.backpressure(),
                shed,
                point.replicationLagMs(),
                point.replicationLagBytes(),
                pools.primaryActive(),
                pools.primaryTotal(),
                pools.replicaActive(),
                pools.replicaTotal());
    }
}
