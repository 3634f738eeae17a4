package io.dcbstore.simulator.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A window of a run (10 s by default): its latency percentiles, from the merged histograms of its
 * seconds (exact, not an average of per-second figures), its outcomes, and what ran besides the
 * requests while it lasted.
 *
 * @param fromS when it starts, in seconds since the measured run started
 * @param toS when it ends
 * @param requests requests that finished in it (shed ones included, as in the percentiles)
 * @param p50Ms median latency
 * @param p99Ms 99th percentile
 * @param maxMs maximum
 * @param errors requests that failed for reasons other than the domain's
 * @param timeouts requests over their timeout
 * @param shed requests that could not start within their timeout
 * @param activities what ran besides the requests, by kind and process
 * @param cpuCores the cores each process kept busy on average ({@code jvm}, {@code primary},
 *     {@code replica}, {@code other}, and the {@code machine} in all), from CPU times read once a
 *     second; empty when not measured
 */
public record LatencyWindow(
        int fromS,
        int toS,
        long requests,
        @Rounded double p50Ms,
        @Rounded double p99Ms,
        @Rounded double maxMs,
        long errors,
        long timeouts,
        long shed,
        List<ActivitySummary> activities,
        Map<String, Double> cpuCores) {
    /** Copies the activities and the cores, keeping the processes' order. */
    public LatencyWindow {
        activities = List.copyOf(activities);
        cpuCores = Collections.unmodifiableMap(new LinkedHashMap<>(cpuCores));
    }

    /** @return its length in seconds */
    public int seconds() {
        return toS - fromS;
    }

    /**
     * @param found what ran besides the requests
     * @return a copy with them
     */
    public LatencyWindow withActivities(List<ActivitySummary> found) {
        return new LatencyWindow(fromS, toS, requests, p50Ms, p99Ms, maxMs, errors, timeouts, shed, found, cpuCores);
    }

    /**
     * @param cores the cores each process kept busy
     * @return a copy with them
     */
    public LatencyWindow withCpuCores(Map<String, Double> cores) {
        return new LatencyWindow(fromS, toS, requests, p50Ms, p99Ms, maxMs, errors, timeouts, shed, activities, cores);
    }
}
