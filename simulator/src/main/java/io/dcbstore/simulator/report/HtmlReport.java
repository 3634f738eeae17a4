package io.dcbstore.simulator.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a report as one HTML page with inline SVG charts: no scripts, no fonts, no network,
 * so it opens anywhere, offline.
 */
final class HtmlReport {
    private static final String[] COLOURS = {
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
        "#393b79"
    };

    private HtmlReport() {}

    static String render(RunReport report) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append(
                        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>DCB simulation report</title><style>")
                .append(
                        "body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:12px 0}")
                .append(
                        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}")
                .append(
                        "svg{background:#fff;border:1px solid #ddd;margin:8px 0}.legend span{display:inline-block;margin-right:12px}")
                .append("</style></head><body>");
        Figures all = report.overall();
        html.append("<h1>DCB event store: simulation report</h1>");
        html.append(String.format(
                Locale.ROOT,
                "<p>Started %s. Target <b>%.0f req/s</b>, achieved <b>%.1f req/s</b> over %.0f s;"
                        + " %,d requests; p50 %.2f ms, p99 <b>%.2f ms</b>, p99.9 %.2f ms, max %.2f ms; errors %,d, timeouts %,d,"
                        + " conflicts %,d, backpressure %,d; max replication lag %.1f ms.</p>",
                escape(report.startedAt()),
                report.targetRate(),
                report.achievedRate(),
                report.durationSeconds(),
                all.requests(),
                all.p50Ms(),
                all.p99Ms(),
                all.p999Ms(),
                all.maxMs(),
                all.errors(),
                all.timeouts(),
                all.conflicts(),
                report.backpressure(),
                report.maxReplicationLagMs()));
        table(html, report);
        if (report.steadiness() != null) {
            HtmlSteadiness.windows(html, report.steadiness());
        }
        if (report.cpu() != null) {
            HtmlSteadiness.cpu(html, report.cpu());
        }
        if (report.chaos() != null) {
            chaos(html, report.chaos());
        }
        charts(html, report);
        html.append("<h2>Details</h2><pre>")
                .append(escape(ReportJson.tree(report).without("timeline").toPrettyString()))
                .append("</pre></body></html>");
        return html.toString();
    }

    private static void table(StringBuilder html, RunReport report) {
        html.append(
                "<h2>Per operation, and where the time goes (mean ms)</h2><table><tr><th>operation</th><th>requests</th><th>ok</th>"
                        + "<th>idempotent</th><th>business failures</th><th>errors</th><th>timeouts</th><th>conflicts</th><th>p50</th><th>p90</th>"
                        + "<th>p99</th><th>p99.9</th><th>max</th><th>mean</th><th>queue</th><th>pool</th><th>database</th><th>driver/network</th>"
                        + "<th>application</th></tr>");
        Map<String, Figures> rows = new LinkedHashMap<>();
        report.operations().forEach((name, operation) -> rows.put(name, operation.figures()));
        rows.put("all", report.overall());
        rows.forEach((name, row) -> {
            TimeBreakdown time = row.timeBreakdownMs();
            html.append(String.format(
                    Locale.ROOT,
                    "<tr><td>%s</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%,d</td>"
                            + "<td>%,d</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td>"
                            + "<td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td></tr>",
                    escape(name),
                    row.requests(),
                    row.ok(),
                    row.idempotent(),
                    row.businessFailures(),
                    row.errors(),
                    row.timeouts(),
                    row.conflicts(),
                    row.p50Ms(),
                    row.p90Ms(),
                    row.p99Ms(),
                    row.p999Ms(),
                    row.maxMs(),
                    time.total(),
                    time.queueWait(),
                    time.poolWait(),
                    time.database(),
                    time.driverNetworkStore(),
                    time.application()));
        });
        html.append("</table>");
    }

    private static void chaos(StringBuilder html, ChaosReport chaos) {
        html.append("<h2>Outages (shaded in the charts: from the fault to the first success)</h2><p>Schedule: ")
                .append(escape(chaos.schedule()))
                .append("</p><table><tr><th>server</th><th>fault</th><th>down at s</th><th>restart at s</th>")
                .append("<th>up at s</th><th>recovered at s</th><th>recovery ms</th><th>outage ms</th>")
                .append("<th>requests failed</th><th>errors</th><th>timeouts</th><th>shed</th></tr>");
        for (OutageReport outage : chaos.outages()) {
            html.append(String.format(
                    Locale.ROOT,
                    "<tr><td>%s</td><td>%s</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.0f</td>"
                            + "<td>%.0f</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%,d</td></tr>",
                    escape(outage.server()),
                    escape(outage.fault()),
                    outage.downAtS(),
                    outage.restartAtS(),
                    outage.upAtS(),
                    outage.recoveredAtS(),
                    outage.recoveryMs(),
                    outage.outageMs(),
                    outage.requestsFailed(),
                    outage.errors(),
                    outage.timeouts(),
                    outage.shed()));
        }
        html.append("</table>");
        if (chaos.appendAudit() != null) {
            html.append("<p>")
                    .append(escape(ChaosSummary.auditLine(chaos.appendAudit())))
                    .append("</p>");
        }
    }

