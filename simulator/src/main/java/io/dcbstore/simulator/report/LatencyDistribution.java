package io.dcbstore.simulator.report;

import java.util.List;

/**
 * Latency by percentile, as HdrHistogram's percentile-distribution plot shows it: the value at each
 * percentile of a fixed ladder (0, 25, 50, 75, 90, 95, 98, 99, 99.5, ... 99.999), as far as the
 * requests resolve it (1/(1 - p) no more than the count), and the maximum at the next step of the
 * ladder. A few dozen numbers per operation, so {@code report.json} stays small.
 *
 * @param percentiles the ladder's percentiles, 0 to 100 exclusive, ascending
 * @param ms the latency at each, in milliseconds to three decimals
 */
public record LatencyDistribution(List<Double> percentiles, List<Double> ms) {
    /** The ladder: the quartiles, then 1, 2 and 5 steps per decade of 1/(1 - p), to 99.999. */
    public static final List<Double> LADDER = List.of(
            0.0, 25.0, 50.0, 75.0, 90.0, 95.0, 98.0, 99.0, 99.5, 99.8, 99.9, 99.95, 99.98, 99.99, 99.995, 99.998,
            99.999);

    /** Copies the lists and checks that they pair up. */
    public LatencyDistribution {
        percentiles = List.copyOf(percentiles);
        ms = List.copyOf(ms);
        if (percentiles.size() != ms.size()) {
            throw new IllegalArgumentException("a latency distribution needs one value per percentile, got "
                    + percentiles.size() + " percentiles and " + ms.size() + " values");
        }
    }
}
