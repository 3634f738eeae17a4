package io.dcbstore.simulator.report;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One step of a {@code --find-max} run.
 *
 * @param targetRate the step's rate
 * @param achievedRate what it achieved, to one decimal
 * @param p50Ms median latency
 * @param p99Ms 99th percentile
 * @param errors requests that failed
 * @param timeouts requests over their timeout
 * @param sustained whether the step met every bound
 * @param whyNot the bounds it missed, or empty
 * @param medianWindowP99Ms the median p99 of the step's 10-second windows
 * @param worstWindowP99Ms the highest p99 of the step's 10-second windows
 * @param worstWindowRatio the worst window's p99 over the median window's (the target: at most 3)
 * @param jvmCpuUsPerRequest the JVM's CPU microseconds per finished request, or {@code null}
 * @param primaryCpuUsPerRequest the primary's, or {@code null} when not measured (external servers)
 * @param replicaCpuUsPerRequest the replica's, or {@code null} when not measured
 * @param fromS where the step starts in the report's timeline (which holds every step, one after
 *     another), in seconds
 * @param toS where it ends
 */
public record FindMaxStep(
        double targetRate,
        double achievedRate,
        double p50Ms,
        double p99Ms,
        long errors,
        long timeouts,
        boolean sustained,
        String whyNot,
        double medianWindowP99Ms,
        double worstWindowP99Ms,
        double worstWindowRatio,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double jvmCpuUsPerRequest,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double primaryCpuUsPerRequest,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double replicaCpuUsPerRequest,
        int fromS,
        int toS) {}
