package io.dcbstore.simulator.report;

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
 */
public record FindMaxStep(
        double targetRate,
        double achievedRate,
        double p50Ms,
        double p99Ms,
        long errors,
        long timeouts,
        boolean sustained,
        String whyNot) {}
