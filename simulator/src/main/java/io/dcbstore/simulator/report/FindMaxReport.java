package io.dcbstore.simulator.report;

import java.util.List;

/**
 * The outcome of a {@code --find-max} run.
 *
 * @param maxSustainedRate the highest rate that met the bounds, or 0
 * @param steps every step, in the order run
 */
public record FindMaxReport(double maxSustainedRate, List<FindMaxStep> steps) {
    /** Copies the steps. */
    public FindMaxReport {
        steps = List.copyOf(steps);
    }
}
