package io.dcbstore.simulator.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a {@link RunReport} as a console summary, {@code report.json} and a self-contained {@code report.html}. */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {
    }

    /**
     * Writes both files into the directory (created if needed).
     *
     * @param report the report
     * @param directory the report directory
     * @throws IOException when a file cannot be written
     */
    public static void write(RunReport report, Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("report.json"), JSON.writeValueAsString(toJson(report)), StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("report.html"), HtmlReport.render(report), StandardCharsets.UTF_8);
    }

    /**
     * @param report the report
     * @return the JSON document: the required top-level fields, then per operation, then details
     */
    public static ObjectNode toJson(RunReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("started_at", report.startedAt());
        root.put("target_rate", report.targetRate());
        root.put("achieved_rate", round(report.achievedRate()));
        root.put("duration_s", round(report.durationSeconds()));
        putFigures(root, report.overall());
        root.put("backpressure", report.backpressureLateStarts() + report.overall().shed());
        root.put("late_starts", report.backpressureLateStarts());
        ObjectNode pacing = root.putObject("pacing_delay_ms");
        report.pacingDelayMs().forEach((name, value) -> pacing.put(name, round(value)));
        root.put("max_replication_lag_ms", round(report.maxReplicationLagMs()));
        ObjectNode operations = root.putObject("operations");
        long scheduled = Math.max(1, report.overall().requests());
        for (OperationReport operation : report.operations()) {
            ObjectNode node = operations.putObject(operation.name());
            // Each scheduled request has one operation, so its share of the schedule is its share of the target.
            node.put("target_rate", round(report.targetRate() * operation.requests() / scheduled));
            node.put("achieved_rate", round((operation.requests() - operation.shed()) / Math.max(1e-9, report.durationSeconds())));
            node.put("duration_s", round(report.durationSeconds()));
            putFigures(node, operation);
        }
        root.set("database_time", JSON.valueToTree(report.databaseTime()));
        root.set("routing", JSON.valueToTree(report.routing()));
        root.set("snapshots", JSON.valueToTree(report.snapshots()));
        root.set("environment", JSON.valueToTree(report.environment()));
        if (!report.findMax().isEmpty()) {
            ObjectNode findMax = root.putObject("find_max");
            findMax.put("max_sustained_rate", report.maxSustainedRate());
            findMax.set("steps", JSON.valueToTree(report.findMax()));
        }
        ArrayNode timeline = root.putArray("timeline");
        for (TimelinePoint point : report.timeline()) {
            timeline.add(JSON.valueToTree(point));
        }
        return root;
    }

    private static void putFigures(ObjectNode node, OperationReport figures) {
        node.put("requests", figures.requests());
        node.put("ok", figures.ok());
        node.put("idempotent", figures.idempotent());
        node.put("business_failures", figures.businessFailures());
        node.put("errors", figures.errors());
        node.put("timeouts", figures.timeouts());
        node.put("shed", figures.shed());
        node.put("conflicts", figures.conflicts());
        node.put("p50_ms", round(figures.p50Ms()));
        node.put("p90_ms", round(figures.p90Ms()));
        node.put("p99_ms", round(figures.p99Ms()));
        node.put("p999_ms", round(figures.p999Ms()));
        node.put("max_ms", round(figures.maxMs()));
        ObjectNode time = node.putObject("time_breakdown_ms");
        time.put("total", round(figures.meanMs()));
        time.put("queue_wait", round(figures.queueMs()));
        time.put("pool_wait", round(figures.poolMs()));
        time.put("database", round(figures.databaseMs()));
        time.put("driver_network_store", round(figures.driverMs()));
        time.put("application", round(figures.applicationMs()));
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /**
     * Prints the human summary.
     *
     * @param report the report
     * @param out where to print
     */
    public static void printSummary(RunReport report, PrintStream out) {
        OperationReport all = report.overall();
        out.println();
        out.println("=== Simulation summary ===");
        out.printf(Locale.ROOT, "target %.0f req/s, achieved %.1f req/s over %.0f s: %,d requests%n", report.targetRate(),
                report.achievedRate(), report.durationSeconds(), all.requests());
        out.printf(Locale.ROOT, "latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n", all.p50Ms(), all.p90Ms(),
                all.p99Ms(), all.p999Ms(), all.maxMs());
        out.printf(Locale.ROOT, "errors %,d (%.3f%%), timeouts %,d, conflicts retried %,d, business failures %,d, idempotent %,d,"
                        + " backpressure %,d late + %,d shed%n", all.errors(), 100.0 * all.errors() / Math.max(1, all.requests()),
                all.timeouts(), all.conflicts(), all.businessFailures(), all.idempotent(), report.backpressureLateStarts(), all.shed());
        out.printf(Locale.ROOT, "max replication lag %.1f ms; reads: %s%n", report.maxReplicationLagMs(), report.routing());
        String pacing = report.pacingDelayMs().entrySet().stream()
                .map(figure -> String.format(Locale.ROOT, "%s %.2f", figure.getKey(), figure.getValue()))
                .collect(java.util.stream.Collectors.joining(", "));
        out.printf(Locale.ROOT, "pacing: the simulator put requests in the queue late by (ms) %s%n", pacing);
        out.println();
        out.println("Where the time goes (mean ms per request):");
        out.printf(Locale.ROOT, "%-24s %9s %8s %8s %8s %8s %9s %8s %8s %8s%n", "operation", "requests", "p50", "p99", "mean",
                "queue", "pool", "database", "driver", "app");
        for (OperationReport operation : report.operations()) {
            printRow(out, operation);
        }
        printRow(out, all);
        if (!report.findMax().isEmpty()) {
            out.println();
            out.println("Find-max steps:");
            for (Map<String, Object> step : report.findMax()) {
                out.println("  " + step);
            }
            out.printf(Locale.ROOT, "highest sustained rate: %.0f req/s%n", report.maxSustainedRate());
        }
    }

    private static void printRow(PrintStream out, OperationReport operation) {
        out.printf(Locale.ROOT, "%-24s %,9d %8.2f %8.2f %8.2f %8.2f %8.2f %9.2f %8.2f %8.2f%n", operation.name(), operation.requests(),
                operation.p50Ms(), operation.p99Ms(), operation.meanMs(), operation.queueMs(), operation.poolMs(), operation.databaseMs(),
                operation.driverMs(), operation.applicationMs());
    }

    /** @return a map that keeps insertion order, for report sections */
    public static Map<String, Object> section() {
        return new LinkedHashMap<>();
    }

    /** @return the operations' names in order */
    static List<String> names(RunReport report) {
        return report.operations().stream().map(OperationReport::name).toList();
    }
}
