package io.dcbstore.simulator.report;

import java.util.List;

/**
 * {@code growth.html}: the growth table and its curves (latency, throughput, heap and bytes per
 * event against the log's size), drawn by uPlot from the report's own JSON, inline so the page
 * opens offline.
 */
final class GrowthHtml {
    private GrowthHtml() {}

    static String render(GrowthReport report, String json) {
        ChartLibrary charts = ChartLibrary.get();
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Growth benchmark</title>\n<!-- uPlot ")
                .append(HtmlReport.escape(charts.uplotVersion()))
                .append(", MIT licence:\n")
                .append(HtmlReport.escape(charts.uplotLicence()).replace("--", "- -"))
                .append("\n-->\n<style>")
                .append(charts.uplotStyle())
                .append("body{font-family:system-ui,sans-serif;margin:1.5em;max-width:1240px}"
                        + "table{border-collapse:collapse;margin:1em 0}"
                        + "td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}"
                        + "td:first-child,th:first-child{text-align:left}"
                        + ".chart{margin:1.5em 0}")
                .append("</style></head><body><h1>Growth benchmark</h1><p>")
                .append(HtmlReport.escape(report.startedAt()))
                .append("</p><p>")
                .append(HtmlReport.escape(report.machine()))
                .append("</p><p>")
                .append(HtmlReport.escape(report.settings()))
                .append("</p><table>");
        List<List<String>> cells = report.cells();
        for (int i = 0; i < cells.size(); i++) {
            String tag = i == 0 ? "th" : "td";
            html.append("<tr>");
            for (String cell : cells.get(i)) {
                html.append('<')
                        .append(tag)
                        .append('>')
                        .append(HtmlReport.escape(cell))
                        .append("</")
                        .append(tag)
                        .append('>');
            }
            html.append("</tr>");
        }
        html.append("</table>");
        for (String chart : new String[] {"latency", "throughput", "find-max", "memory", "bytes"}) {
            html.append("<div class=\"chart\" id=\"chart-").append(chart).append("\"></div>");
        }
        html.append("<script id=\"growth-data\" type=\"application/json\">")
                .append(json.replace("<", "\\u003c"))
                .append("</script>\n<script>")
                .append(charts.uplotScript())
                .append("</script>\n<script>")
                .append(ChartLibrary.resource("growth-charts.js"))
                .append("</script></body></html>\n");
        return html.toString();
    }
}
