package io.dcbstore.simulator.report;

import java.util.Locale;

/**
 * The charts of {@code report.html}: the places they are drawn in, the report's JSON they are drawn
 * from, and the scripts that draw them ({@code report-charts.js} with uPlot), all inline.
 */
final class HtmlCharts {
    private HtmlCharts() {}

    /** The time charts and the latency-by-percentile chart, each a titled place the script draws in. */
    static void containers(StringBuilder html, RunReport report) {
        String marks = (report.chaos() != null ? " Shaded: outages." : "")
                + (report.findMax() != null
                        ? " Dashed: where each find-max step starts (green: sustained, red: not); the timeline"
                                + " holds every step, the figures above are the best step's."
                        : "");
        html.append("<h2>Latency over time</h2><p class=\"note\">p50, p90, p99 and max of each second, from the"
                        + " intended start, on a log scale; the red dashed line is the p99 goal (--max-p99). Drag"
                        + " across a chart to zoom, double-click to reset, click a legend entry to hide it.")
                .append(marks)
                .append("</p><div class=\"chart\" id=\"chart-latency\"></div>");
        html.append("<h2>Latency by percentile</h2><p class=\"note\">The whole run's latency at each percentile"
                        + " (HdrHistogram's percentile distribution): 90%, 99%, 99.9% ... equally spaced, so the"
                        + " tail is as visible as the median. One line per operation, and all together (black);"
                        + " each line ends at the operation's maximum.</p>")
                .append("<div class=\"chart\" id=\"chart-percentiles\"></div>");
        html.append("<h3>Throughput (requests finished per second), per operation</h3>")
                .append("<div class=\"chart\" id=\"chart-throughput\"></div>");
        html.append("<h3>Errors, timeouts, conflicts and backpressure per second</h3>")
                .append("<div class=\"chart\" id=\"chart-errors\"></div>");
        html.append("<h3>Replication lag and pool usage</h3>").append("<div class=\"chart\" id=\"chart-lag\"></div>");
        html.append("<noscript><p>The charts need JavaScript; the tables and the details below do not.</p></noscript>");
    }

    /** The steps of a find-max run: a table, and their p99 against the goal. */
    static void findMax(StringBuilder html, FindMaxReport findMax) {
        html.append(String.format(
                Locale.ROOT,
                "<h2>Find-max: %.0f req/s sustained</h2><div class=\"scroll\"><table><thead><tr><th>step</th>"
                        + "<th>seconds in the timeline</th><th>target req/s</th><th>achieved req/s</th><th>p50 ms</th>"
                        + "<th>p99 ms</th><th>worst window p99 ms</th><th>errors</th><th>timeouts</th>"
                        + "<th style=\"text-align:left\">verdict</th></tr></thead><tbody>",
                findMax.maxSustainedRate()));
        int number = 1;
        for (FindMaxStep step : findMax.steps()) {
            html.append(String.format(
                    Locale.ROOT,
                    "<tr><td>%d</td><td>%d-%d</td><td>%.0f</td><td>%.1f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td>"
                            + "<td>%,d</td><td>%,d</td><td style=\"text-align:left;color:%s\">%s</td></tr>",
                    number++,
                    step.fromS(),
                    step.toS(),
                    step.targetRate(),
                    step.achievedRate(),
                    step.p50Ms(),
                    step.p99Ms(),
                    step.worstWindowP99Ms(),
                    step.errors(),
                    step.timeouts(),
                    step.sustained() ? "#2ca02c" : "#d62728",
                    step.sustained() ? "sustained" : "not sustained: " + HtmlReport.escape(step.whyNot())));
        }
        html.append("</tbody></table></div><div class=\"chart\" id=\"chart-find-max\"></div>");
    }

    /**
     * The report's JSON (the document of {@code report.json}) in a data block, then uPlot and the
     * chart code. A {@code <} in the JSON is written as {@code \u003c}, so no name closes the block.
     */
    static void scripts(StringBuilder html, RunReport report, ChartLibrary charts) {
        html.append("<script id=\"report-data\" type=\"application/json\">")
                .append(ReportJson.tree(report).toString().replace("<", "\\u003c"))
                .append("</script>\n<script>")
                .append(charts.uplotScript())
                .append("</script>\n<script>")
                .append(charts.chartsScript())
                .append("</script>");
    }
}
