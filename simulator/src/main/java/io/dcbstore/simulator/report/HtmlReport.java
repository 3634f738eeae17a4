package io.dcbstore.simulator.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a report as one HTML page that opens anywhere, offline: the tables in HTML, the charts
 * drawn by uPlot from the report's own JSON, with uPlot's script and style inline ({@link
 * ChartLibrary}); nothing is loaded from the network.
 */
final class HtmlReport {
    private static final String STYLE =
            "body{font-family:system-ui,sans-serif;margin:20px 24px;color:#222;max-width:1400px}"
                    + "h2{margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}"
                    + ".scroll{overflow-x:auto}table{border-collapse:collapse;margin:12px 0;font-size:13px}"
                    + "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right;font-variant-numeric:tabular-nums}"
                    + "td{white-space:nowrap}th{background:#f3f3f3;font-weight:600;vertical-align:bottom}"
                    + "td:first-child,th:first-child{text-align:left}table.ops tbody tr:last-child td{font-weight:600}"
                    + "table.ops tbody tr:hover{background:#f6f9ff}th.group{text-align:center;background:#e8eef5}"
                    + ".chart{margin:8px 0 4px}.note{color:#555;font-size:13px;margin:2px 0 12px}"
                    + ".u-legend{font-size:12px}.u-legend .u-series{padding:0 6px}"
                    + "td.activities{text-align:left;white-space:normal;min-width:240px;font-size:12px}"
                    + "pre{font-size:12px;background:#fafafa;border:1px solid #eee;padding:8px;max-height:600px;overflow:auto}";

    private HtmlReport() {}

    static String render(RunReport report) {
        ChartLibrary charts = ChartLibrary.get();
        StringBuilder html = new StringBuilder(256 * 1024);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>DCB simulation report</title>\n<!-- Charts: uPlot ")
                .append(escape(charts.uplotVersion()))
                .append(" (https://github.com/leeoniya/uPlot), inlined; its licence:\n")
                .append(charts.uplotLicence().replace("--", "- -"))
                .append("\n-->\n<style>")
                .append(STYLE)
                .append(charts.uplotStyle())
                .append("</style></head><body>");
        Figures all = report.overall();
        html.append("<h1>DCB event store: simulation report</h1>");
        html.append(String.format(
                Locale.ROOT,
                "<p>Started %s. Target <b>%.0f req/s</b>, achieved <b>%.1f req/s</b> over %.0f s;"
                        + " %,d requests; p50 %.2f ms, p99 <b>%.2f ms</b> (goal %d ms), p99.9 %.2f ms, max %.2f ms;"
                        + " errors %,d, timeouts %,d, conflicts %,d, backpressure %,d; max replication lag %.1f ms.</p>",
                escape(report.startedAt()),
                report.targetRate(),
                report.achievedRate(),
                report.durationSeconds(),
                all.requests(),
                all.p50Ms(),
                all.p99Ms(),
                report.environment().maxP99Ms(),
                all.p999Ms(),
                all.maxMs(),
                all.errors(),
                all.timeouts(),
                all.conflicts(),
                report.backpressure(),
                report.maxReplicationLagMs()));
        table(html, report);
        if (report.findMax() != null) {
            HtmlCharts.findMax(html, report.findMax());
        }
        HtmlCharts.containers(html, report);
        if (report.steadiness() != null) {
            HtmlSteadiness.windows(html, report.steadiness());
        }
        if (report.cpu() != null) {
            HtmlSteadiness.cpu(html, report.cpu());
        }
        if (report.chaos() != null) {
            chaos(html, report.chaos());
        }
        html.append("<h2>Details</h2><pre>")
                .append(escape(ReportJson.tree(report).without("timeline").toPrettyString()))
                .append("</pre>");
        HtmlCharts.scripts(html, report, charts);
        return html.append("</body></html>").toString();
    }

    private static void table(StringBuilder html, RunReport report) {
        html.append("<h2>Per operation</h2><div class=\"scroll\"><table class=\"ops\"><thead><tr><th rowspan=\"2\">")
                .append("operation</th><th class=\"group\" colspan=\"7\">requests</th>")
                .append("<th class=\"group\" colspan=\"5\">latency (ms, from the intended start)</th>")
                .append("<th class=\"group\" colspan=\"6\">where the time goes (mean ms)</th></tr><tr>")
                .append("<th>all</th><th>ok</th><th>idem&shy;potent</th><th>refused</th><th>errors</th>")
                .append("<th>time&shy;outs</th><th>con&shy;flicts</th><th>p50</th><th>p90</th><th>p99</th>")
                .append("<th>p99.9</th><th>max</th><th>total</th><th>queue</th><th>pool</th><th>data&shy;base</th>")
                .append("<th>driver, network</th><th>appli&shy;cation</th></tr></thead><tbody>");
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
        html.append("</tbody></table></div><p class=\"note\">refused: commands the domain refused (business")
                .append(" failures); conflicts: concurrency conflicts retried.</p>");
    }

    private static void chaos(StringBuilder html, ChaosReport chaos) {
        html.append("<h2>Outages (shaded in the time charts: from the fault to the first success)</h2><p>Schedule: ")
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

    static String escape(String text) {
        return text == null
                ? ""
                : text.replace("&", "&amp;")
                        .replace("<", "&lt;")
                        .replace(">", "&gt;")
                        .replace("\"", "&quot;");
    }
}
