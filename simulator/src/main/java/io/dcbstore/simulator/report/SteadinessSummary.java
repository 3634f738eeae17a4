package io.dcbstore.simulator.report;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The console lines of a run's windows, what ran in the worst ones, and its CPU per request. */
final class SteadinessSummary {
    /** At most this many windows over the bound are named one by one. */
    private static final int NAMED_OVER_BOUND = 5;

    private SteadinessSummary() {}

    /**
     * @param windows the run's windows
     * @return {@code windows (10 s): median p99 4.10 ms, worst 9.80 ms at 120-130 s (2.4x), over 3x: 0}
     */
    static String line(Steadiness windows) {
        return String.format(
                Locale.ROOT,
                "windows (%d s): median p99 %.2f ms, worst %.2f ms at %d-%d s (%.1fx), over %.0fx: %d of %d",
                windows.windowS(),
                windows.medianP99Ms(),
                windows.worstP99Ms(),
                windows.worstFromS(),
                windows.worstToS(),
                windows.worstRatio(),
                Steadiness.BOUND_RATIO,
                windows.windowsOverBound(),
                windows.judged().size());
    }

    /**
     * @param window a window
     * @return what ran in it besides the requests, or that nothing was seen
     */
    static String activities(LatencyWindow window) {
        String activities = window.activities().isEmpty()
                ? "no GC pause, autovacuum, checkpoint, snapshot save or long transaction seen"
                : window.activities().stream().map(ActivitySummary::describe).collect(Collectors.joining("; "));
        return window.cpuCores().isEmpty() ? activities : activities + "; cores busy: " + cores(window.cpuCores());
    }

    /** @return {@code jvm 0.21, primary 0.15, ...} */
    static String cores(Map<String, Double> cores) {
        return cores.entrySet().stream()
                .map(entry -> String.format(Locale.ROOT, "%s %.2f", entry.getKey(), entry.getValue()))
                .collect(Collectors.joining(", "));
    }

    static void print(Steadiness windows, PrintStream out) {
        out.println(line(windows));
        LatencyWindow worst = windows.worst();
        if (worst != null) {
            out.printf(
                    Locale.ROOT,
                    "  in the worst window (%d-%d s): %s%n",
                    worst.fromS(),
                    worst.toS(),
                    activities(worst));
        }
        List<LatencyWindow> over = windows.overBound();
        for (LatencyWindow window : over.subList(0, Math.min(NAMED_OVER_BOUND, over.size()))) {
            if (window != worst) {
                out.printf(
                        Locale.ROOT,
                        "  over %.0fx at %d-%d s (p99 %.2f ms): %s%n",
                        Steadiness.BOUND_RATIO,
                        window.fromS(),
                        window.toS(),
                        window.p99Ms(),
                        activities(window));
            }
        }
    }

    static void print(CpuReport cpu, PrintStream out) {
        StringBuilder line = new StringBuilder(String.format(
                Locale.ROOT, "CPU per request (%,d requests in %.1f s):", cpu.requests(), cpu.elapsedS()));
        String separator = " ";
        for (Map.Entry<String, CpuUse> process : cpu.processes().entrySet()) {
            CpuUse use = process.getValue();
            line.append(String.format(
                    Locale.ROOT,
                    "%s%s %.0f us (%.1f s, %.2f cores)",
                    separator,
                    process.getKey(),
                    use.usPerRequest(),
                    use.cpuS(),
                    use.cores()));
            separator = ", ";
        }
        if (cpu.machine() != null) {
            line.append(String.format(
                    Locale.ROOT,
                    "; machine %.0f us, %.2f of %d cores busy",
                    cpu.machine().usPerRequest(),
                    cpu.machine().cores(),
                    cpu.cores()));
        }
        out.println(line);
        if (!cpu.note().isEmpty()) {
            out.println("  (" + cpu.note() + ")");
        }
    }
}
