package io.dcbstore.simulator.report;

import java.util.Comparator;
import java.util.List;

/**
 * How steady a run's latency was: its windows' p99 next to the median window's. The target is
 * that no window's p99 exceeds {@link #BOUND_RATIO} times the median window's p99. Windows shorter
 * than the others (the run's tail) are listed but not judged, unless no window is complete.
 *
 * @param windowS the length of a window in seconds
 * @param medianP99Ms the median of the judged windows' p99 (the mean of the middle two for an even count)
 * @param worstP99Ms the highest p99 of a judged window
 * @param worstFromS where the worst window starts, in seconds since the measured run started
 * @param worstToS where it ends
 * @param worstRatio the worst window's p99 over the median's (0 when the median is 0)
 * @param windowsOverBound judged windows whose p99 exceeds {@link #BOUND_RATIO} times the median
 * @param windows every window, in order
 */
public record Steadiness(
        int windowS,
        @Rounded double medianP99Ms,
        @Rounded double worstP99Ms,
        int worstFromS,
        int worstToS,
        @Rounded double worstRatio,
        int windowsOverBound,
        List<LatencyWindow> windows) {
    /** The target: no window's p99 above this many times the median window's. */
    public static final double BOUND_RATIO = 3;

    /** Copies the windows. */
    public Steadiness {
        windows = List.copyOf(windows);
    }

    /**
     * @param windowSeconds the length of a complete window
     * @param windows the windows of a run, in order
     * @return their median, worst and count over the bound; all zero without windows
     */
    public static Steadiness of(int windowSeconds, List<LatencyWindow> windows) {
        List<LatencyWindow> judged = judged(windowSeconds, windows);
        if (judged.isEmpty()) {
            return new Steadiness(windowSeconds, 0, 0, 0, 0, 0, 0, windows);
        }
        double median = median(
                judged.stream().mapToDouble(LatencyWindow::p99Ms).sorted().toArray());
        LatencyWindow worst = judged.stream()
                .max(Comparator.comparingDouble(LatencyWindow::p99Ms))
                .orElseThrow();
        int over = (int) judged.stream()
                .filter(window -> window.p99Ms() > BOUND_RATIO * median)
                .count();
        return new Steadiness(
                windowSeconds,
                median,
                worst.p99Ms(),
                worst.fromS(),
                worst.toS(),
                median > 0 ? worst.p99Ms() / median : 0,
                over,
                windows);
    }

    /** @return the windows judged against the median: the complete ones, or all when none is */
    public List<LatencyWindow> judged() {
        return judged(windowS, windows);
    }

    /** @return the judged windows whose p99 exceeds {@link #BOUND_RATIO} times the median, in order */
    public List<LatencyWindow> overBound() {
        return judged().stream()
                .filter(window -> window.p99Ms() > BOUND_RATIO * medianP99Ms)
                .toList();
    }

    /** @return the worst window, or {@code null} without windows */
    public LatencyWindow worst() {
        return judged().stream()
                .filter(window -> window.fromS() == worstFromS)
                .findFirst()
                .orElse(null);
    }

    private static List<LatencyWindow> judged(int windowSeconds, List<LatencyWindow> windows) {
        List<LatencyWindow> complete = windows.stream()
                .filter(window -> window.seconds() >= windowSeconds)
                .toList();
        return complete.isEmpty() ? windows : complete;
    }

    private static double median(double[] sorted) {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
