package io.dcbstore.simulator.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One second of a run.
 *
 * @param second seconds since the measured run started
 * @param targetRate the rate asked for
 * @param finished requests that finished in the second (shed ones not counted)
 * @param finishedByOperation requests that finished in the second, by operation name (shed ones counted)
 * @param p50Ms median latency of the second
 * @param p90Ms 90th percentile
 * @param p99Ms 99th percentile
 * @param maxMs maximum
 * @param errors requests that failed for reasons other than the domain's
 * @param timeouts requests over their timeout
 * @param conflicts concurrency conflicts retried
 * @param backpressure requests that started late or were shed
 * @param replicationLagMs the largest replica lag
 * @param replicationLagBytes the largest replica lag in bytes
 * @param primaryActive busy primary connections
 * @param replicaActive busy replica connections
 */
public record TimelinePoint(
        int second,
        double targetRate,
        long finished,
        Map<String, Long> finishedByOperation,
        double p50Ms,
        double p90Ms,
        double p99Ms,
        double maxMs,
        long errors,
        long timeouts,
        long conflicts,
        long backpressure,
        double replicationLagMs,
        long replicationLagBytes,
        int primaryActive,
        int replicaActive) {
    /** Keeps the operations' order. */
    public TimelinePoint {
        finishedByOperation = Collections.unmodifiableMap(new LinkedHashMap<>(finishedByOperation));
    }

    /**
     * @param seconds how far to move the point
     * @return a copy at {@code second + seconds}: the point of a find-max step in the timeline of all steps
     */
    public TimelinePoint shiftedBy(int seconds) {
        return new TimelinePoint(
                second + seconds,
                targetRate,
                finished,
                finishedByOperation,
                p50Ms,
                p90Ms,
                p99Ms,
                maxMs,
                errors,
                timeouts,
                conflicts,
                backpressure,
                replicationLagMs,
                replicationLagBytes,
                primaryActive,
                replicaActive);
    }
}
