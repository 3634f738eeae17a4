package io.dcbstore.simulator.bench;

import java.util.List;

/** The figure of repeated runs on a noisy machine: their median. */
public final class Medians {
    private Medians() {}

    /**
     * @param values figures of repeated runs
     * @return the middle one (the upper of the two middle ones for an even count), NaN for none
     */
    public static double of(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }
}
