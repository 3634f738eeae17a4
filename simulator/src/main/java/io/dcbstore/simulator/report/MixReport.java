package io.dcbstore.simulator.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scenario mix a run used.
 *
 * @param weights weight per operation, by the operation's name (as in {@code --mix}), in a stable order
 * @param contention share of lends aimed at the hot copies
 * @param hotBooks how many hot copies
 * @param repeats share of add/register commands that repeat a succeeded one
 * @param failures share of returns that name a copy the reader does not hold
 */
public record MixReport(
        Map<String, Integer> weights, double contention, int hotBooks, double repeats, double failures) {
    /** Keeps the weights' order. */
    public MixReport {
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }
}
