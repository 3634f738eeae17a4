package io.dcbstore.simulator.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The human summary of a {@link RunReport}, printed after the run. */
public final class ConsoleSummary {
    private ConsoleSummary() {}

    /**
     * Prints the summary.
     *
     * @param report the report
     * @param out where to print
     */
    public static void print(RunReport report, PrintStream out) {
        Figures all = report.overall();
        out.println();
        out.println("=== Simulation summary ===");
        out.printf(
                Locale.ROOT,
                "target %.0f req/s, achieved %.1f req/s over %.0f s: %,d requests%n",
                report.targetRate(),
                report.achievedRate(),
                report.durationSeconds(),
                all.requests());
        out.printf(
                Locale.ROOT,
                "latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                all.p50Ms(),
                all.p90Ms(),
                all.p99Ms(),
                all.p999Ms(),
                all.maxMs());
        out.printf(
                Locale.ROOT,
                "errors %,d (%.3f%%), timeouts %,d, conflicts retried %,d, business failures %,d, idempotent %,d,"
                        + " backpressure %,d late + %,d shed%n",
                all.errors(),
                100.0 * all.errors() / Math.max(1, all.requests()),
                all.timeouts(),
                all.conflicts(),
                all.businessFailures(),
                all.idempotent(),
                report.lateStarts(),
                all.shed());
        out.printf(
                Locale.ROOT,
                "max replication lag %.1f ms; reads: %s%n",
                report.maxReplicationLagMs(),
                ReportJson.inline(report.routing()));
        PacingDelay pacing = report.pacingDelayMs();
        out.printf(
                Locale.ROOT,
                "pacing: the simulator put requests in the queue late by (ms) p50 %.2f, p99 %.2f, max %.2f, mean %.2f%n",
                pacing.p50(),
                pacing.p99(),
                pacing.max(),
                pacing.mean());
        out.println();
        out.println("Where the time goes (mean ms per request):");
        out.printf(
                Locale.ROOT,
                "%-24s %9s %8s %8s %8s %8s %9s %8s %8s %8s%n",
                "operation",
                "requests",
                "p50",
                "p99",
                "mean",
                "queue",
                "pool",
                "database",
                "driver",
                "app");
        for (Map.Entry<String, OperationReport> operation : report.operations().entrySet()) {
            printRow(out, operation.getKey(), operation.getValue().figures());
        }
        printRow(out, "all", all);
        if (report.steadiness() != null || report.cpu() != null) {
            out.println();
        }
        if (report.steadiness() != null) {
            SteadinessSummary.print(report.steadiness(), out);
        }
        if (report.cpu() != null) {
            SteadinessSummary.print(report.cpu(), out);
        }
        if (report.chaos() != null) {
            ChaosSummary.print(report.chaos(), out);
        }
        if (report.findMax() != null) {
            out.println();
            out.println("Find-max steps:");
            report.findMax().steps().forEach(step -> out.println("  " + ReportJson.inline(step)));
            out.printf(
                    Locale.ROOT,
                    "highest sustained rate: %.0f req/s%n",
                    report.findMax().maxSustainedRate());
        }
    }

    private static void printRow(PrintStream out, String name, Figures figures) {
        TimeBreakdown time = figures.timeBreakdownMs();
        out.printf(
                Locale.ROOT,
                "%-24s %,9d %8.2f %8.2f %8.2f %8.2f %8.2f %9.2f %8.2f %8.2f%n",
                name,
                figures.requests(),
                figures.p50Ms(),
                figures.p99Ms(),
                time.total(),
                time.queueWait(),
                time.poolWait(),
                time.database(),
                time.driverNetworkStore(),
                time.application());
    }
}
