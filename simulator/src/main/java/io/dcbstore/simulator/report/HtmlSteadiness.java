package io.dcbstore.simulator.report;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The windows and CPU sections of {@code report.html}: a bar chart of the windows' p99 and two tables. */
final class HtmlSteadiness {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 280;
    private static final int LEFT = 60;
    private static final int RIGHT = 130;
    private static final int TOP = 24;
    private static final int BOTTOM = 30;

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
        chart(html, windows);
        Set<String> processes = new LinkedHashSet<>();
        windows.windows().forEach(window -> processes.addAll(window.cpuCores().keySet()));
        html.append("<table><tr><th>window (s)</th><th>requests</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th>")
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
                    .append("<td style=\"text-align:left\">")
                    .append(HtmlReport.escape(activities(window.activities())))
                    .append("</td></tr>");
        }
        html.append("</table>");
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

    /** Bars of the windows' p99 (red over the bound, the worst outlined), the median and the bound as dashed lines. */
    private static void chart(StringBuilder html, Steadiness windows) {
        List<LatencyWindow> all = windows.windows();
        double bound = Steadiness.BOUND_RATIO * windows.medianP99Ms();
        double maxX = Math.max(1, all.get(all.size() - 1).toS());
        double maxY = Math.max(
                        bound,
                        all.stream().mapToDouble(LatencyWindow::p99Ms).max().orElse(0))
                * 1.15;
        maxY = maxY <= 0 ? 1 : maxY;
        html.append(String.format(
                Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT));
        for (int tick = 0; tick <= 4; tick++) {
            double value = maxY * tick / 4;
            double y = y(value, maxY);
            html.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                            + "<text x=\"4\" y=\"%.1f\" font-size=\"11\">%.1f ms</text>",
                    LEFT,
                    y,
                    WIDTH - RIGHT,
                    y,
                    y + 4,
                    value));
        }
        LatencyWindow worst = windows.worst();
        for (LatencyWindow window : all) {
            double from = x(window.fromS(), maxX) + 1;
            double to = x(window.toS(), maxX) - 1;
            double top = y(window.p99Ms(), maxY);
            String fill = window.p99Ms() > bound ? "#d62728" : "#1f77b4";
            html.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" opacity=\"0.85\"%s>"
                            + "<title>%d-%d s: p99 %.2f ms</title></rect>",
                    from,
                    top,
                    Math.max(1, to - from),
                    HEIGHT - BOTTOM - top,
                    fill,
                    window == worst ? " stroke=\"#000\" stroke-width=\"2\"" : "",
                    window.fromS(),
                    window.toS(),
                    window.p99Ms()));
            html.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%d</text>",
                    from - 1,
                    HEIGHT - BOTTOM + 12,
                    window.fromS()));
        }
        html.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%.0f s</text>",
                x(maxX, maxX),
                HEIGHT - BOTTOM + 24,
                maxX));
        if (worst != null) {
            double centre = (x(worst.fromS(), maxX) + x(worst.toS(), maxX)) / 2;
            html.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">"
                            + "worst %.1f ms (%.1fx)</text>",
                    centre,
                    Math.max(TOP - 8, y(worst.p99Ms(), maxY) - 4),
                    worst.p99Ms(),
                    windows.worstRatio()));
        }
        line(html, windows.medianP99Ms(), maxY, "#555", "median " + twoDecimals(windows.medianP99Ms()) + " ms");
        line(html, bound, maxY, "#d62728", "3x median " + twoDecimals(bound) + " ms");
        html.append("</svg><div class=\"legend\"><span style=\"color:#1f77b4\">&#9632; p99 of a window</span>")
                .append("<span style=\"color:#d62728\">&#9632; over 3x the median</span>")
                .append("<span>&#9633; worst (outlined)</span></div>");
    }

    /** A dashed line across the bars, labelled in the right margin, where no bar can hide the label. */
    private static void line(StringBuilder html, double value, double maxY, String colour, String label) {
        double y = y(value, maxY);
        html.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"6 4\"/>"
                        + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"%s\">%s</text>",
                LEFT,
                y,
                WIDTH - RIGHT,
                y,
                colour,
                WIDTH - RIGHT + 6,
                y + 4,
                colour,
                HtmlReport.escape(label)));
    }

    private static String twoDecimals(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static double x(double seconds, double maxX) {
        return LEFT + (WIDTH - LEFT - RIGHT) * seconds / maxX;
    }

    private static double y(double value, double maxY) {
        return HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * value / maxY;
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
