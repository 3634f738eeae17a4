package io.dcbstore.simulator;

import io.dcbstore.simulator.bench.Medians;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.metrics.Observability;
import io.dcbstore.simulator.metrics.RunMonitor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The growth benchmark's find-max at one size, in both modes: every query reading, and queries
 * answered from projections within the staleness bound. On a shared machine one find-max moves by
 * a step of its ramp from run to run (1,772 to 2,363 req/s on the same 1M log), so each mode runs
 * {@code repeats} times, the modes alternating so that both see the same drift of the machine and
 * of the log, and the median is the figure.
 *
 * @param reading each run's highest sustained rate with every query reading, in order
 * @param eventual the same with queries answered within the staleness bound
 */
record GrowthFindMax(List<Double> reading, List<Double> eventual) {
    /** Copies the lists. */
    GrowthFindMax {
        reading = List.copyOf(reading);
        eventual = List.copyOf(eventual);
    }

    /**
     * @param repeats runs of each mode
     * @param reading the configuration of the reading mode's run number {@code r} (1-based)
     * @param eventual the same for the staleness mode
     * @param stalenessMillis the staleness bound, for the headings
     * @param connected the seeded servers
     * @param monitor the servers' monitor
     * @param out where the runs print
     * @return every run's figure
     * @throws Exception from a run
     */
    static GrowthFindMax run(
            int repeats,
            IntFunction<SimulationConfig> reading,
            IntFunction<SimulationConfig> eventual,
            long stalenessMillis,
            ConnectedStore connected,
            RunMonitor monitor,
            PrintStream out)
            throws Exception {
        List<Double> readingRates = new ArrayList<>();
        List<Double> eventualRates = new ArrayList<>();
        for (int repeat = 1; repeat <= repeats; repeat++) {
            String of = repeats == 1 ? "" : " (run " + repeat + " of " + repeats + ")";
            out.println("### find-max, every query reads" + of);
            readingRates.add(highestSustained(reading.apply(repeat), connected, monitor, out));
            out.printf("### find-max, queries answered within %d ms of staleness%s%n", stalenessMillis, of);
            eventualRates.add(highestSustained(eventual.apply(repeat), connected, monitor, out));
        }
        return new GrowthFindMax(readingRates, eventualRates);
    }

    private static double highestSustained(
            SimulationConfig config, ConnectedStore connected, RunMonitor monitor, PrintStream out) throws Exception {
        return new Simulation(config, out)
                .load(connected, Observability.NONE, null, null, monitor)
                .findMax()
                .maxSustainedRate();
    }

    /** @return the reading mode's median run */
    double readingMedian() {
        return Medians.of(reading);
    }

    /** @return the staleness mode's median run */
    double eventualMedian() {
        return Medians.of(eventual);
    }
}
