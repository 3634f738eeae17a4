package io.dcbstore.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the growth report says about figures it has no single value for, or did not measure. */
class GrowthReportFiguresTest {

    private static GrowthRow row(
            String label, long events, double appendP50, double appendP99, double hitPrimary, double hitReplica) {
        return row(
                label,
                events,
                appendP50,
                appendP99,
                hitPrimary,
                hitReplica,
                List.of(3_000.0),
                3_000,
                List.of(3_600.0),
                3_600);
    }

    /** @return a row whose find-max figures are these medians of these runs */
    private static GrowthRow row(
            String label,
            long events,
            double appendP50,
            double appendP99,
            double hitPrimary,
            double hitReplica,
            List<Double> findMaxReadingRuns,
            double findMaxReading,
            List<Double> findMaxEventualRuns,
            double findMaxEventual) {
        return new GrowthRow(
                label,
                events,
                events / 5,
                events / 20,
                16.1,
                events * 330,
                events * 70,
                Map.of("events_payload_idx", events * 40),
                events * 900,
                3,
                60_000,
                1,
                2,
                7_500,
                appendP50,
                appendP99,
                1_500,
                0.2,
                0,
                9_000,
                0.3,
                0.4,
                findMaxReading,
                findMaxEventual,
                findMaxReadingRuns,
                findMaxEventualRuns,
                hitPrimary,
                hitReplica,
                400_000_000,
                900_000_000,
                events + 250_000,
                0.5);
    }

    private static List<String> lineOf(GrowthReport report, String name) {
        return report.cells().stream()
                .filter(line -> line.get(0).equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aHitRatioThatWasNotMeasuredIsWrittenToTheJsonAsNoFigureNotAsZeroPercent(@TempDir Path directory)
            throws Exception {
        // No block read on the replica during the period: BlockCounters gives NaN, the table shows "-".
        GrowthReport report =
                new GrowthReport("t", "m", "s", List.of(row("1M", 1_000_000, 1.0, 2.0, 0.999, Double.NaN)));

        report.write(directory);

        assertThat(report.markdown()).contains("| 99.90% / - |");
        JsonNode replica = new ObjectMapper()
                .readTree(Files.readString(directory.resolve("growth.json")))
                .path("rows")
                .get(0)
                .path("hit_ratio_replica");
        // ThreeDecimals rounds NaN to 0.0: growth.json claims a 0% hit ratio where the table says "-".
        assertThat(replica.isNumber())
                .as("hit_ratio_replica in growth.json is %s", replica)
                .isFalse();
    }

    @Test
    void theRatioOfALineWithTwoFiguresSaysWhichFigureItIsOrIsLeftOut() {
        // p50 unchanged (1.00), p99 up by half (1.50).
        GrowthReport report = new GrowthReport(
                "t",
                "m",
                "s",
                List.of(row("1M", 1_000_000, 1.1, 2.0, 0.99, 0.99), row("10M", 10_000_000, 1.1, 3.0, 0.90, 0.99)));

        List<String> append = lineOf(report, "conditional append p50 / p99 (ms)");
        List<String> hits = lineOf(report, "shared_buffers hit ratio, primary / replica");

        // A bare "1.50" under "p50 / p99" reads as both; "0.91" under "primary / replica" as both servers'.
        assertThat(append.get(3)).isIn("1.00 / 1.50", "");
        assertThat(hits.get(3)).isIn("0.91 / 1.00", "");
    }

    @Test
    void theAppendLineDoesNotClaimAWriterCountOtherThanTheOneMeasured(@TempDir Path directory) throws Exception {
        // bench-growth --writers 4: the settings line says 4, the row has no writer count.
        GrowthReport report = new GrowthReport(
                "t",
                "m",
                "appends at 4 writers and queries at 4 threads",
                List.of(row("1M", 1_000_000, 1.0, 2.0, 0.99, 0.99)));

        report.write(directory);

        assertThat(report.markdown()).doesNotContain("8 writers");
        assertThat(Files.readString(directory.resolve("growth.html"), StandardCharsets.UTF_8))
                .doesNotContain("8 writers");
    }

    @Test
    void aFindMaxOfSeveralRunsShowsItsMedianAndEveryRunInOrder() {
        GrowthRow one = row("1M", 1_000_000, 1.0, 2.0, 1, 1);
        GrowthRow repeated = row(
                "10M",
                10_000_000,
                1.0,
                2.0,
                0.8,
                0.7,
                List.of(2_166.0, 1_575.0, 1_969.0),
                1_969,
                List.of(3_544.0, 3_544.0, 3_987.0),
                3_544);
        GrowthReport report = new GrowthReport("2026-12-05T08:00:00Z", "Machine", "Sizes", List.of(one, repeated));

        assertThat(lineOf(report, "find-max, every query reads (req/s)"))
                .containsExactly(
                        "find-max, every query reads (req/s)", "3,000", "1,969 (runs: 2,166, 1,575, 1,969)", "0.66");
        assertThat(lineOf(report, "find-max, queries from projections within the staleness bound (req/s)"))
                .element(2)
                .isEqualTo("3,544 (runs: 3,544, 3,544, 3,987)");
    }

    @Test
    void aMedianOfTwoRunsOrMoreListsEveryRunAndASingleRunListsNone() {
        assertThat(GrowthReport.runs(List.of(1_772.0, 1_968.6))).isEqualTo(" (runs: 1,772, 1,969)");
        assertThat(GrowthReport.runs(List.of(1_772.0, 1_969.0, 2_166.0))).isEqualTo(" (runs: 1,772, 1,969, 2,166)");
        assertThat(GrowthReport.runs(List.of(1_772.0))).isEmpty();
    }
}
