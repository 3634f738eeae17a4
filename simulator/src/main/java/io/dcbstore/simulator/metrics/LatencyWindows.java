package io.dcbstore.simulator.metrics;

import io.dcbstore.simulator.report.LatencyWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Folds a run's seconds into windows of a few seconds (10 by default): each window's latency
 * histogram is the exact sum of its seconds' histograms, so its p99 is the p99 of all its requests,
 * not an average of per-second figures. Holds one window's histogram at a time. Not thread-safe:
 * one thread adds the seconds, in order.
 */
public final class LatencyWindows {
    /** The default window: 10 seconds. */
    public static final int DEFAULT_SECONDS = 10;

    private final int windowSeconds;
    private final List<LatencyWindow> closed = new ArrayList<>();
    private Histogram current;
    private int seconds;
    private int fromS;
    private long errors;
    private long timeouts;
    private long shed;

    /** @param windowSeconds the length of a window, at least 1 */
    public LatencyWindows(int windowSeconds) {
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("a window lasts at least a second, got " + windowSeconds);
        }
        this.windowSeconds = windowSeconds;
    }

    /**
     * Adds the next second of the run.
     *
     * @param latencyMicros the second's latencies in microseconds (not changed)
     * @param errors its errors
     * @param timeouts its timeouts
     * @param shed its requests shed
     */
    public void add(Histogram latencyMicros, long errors, long timeouts, long shed) {
        if (current == null) {
            current = latencyMicros.copy();
        } else {
            current.add(latencyMicros);
        }
        this.errors += errors;
        this.timeouts += timeouts;
        this.shed += shed;
        if (++seconds == windowSeconds) {
            closed.add(window());
            fromS += seconds;
            current = null;
            seconds = 0;
            this.errors = 0;
            this.timeouts = 0;
            this.shed = 0;
        }
    }

    /** @return the length of a complete window in seconds */
    public int windowSeconds() {
        return windowSeconds;
    }

    /** @return the complete windows so far, then the incomplete last one if a second was added since */
    public List<LatencyWindow> windows() {
        List<LatencyWindow> all = new ArrayList<>(closed);
        if (seconds > 0) {
            all.add(window());
        }
        return all;
    }

    private LatencyWindow window() {
        boolean empty = current.getTotalCount() == 0;
        return new LatencyWindow(
                fromS,
                fromS + seconds,
                current.getTotalCount(),
                empty ? 0 : current.getValueAtPercentile(50) / 1000.0,
                empty ? 0 : current.getValueAtPercentile(99) / 1000.0,
                current.getMaxValue() / 1000.0,
                errors,
                timeouts,
                shed,
                List.of(),
                Map.of());
    }
}
