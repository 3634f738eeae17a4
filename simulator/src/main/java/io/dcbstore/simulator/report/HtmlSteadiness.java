package io.dcbstore.simulator.report;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The windows and CPU sections of {@code report.html}: the windows' p99 (drawn as bars by the
 * report's script), and two tables.
 */
final class HtmlSteadiness {

    private HtmlSteadiness() {}

    static void windows(StringBuilder html, Steadiness windows) {
        html.append("<h2>Steadiness: p99 per ")
                .append(windows.windowS())
                .append("-second window</h2><p>")
                .append(HtmlReport.escape(SteadinessSummary.line(windows)))
                .append(". Target: no window over ")
                .append(String.format(Locale.ROOT, "%.0f", Steadiness.BOUND_RATIO))
                .append("x the median window's p99.</p>");
        if (windows.windows().isEmpty()) {
            return;
        }
        caption(html, windows);
        Set<String> processes = new LinkedHashSet<>();
        windows.windows().forEach(window -> processes.addAll(window.cpuCores().keySet()));
        html.append(
                        "<div class=\"scroll\"><table class=\"windows\"><tr><th>window (s)</th><th>requests</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th>")
                .append("<th>p99 / median</th><th>errors</th><th>timeouts</th><th>shed</th>");
        processes.forEach(process ->
                html.append("<th>cores ").append(HtmlReport.escape(process)).append("</th>"));
        html.append("<th style=\"text-align:left;min-width:320px\">what ran besides the requests</th></tr>");
        LatencyWindow worst = windows.worst();
        for (LatencyWindow window : windows.windows()) {
            boolean over = window.p99Ms() > Steadiness.BOUND_RATIO * windows.medianP99Ms();
            html.append(window == worst ? "<tr style=\"font-weight:bold\">" : "<tr>")
                    .append(String.format(
                            Locale.ROOT,
                            "<td>%d-%d%s</td><td>%,d</td><td>%.2f</td><td%s>%.2f</td><td>%.2f</td><td>%.1fx</td>"
                                    + "<td>%,d</td><td>%,d</td><td>%,d</td>",
                            window.fromS(),
                            window.toS(),
                            window == worst ? " (worst)" : "",
                            window.requests(),
                            window.p50Ms(),
                            over ? " style=\"color:#d62728\"" : "",
                            window.p99Ms(),
                            window.maxMs(),
                            windows.medianP99Ms() > 0 ? window.p99Ms() / windows.medianP99Ms() : 0,
                            window.errors(),
                            window.timeouts(),
                            window.shed()))
                    .append(cores(window.cpuCores(), processes))
                    .append("<td class=\"activities\">")
                    .append(HtmlReport.escape(activities(window.activities())))
                    .append("</td></tr>");
        }
        html.append("</table></div>");
    }

    private static String cores(Map<String, Double> cores, Set<String> processes) {
        StringBuilder cells = new StringBuilder();
        for (String process : processes) {
            Double busy = cores.get(process);
            cells.append(busy == null ? "<td>-</td>" : String.format(Locale.ROOT, "<td>%.2f</td>", busy));
        }
        return cells.toString();
    }

    private static String activities(List<ActivitySummary> activities) {
        return activities.isEmpty()
                ? "-"
                : activities.stream().map(ActivitySummary::describe).collect(Collectors.joining("; "));
    }

    /** Where the script draws the windows' p99 as bars, and what the chart's lines mean, in words. */
    private static void caption(StringBuilder html, Steadiness windows) {
        double bound = Steadiness.BOUND_RATIO * windows.medianP99Ms();
        LatencyWindow worst = windows.worst();
        html.append("<div class=\"chart\" id=\"chart-windows\"></div><p class=\"note\">")
                .append(String.format(
                        Locale.ROOT,
                        "Dashed: median %.2f ms (grey) and 3x median %.2f ms (red); bars over it are red.",
                        windows.medianP99Ms(),
                        bound));
        if (worst != null) {
            html.append(String.format(
                    Locale.ROOT,
                    " The worst window, %d-%d s: worst %.1f ms (%.1fx).",
                    worst.fromS(),
                    worst.toS(),
                    worst.p99Ms(),
                    windows.worstRatio()));
        }
        html.append("</p>");
    }

    static void cpu(StringBuilder html, CpuReport cpu) {
        html.append(String.format(
                Locale.ROOT,
                "<h2>CPU per request, by process</h2><p>%,d requests finished in %.1f s on %d cores.</p>",
                cpu.requests(),
                cpu.elapsedS(),
                cpu.cores()));
        html.append(
                "<table><tr><th>process</th><th>CPU s</th><th>CPU &micro;s per request</th><th>cores busy</th></tr>");
        for (Map.Entry<String, CpuUse> process : cpu.processes().entrySet()) {
            row(html, process.getKey(), process.getValue());
        }
        if (cpu.machine() != null) {
            row(html, "machine (all)", cpu.machine());
        }
        html.append("</table>");
        if (!cpu.note().isEmpty()) {
            html.append("<p>").append(HtmlReport.escape(cpu.note())).append("</p>");
        }
    }

    private static void row(StringBuilder html, String name, CpuUse use) {
        html.append(String.format(
                Locale.ROOT,
                "<tr><td>%s</td><td>%.2f</td><td>%.0f</td><td>%.2f</td></tr>",
                HtmlReport.escape(name),
                use.cpuS(),
                use.usPerRequest(),
                use.cores()));
    }
}