    private static void charts(StringBuilder html, RunReport report) {
        List<TimelinePoint> timeline = report.timeline();
        if (timeline.isEmpty()) {
            return;
        }
        List<double[]> outages = ChaosSummary.windows(report.chaos(), report.durationSeconds());
        double[] seconds = timeline.stream().mapToDouble(TimelinePoint::second).toArray();
        Map<String, double[]> throughput = new LinkedHashMap<>();
        throughput.put(
                "target",
                timeline.stream().mapToDouble(TimelinePoint::targetRate).toArray());
        throughput.put(
                "all", timeline.stream().mapToDouble(TimelinePoint::finished).toArray());
        for (String name : report.operations().keySet()) {
            throughput.put(
                    name,
                    timeline.stream()
                            .mapToDouble(p -> p.finishedByOperation().getOrDefault(name, 0L))
                            .toArray());
        }
        chart(html, "Throughput (requests finished per second), per operation", seconds, throughput, "req/s", outages);
        Map<String, double[]> latency = new LinkedHashMap<>();
        latency.put("p50", timeline.stream().mapToDouble(TimelinePoint::p50Ms).toArray());
        latency.put("p90", timeline.stream().mapToDouble(TimelinePoint::p90Ms).toArray());
        latency.put("p99", timeline.stream().mapToDouble(TimelinePoint::p99Ms).toArray());
        latency.put("max", timeline.stream().mapToDouble(TimelinePoint::maxMs).toArray());
        chart(html, "Latency percentiles per second (ms, from the intended start)", seconds, latency, "ms", outages);
        Map<String, double[]> errors = new LinkedHashMap<>();
        errors.put(
                "errors", timeline.stream().mapToDouble(TimelinePoint::errors).toArray());
        errors.put(
                "timeouts",
                timeline.stream().mapToDouble(TimelinePoint::timeouts).toArray());
        errors.put(
                "conflicts",
                timeline.stream().mapToDouble(TimelinePoint::conflicts).toArray());
        errors.put(
                "backpressure",
                timeline.stream().mapToDouble(TimelinePoint::backpressure).toArray());
        chart(html, "Errors, timeouts, conflicts and backpressure per second", seconds, errors, "count", outages);
        Map<String, double[]> lag = new LinkedHashMap<>();
        lag.put(
                "replication lag ms",
                timeline.stream().mapToDouble(TimelinePoint::replicationLagMs).toArray());
        lag.put(
                "primary connections busy",
                timeline.stream().mapToDouble(TimelinePoint::primaryActive).toArray());
        lag.put(
                "replica connections busy",
                timeline.stream().mapToDouble(TimelinePoint::replicaActive).toArray());
        chart(html, "Replication lag and pool usage", seconds, lag, "", outages);
    }

    /** An SVG line chart, 900 x 260, linear axes from zero, with windows of time shaded ({from, to} in x). */
    static void chart(
            StringBuilder html,
            String title,
            double[] xs,
            Map<String, double[]> series,
            String unit,
            List<double[]> shaded) {
        int width = 900;
        int height = 260;
        int left = 60;
        int bottom = 30;
        int top = 20;
        double maxX = Math.max(1, xs[xs.length - 1]);
        double maxY = 0;
        for (double[] values : series.values()) {
            for (double value : values) {
                maxY = Math.max(maxY, value);
            }
        }
        maxY = maxY <= 0 ? 1 : maxY * 1.1;
        html.append("<h3>").append(escape(title)).append("</h3>");
        html.append(String.format(
                Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">",
                width,
                height,
                width,
                height));
        for (int tick = 0; tick <= 4; tick++) {
            double value = maxY * tick / 4;
            double y = height - bottom - (height - bottom - top) * tick / 4.0;
            html.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                            + "<text x=\"4\" y=\"%.1f\" font-size=\"11\">%s %s</text>",
                    left,
                    y,
                    width - 10,
                    y,
                    y + 4,
                    shortNumber(value),
                    escape(unit)));
        }
        html.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" font-size=\"11\">0 s</text><text x=\"%d\" y=\"%d\" font-size=\"11\">%.0f s</text>",
                left,
                height - 8,
                width - 60,
                height - 8,
                maxX));
        for (double[] window : shaded) {
            double from = left + (width - left - 10) * Math.min(window[0], maxX) / maxX;
            double to = left + (width - left - 10) * Math.min(window[1], maxX) / maxX;
            html.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#fdd\" opacity=\"0.6\"/>",
                    from,
                    top,
                    Math.max(1, to - from),
                    height - bottom - top));
        }
        int colour = 0;
        StringBuilder legend = new StringBuilder("<div class=\"legend\">");
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            String stroke = COLOURS[colour++ % COLOURS.length];
            StringBuilder points = new StringBuilder();
            double[] values = entry.getValue();
            for (int i = 0; i < values.length && i < xs.length; i++) {
                double x = left + (width - left - 10) * xs[i] / maxX;
                double y = height - bottom - (height - bottom - top) * values[i] / maxY;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            html.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"")
                    .append(stroke)
                    .append("\" points=\"")
                    .append(points.toString().trim())
                    .append("\"/>");
            legend.append("<span style=\"color:")
                    .append(stroke)
                    .append("\">&#9632; ")
                    .append(escape(entry.getKey()))
                    .append("</span>");
        }
        html.append("</svg>").append(legend).append("</div>");
    }

    private static String shortNumber(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    static String escape(String text) {
        return text == null
                ? ""
                : text.replace("&", "&amp;")
                        .replace("<", "&lt;")
                        .replace(">", "&gt;")
                        .replace("\"", "&quot;");
    }
}
