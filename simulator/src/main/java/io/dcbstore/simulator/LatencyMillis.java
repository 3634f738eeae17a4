package io.dcbstore.simulator;

import io.dcbstore.simulator.report.LatencyDistribution;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/** Reads latency histograms, recorded in microseconds, as milliseconds. */
final class LatencyMillis {
    private LatencyMillis() {}

    /**
     * @param micros a histogram of microseconds
     * @param percentile 0 to 100
     * @return the value at the percentile in milliseconds, 0 for an empty histogram
     */
    static double at(Histogram micros, double percentile) {
        return micros.getTotalCount() == 0 ? 0 : micros.getValueAtPercentile(percentile) / 1000.0;
    }

    /**
     * @param micros a histogram of microseconds
     * @return its largest value in milliseconds
     */
    static double max(Histogram micros) {
        return micros.getMaxValue() / 1000.0;
    }

    /**
     * @param micros a histogram of microseconds
     * @return its latency at the percentiles of {@link LatencyDistribution#LADDER} that its count
     *     resolves, then its maximum at the next one; empty for an empty histogram
     */
    static LatencyDistribution distribution(Histogram micros) {
        List<Double> percentiles = new ArrayList<>();
        List<Double> ms = new ArrayList<>();
        long count = micros.getTotalCount();
        for (double percentile : LatencyDistribution.LADDER) {
            if (count == 0) {
                break;
            }
            // 1/(1 - p) <= count, without the rounding of 1/(1 - 0.999) above 1,000.
            boolean resolved = (100 - percentile) * count >= 100 - 1e-9;
            percentiles.add(percentile);
            ms.add(thousandths(resolved ? at(micros, percentile) : max(micros)));
            if (!resolved) {
                break;
            }
        }
        return new LatencyDistribution(percentiles, ms);
    }

    private static double thousandths(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
