package io.dcbstore.simulator.report;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the requests of one operation (or of all) came to: outcomes, latency percentiles in
 * milliseconds from the intended start, and where the time went.
 *
 * @param requests requests finished
 * @param ok requests that succeeded
 * @param idempotent commands that were already done
 * @param businessFailures commands the domain refused
 * @param errors requests that failed otherwise
 * @param timeouts requests over their timeout
 * @param shed requests that could not start within their timeout
 * @param conflicts concurrency conflicts retried
 * @param p50Ms median latency
 * @param p90Ms 90th percentile
 * @param p99Ms 99th percentile
 * @param p999Ms 99.9th percentile
 * @param maxMs maximum
 * @param timeBreakdownMs where the time went
 * @param latencyByPercentile the latency at a ladder of percentiles up to what the requests resolve,
 *     for the percentile-distribution chart; {@code null} (and left out of the JSON) when not measured
 */
public record Figures(
        long requests,
        long ok,
        long idempotent,
        long businessFailures,
        long errors,
        long timeouts,
        long shed,
        long conflicts,
        @Rounded double p50Ms,
        @Rounded double p90Ms,
        @Rounded double p99Ms,
        @Rounded double p999Ms,
        @Rounded double maxMs,
        TimeBreakdown timeBreakdownMs,
        @JsonInclude(JsonInclude.Include.NON_NULL) LatencyDistribution latencyByPercentile) {
    /**
     * Figures without a percentile distribution.
     *
     * @param requests requests finished
     * @param ok requests that succeeded
     * @param idempotent commands that were already done
     * @param businessFailures commands the domain refused
     * @param errors requests that failed otherwise
     * @param timeouts requests over their timeout
     * @param shed requests that could not start within their timeout
     * @param conflicts concurrency conflicts retried
     * @param p50Ms median latency
     * @param p90Ms 90th percentile
     * @param p99Ms 99th percentile
     * @param p999Ms 99.9th percentile
     * @param maxMs maximum
     * @param timeBreakdownMs where the time went
     */
    public Figures(
            long requests,
            long ok,
            long idempotent,
            long businessFailures,
            long errors,
            long timeouts,
            long shed,
            long conflicts,
            double p50Ms,
            double p90Ms,
            double p99Ms,
            double p999Ms,
            double maxMs,
            TimeBreakdown timeBreakdownMs) {
        this(
                requests,
                ok,
                idempotent,
                businessFailures,
                errors,
                timeouts,
                shed,
                conflicts,
                p50Ms,
                p90Ms,
                p99Ms,
                p999Ms,
                maxMs,
                timeBreakdownMs,
                null);
    }
}
