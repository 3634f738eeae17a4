package io.dcbstore.simulator;

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
}
