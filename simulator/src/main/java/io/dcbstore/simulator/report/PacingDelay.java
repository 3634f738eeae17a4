package io.dcbstore.simulator.report;

/**
 * How late the simulator's own pacing thread put requests in the queue, in milliseconds: the part
 * of the queue wait that is the client's, not the server's.
 *
 * @param p50 median
 * @param p99 99th percentile
 * @param max maximum
 * @param mean mean
 */
public record PacingDelay(
        @Rounded double p50,
        @Rounded double p99,
        @Rounded double max,
        @Rounded double mean) {}
