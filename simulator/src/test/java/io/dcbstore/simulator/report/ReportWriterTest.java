package io.dcbstore.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcbstore.library.SnapshotStatistics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    private static Figures figures(long requests, double p99) {
        return new Figures(
                requests,
                requests - 3,
                1,
                1,
                1,
                0,
                0,
                2,
                1.5,
                2.5,
                p99,
                p99 * 2,
                p99 * 3,
                new TimeBreakdown(1.8, 0.1, 0.05, 0.6, 0.4, 0.65));
    }

    private static FindMaxStep step(
            double rate,
            double achieved,
            double p50,
            double p99,
            long errors,
            long timeouts,
            boolean sustained,
            String whyNot) {
        return new FindMaxStep(
                rate, achieved, p50, p99, errors, timeouts, sustained, whyNot, p99 / 2, p99, 2.0, 300.0, 400.0, 100.0,
                0, 60);
    }

    private static Map<String, Integer> weights() {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("lend", 15);
        weights.put("q_books_lent_out", 5);
        return weights;
    }

    private static RunReport report(String secondOperation) {
        Map<String, OperationReport> operations = new LinkedHashMap<>();
        operations.put("lend", new OperationReport(40.704, 40.5, 2, figures(81, 6)));
        operations.put(secondOperation, new OperationReport(59.296, 59, 2, figures(118, 4)));
        List<TimelinePoint> timeline = List.of(
                new TimelinePoint(
                        1,
                        100,
                        98,
                        Map.of("lend", 40L, "q_books_lent_out", 58L),
                        1.2,
                        2.0,
                        5.0,
                        9.0,
                        0,
                        0,
                        1,
                        0,
                        0.5,
                        0,
                        2,
                        1),
                new TimelinePoint(
                        2,
                        100,
                        101,
                        Map.of("lend", 41L, "q_books_lent_out", 60L),
                        1.1,
                        1.9,
                        4.0,
                        7.0,
                        1,
                        0,
                        0,
                        2,
                        0.7,
                        120,
                        3,
                        1));
        StatementTime none = StatementTime.of(0, 0);
        StatementGroups primary =
                new StatementGroups(StatementTime.of(118, 12.34), StatementTime.of(80, 40.06), none, none);
        EnvironmentReport environment = new EnvironmentReport(
                2,
                "17.0.15",
                "Linux amd64",
                "embedded primary + 1 streaming replica",
                16,
                8,
                1000,
                "adaptive_lifo",
                0,
                42,
                300,
                60,
                2000,
                new MixReport(weights(), 0.05, 20, 0.1, 0.1),
                1000,
                "2026-11-28T10:00:03Z",
                50);
        return new RunReport(
                "2026-11-28T10:00:00Z",
                100,
                99.5,
                2,
                figures(199, 5),
                4,
                2,
                new PacingDelay(0.011, 0.052, 1.2, 0.02),
                0.7,
                operations,
                new DatabaseTimeReport(primary, null),
                new RoutingReport(0, 118, 0, 0.9987, 8, 0),
                new SnapshotsReport(new SnapshotStatistics(1, 2, 3, 0, 0, 150, 2, 120, 0)),
                environment,
                null,
                null,
                null,
                null,
                timeline);
    }

    private static RunReport report() {
        return report("q_books_lent_out");
    }

    private static JsonNode written(RunReport report) throws Exception {
        return new ObjectMapper().readTree(ReportJson.write(report));
    }

    @Test
    void theJsonReportHasTheRequiredFieldsOverallAndPerOperation() throws Exception {
        JsonNode json = written(report());

        for (String field : new String[] {
            "target_rate",
            "achieved_rate",
            "duration_s",
            "requests",
            "errors",
            "timeouts",
            "conflicts",
            "business_failures",
            "p50_ms",
            "p90_ms",
            "p99_ms",
            "p999_ms",
            "max_ms"
        }) {
            assertThat(json.has(field)).as(field).isTrue();
            assertThat(json.get("operations").get("lend").has(field))
                    .as("lend." + field)
                    .isTrue();
        }
        assertThat(json.get("target_rate").asDouble()).isEqualTo(100);
        assertThat(json.get("requests").asLong()).isEqualTo(199);
        assertThat(json.get("operations").get("lend").get("p99_ms").asDouble()).isEqualTo(6);
        assertThat(json.get("operations")
                        .get("lend")
                        .get("time_breakdown_ms")
                        .get("database")
                        .asDouble())
                .isEqualTo(0.6);
        assertThat(json.get("timeline")).hasSize(2);
    }

    @Test
    void theTopLevelKeysComeInTheDocumentedOrder() throws Exception {
        assertThat(written(report()).fieldNames())
                .toIterable()
                .containsExactly(
                        "started_at",
                        "target_rate",
                        "achieved_rate",
                        "duration_s",
                        "requests",
                        "ok",
                        "idempotent",
                        "business_failures",
                        "errors",
                        "timeouts",
                        "shed",
                        "conflicts",
                        "p50_ms",
                        "p90_ms",
                        "p99_ms",
                        "p999_ms",
                        "max_ms",
                        "time_breakdown_ms",
                        "backpressure",
                        "late_starts",
                        "pacing_delay_ms",
                        "max_replication_lag_ms",
                        "operations",
                        "database_time",
                        "routing",
                        "snapshots",
                        "environment",
                        "timeline");
    }

    @Test
    void everyKeyAtEveryDepthIsSnakeCase() throws Exception {
        JsonNode json =
                written(report().withFindMax(new FindMaxReport(100, List.of(step(100, 99.5, 1.5, 5, 0, 0, true, "")))));

        assertThat(JsonShape.keysNotInSnakeCase(json)).isEmpty();
        assertThat(JsonShape.keyCount(json)).isGreaterThan(150);
        assertThat(json.get("timeline").get(0).fieldNames())
                .toIterable()
                .contains(
                        "target_rate",
                        "finished_by_operation",
                        "p50_ms",
                        "replication_lag_ms",
                        "replication_lag_bytes",
                        "primary_active",
                        "replica_active");
    }

    @Test
    void theKeyCheckFindsACamelCaseKeyAtAnyDepth() throws Exception {
        JsonNode json = new ObjectMapper()
                .readTree("{\"timeline\": [{\"second\": 1, \"finishedByOperation\": {\"lend\": 1}}]}");

        assertThat(JsonShape.keysNotInSnakeCase(json)).containsExactly("$.timeline[0].finishedByOperation");
    }

    @Test
    void noValueIsTheToStringOfARecord() throws Exception {
        JsonNode json = written(report());

        assertThat(JsonShape.recordToStrings(json)).isEmpty();
        assertThat(JsonShape.recordToStrings(new ObjectMapper().readTree("{\"mix\": \"Mix[weights={LEND=15}]\"}")))
                .hasSize(1);
    }

    @Test
    void theMixAndTheSnapshotStatisticsAreJsonObjects() throws Exception {
        JsonNode json = written(report());

        JsonNode mix = json.get("environment").get("mix");
        assertThat(mix.get("weights").get("lend").asInt()).isEqualTo(15);
        assertThat(mix.get("weights").fieldNames()).toIterable().containsExactly("lend", "q_books_lent_out");
        assertThat(mix.get("hot_books").asInt()).isEqualTo(20);
        assertThat(mix.get("contention").asDouble()).isEqualTo(0.05);
        JsonNode statistics = json.get("snapshots").get("statistics");
        assertThat(statistics.get("memory_cache_hits").asLong()).isEqualTo(150);
        assertThat(statistics.get("answered_without_read").asLong()).isEqualTo(120);
        assertThat(statistics.get("save_failures").asLong()).isZero();
    }

    @Test
    void theReportReadsBackEqualToWhatWasWritten() throws Exception {
        RunReport report = report().withFindMax(new FindMaxReport(
                150,
                List.of(
                        step(100, 99.5, 1.5, 5, 0, 0, true, ""),
                        step(150, 120.2, 30, 80, 3, 1, false, "p99 80.0 ms > 50 ms"))));

        assertThat(ReportJson.read(ReportJson.write(report))).isEqualTo(report);
    }

    @Test
    void measuredFiguresAreWrittenToThreeDecimalsAndKeptWhole() throws Exception {
        Figures precise = new Figures(
                1, 1, 0, 0, 0, 0, 0, 0, 0.1234, 0.5, 1.23456, 2, 3, new TimeBreakdown(1.00049, 0.0005, 0, 0, 0, 0));
        RunReport report = report();
        report = new RunReport(
                report.startedAt(),
                report.targetRate(),
                99.12345,
                report.durationSeconds(),
                precise,
                report.backpressure(),
                report.lateStarts(),
                report.pacingDelayMs(),
                report.maxReplicationLagMs(),
                report.operations(),
                report.databaseTime(),
                report.routing(),
                report.snapshots(),
                report.environment(),
                null,
                null,
                null,
                null,
                report.timeline());

        JsonNode json = written(report);

        assertThat(json.get("achieved_rate").asDouble()).isEqualTo(99.123);
        assertThat(json.get("p50_ms").asDouble()).isEqualTo(0.123);
        assertThat(json.get("p99_ms").asDouble()).isEqualTo(1.235);
        assertThat(json.get("time_breakdown_ms").get("total").asDouble()).isEqualTo(1.0);
        assertThat(json.get("time_breakdown_ms").get("queue_wait").asDouble()).isEqualTo(0.001);
        assertThat(json.get("routing").get("sql_cache_hit_rate").asDouble()).isEqualTo(0.9987);
        assertThat(json.get("database_time")
                        .get("primary")
                        .get("read")
                        .get("exec_ms")
                        .asDouble())
                .isEqualTo(12.3);
        assertThat(report.overall().p99Ms()).isEqualTo(1.23456);
    }

    @Test
    void sectionsWithoutDataAreLeftOut() throws Exception {
        JsonNode json = written(report());

        assertThat(json.has("find_max")).isFalse();
        assertThat(json.get("database_time").has("primary")).isTrue();
        assertThat(json.get("database_time").has("replica")).isFalse();
    }

    @Test
    void aChaosRunReportsEachOutageAndTheCheckOfTheLogInTheJsonTheHtmlAndTheConsole() throws Exception {
        RunReport report = report().withChaos(new ChaosReport(
                "kill-primary@1s,start-primary@1.5s",
                List.of(new OutageReport(
                        "primary", "kill-primary", 1.0001, 1.5, 1.9, 2.1, 600.1234, 1100, 42, 10, 2, 30)),
                new AppendAuditReport(150, 151, 151, 0, 0, List.of())));

        JsonNode outage = written(report).get("chaos").get("outages").get(0);
        String html = HtmlReport.render(report);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ConsoleSummary.print(report, new PrintStream(console, true, StandardCharsets.UTF_8));

        assertThat(outage.get("fault").asText()).isEqualTo("kill-primary");
        assertThat(outage.get("down_at_s").asDouble()).isEqualTo(1.0);
        assertThat(outage.get("recovery_ms").asDouble()).isEqualTo(600.123);
        assertThat(outage.get("requests_failed").asLong()).isEqualTo(42);
        assertThat(written(report)
                        .get("chaos")
                        .get("append_audit")
                        .get("acknowledged_lost")
                        .asLong())
                .isZero();
        assertThat(html)
                .contains("Outages", "kill-primary", "acknowledged appends lost: 0")
                .contains("\"down_at_s\":1.0", "\"recovered_at_s\":2.1");
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("Chaos: kill-primary@1s,start-primary@1.5s", "events doubled: 0");
        assertThat(written(report()).has("chaos")).isFalse();
    }

    @Test
    void aFindMaxRunShowsEveryStepWithItsPlaceInTheTimelineAndTheGoal() {
        RunReport report = report().withFindMax(new FindMaxReport(
                150,
                List.of(
                        step(150, 149.9, 1.5, 5, 0, 0, true, ""),
                        step(225, 190, 30, 80, 0, 3, false, "p99 80.0 ms > 50 ms"))));

        String html = HtmlReport.render(report);

        assertThat(html)
                .contains("Find-max: 150 req/s sustained", "id=\"chart-find-max\"")
                .contains("<td>0-60</td><td>150</td>", "not sustained: p99 80.0 ms &gt; 50 ms")
                .contains("\"from_s\":0,\"to_s\":60", "\"max_p99_ms\":50")
                .contains("(goal 50 ms)");
    }

    @Test
    void aFindMaxRunReportsItsStepsAndTheHighestSustainedRate() throws Exception {
        JsonNode json = written(
                report().withFindMax(new FindMaxReport(150, List.of(step(150, 149.9, 1.5, 5, 0, 0, true, "")))));

        assertThat(json.get("find_max").get("max_sustained_rate").asDouble()).isEqualTo(150);
        assertThat(json.get("find_max").get("steps").get(0).get("why_not").asText())
                .isEmpty();
        assertThat(json.get("find_max").get("steps").get(0).get("sustained").asBoolean())
                .isTrue();
    }

    @Test
    void theHtmlReportCarriesItsChartLibraryInlineAndLoadsNothingFromTheNetwork(@TempDir Path directory)
            throws Exception {
        ReportWriter.write(report("<script>q</script>"), directory);

        String html = Files.readString(directory.resolve("report.html"));
        assertThat(html)
                .contains("id=\"chart-latency\"", "id=\"chart-percentiles\"", "id=\"chart-throughput\"")
                .contains("Latency over time", "Latency by percentile", "Throughput", "Errors")
                .contains("var uPlot=function()", "The MIT License (MIT)", "Copyright (c) 2022 Leon Sorokin")
                .contains("<script id=\"report-data\" type=\"application/json\">");
        assertThat(html)
                .doesNotContainPattern("(src|href)\\s*=\\s*[\"']?(https?:)?//")
                .doesNotContain("<link", "@import", "<script src");
        assertThat(html).doesNotContain("<script>q</script>").contains("&lt;script&gt;q&lt;/script&gt;");
        assertThat(html).contains("\\u003cscript>q\\u003c/script>");
        assertThat(Files.exists(directory.resolve("report.json"))).isTrue();
    }

    @Test
    void theHtmlReportShowsEveryOperationAndTheStructuredDetails(@TempDir Path directory) throws Exception {
        ReportWriter.write(report(), directory);

        String html = Files.readString(directory.resolve("report.html"));
        assertThat(html)
                .contains("<td>lend</td>")
                .contains("<td>q_books_lent_out</td>")
                .contains("<td>all</td>");
        assertThat(html).contains("&quot;memory_cache_hits&quot; : 150").contains("&quot;hot_books&quot; : 20");
        // No record's toString() in the page (the scripts' code aside).
        assertThat(html.replaceAll("(?s)<script.*?</script>", "")).doesNotContainPattern("\\w+\\[\\w+=");
    }

    private static RunReport withWindowsAndCpu() {
        List<LatencyWindow> windows = new ArrayList<>(SteadinessTest.windows(4, 4, 4));
        windows.set(
                1,
                windows.get(1)
                        .withActivities(List.of(
                                new ActivitySummary("autovacuum", "primary", "VACUUM public.events", 1, 3_200, 3_200),
                                new ActivitySummary("gc_pause", "jvm", "PS Scavenge (Allocation Failure)", 2, 12, 7)))
                        .withCpuCores(Map.of("jvm", 0.25)));
        windows.add(new LatencyWindow(30, 40, 5_000, 1, 32, 60, 1, 2, 3, List.of(), Map.of()));
        Map<String, CpuUse> processes = new LinkedHashMap<>();
        processes.put("jvm", new CpuUse(8.4, 421, 0.21));
        processes.put("primary", new CpuUse(6, 300, 0.15));
        processes.put("replica", new CpuUse(4.7, 235.5, 0.118));
        processes.put("other", new CpuUse(21.1, 1_055, 0.528));
        return report().withWindowsAndCpu(
                        Steadiness.of(10, windows),
                        new CpuReport(40, 20_000, 2, processes, new CpuUse(40.2, 2_010, 1.005), ""));
    }

    @Test
    void aRunReportsItsWindowsAndCpuPerRequestInTheJsonTheHtmlAndTheConsole() throws Exception {
        RunReport report = withWindowsAndCpu();

        JsonNode json = written(report);
        String html = HtmlReport.render(report);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ConsoleSummary.print(report, new PrintStream(console, true, StandardCharsets.UTF_8));

        JsonNode steadiness = json.get("steadiness");
        assertThat(steadiness.get("median_p99_ms").asDouble()).isEqualTo(4);
        assertThat(steadiness.get("worst_from_s").asInt()).isEqualTo(30);
        assertThat(steadiness.get("windows_over_bound").asInt()).isEqualTo(1);
        assertThat(steadiness
                        .get("windows")
                        .get(1)
                        .get("activities")
                        .get(0)
                        .get("kind")
                        .asText())
                .isEqualTo("autovacuum");
        assertThat(steadiness.get("windows").get(1).get("cpu_cores").get("jvm").asDouble())
                .isEqualTo(0.25);
        assertThat(json.get("cpu")
                        .get("processes")
                        .get("primary")
                        .get("us_per_request")
                        .asDouble())
                .isEqualTo(300);
        assertThat(json.get("cpu").get("machine").get("cores").asDouble()).isEqualTo(1.005);
        assertThat(html)
                .contains("Steadiness: p99 per 10-second window", "3x median 12.00 ms", "worst 32.0 ms (8.0x)")
                .contains("CPU per request, by process", "<td>primary</td><td>6.00</td><td>300</td>")
                .contains("<th>cores jvm</th>", "<td>0.25</td>")
                .contains("autovacuum on primary: 1 (3200 ms in the window, longest 3200 ms): VACUUM public.events");
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("windows (10 s): median p99 4.00 ms, worst 32.00 ms at 30-40 s (8.0x), over 3x: 1 of 4")
                .contains("in the worst window (30-40 s): no GC pause, autovacuum, checkpoint, snapshot save or long"
                        + " transaction seen")
                .contains("CPU per request (20,000 requests in 40.0 s): jvm 421 us (8.4 s, 0.21 cores), primary 300 us"
                        + " (6.0 s, 0.15 cores), replica 236 us (4.7 s, 0.12 cores), other 1055 us (21.1 s, 0.53 cores);"
                        + " machine 2010 us, 1.01 of 2 cores busy");
    }

    @Test
    void theWindowsAndTheCpuReadBackEqualToWhatWasWritten() throws Exception {
        RunReport report = withWindowsAndCpu();

        assertThat(ReportJson.read(ReportJson.write(report))).isEqualTo(report);
        assertThat(JsonShape.keysNotInSnakeCase(written(report))).isEmpty();
    }

    @Test
    void theConsoleSummaryNamesTheRoutingFiguresAsTheJsonDoes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        ConsoleSummary.print(report(), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains(
                        "reads: {primary_reads=0, replica_reads=118, fallbacks=0, sql_cache_hit_rate=0.9987, sql_cache_shapes=8,"
                                + " global_lock_appends=0}")
                .contains("late by (ms) p50 0.01, p99 0.05, max 1.20, mean 0.02");
    }
}
