package io.dcbstore.simulator.report;

import java.util.List;

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
        List<ActivitySummary> activities) {
    /** Copies the activities. */
    public LatencyWindow {
        activities = List.copyOf(activities);
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
        return new LatencyWindow(fromS, toS, requests, p50Ms, p99Ms, maxMs, errors, timeouts, shed, found);
    }
}
