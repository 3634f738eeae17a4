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

class GrowthReportTest {

    private static GrowthRow row(String label, long events, double appendP99, double findMax) {
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
                1.1,
                appendP99,
                events / 1_000_000 * 900.0,
                events / 1_000_000 * 0.1,
                1,
                9_000,
                0.3,
                0.4,
                findMax,
                findMax * 1.2,
                List.of(findMax),
                List.of(findMax * 1.2),
                0.999,
                0.998,
                400_000_000,
                900_000_000,
                events + 250_000,
                0.5);
    }

    @Test
    void theTableHasAColumnPerSizeAndTheLargestOverTheSmallest() {
        GrowthReport report = new GrowthReport(
                "2026-12-05T08:00:00Z",
                "Machine: 2 cores",
                "Sizes 1M,10M",
                List.of(row("1M", 1_000_000, 2.0, 3_000), row("10M", 10_000_000, 3.0, 2_400)));

        String table = report.markdown();

        assertThat(table.lines().findFirst()).hasValue("| what | 1M | 10M | 10M / 1M |");
        assertThat(table).contains("| conditional append p50 / p99 (ms) | 1.10 / 2.00 | 1.10 / 3.00 | 1.00 / 1.50 |");
        assertThat(table).contains("| find-max, every query reads (req/s) | 3,000 | 2,400 | 0.80 |");
        assertThat(table).contains("| table + indexes per event (bytes) | 400 | 400 | 1.00 |");
        assertThat(table)
                .contains("| WAL per append (bytes) / full-page images per append; checkpoints during the appends"
                        + " | 900 / 0.10; 1 | 9,000 / 1.00; 1 | 10.00 / 10.00 |");
        // Lines whose cells are not one figure have no ratio.
        assertThat(table).contains("| book copies / readers | 200,000 / 50,000 | 2,000,000 / 500,000 |  |");
        assertThat(table.lines().skip(1).findFirst()).hasValue("|---|---|---|---|");
    }

    @Test
    void oneSizeHasNoRatioColumn() {
        GrowthReport report = new GrowthReport("t", "m", "s", List.of(row("1M", 1_000_000, 2.0, 3_000)));

        assertThat(report.cells().get(0)).containsExactly("what", "1M");
        assertThat(report.cells()).allSatisfy(line -> assertThat(line).hasSize(2));
    }

    @Test
    void theReportIsWrittenAsMarkdownJsonAndAPageThatCarriesItsOwnData(@TempDir Path directory) throws Exception {
        GrowthReport report = new GrowthReport(
                "2026-12-05T08:00:00Z",
                "Machine: 2 cores",
                "Sizes <1M>",
                List.of(row("1M", 1_000_000, 2.0, 3_000), row("10M", 10_000_000, 3.0, 2_400)));

        report.write(directory);

        assertThat(Files.readString(directory.resolve("growth.md")))
                .startsWith("# Growth benchmark, 2026-12-05T08:00:00Z")
                .contains(report.markdown());
        JsonNode json = new ObjectMapper().readTree(Files.readString(directory.resolve("growth.json")));
        assertThat(json.path("rows")).hasSize(2);
        assertThat(json.path("rows").get(1).path("find_max_reading").asDouble()).isEqualTo(2_400);
        assertThat(json.path("rows").get(1).path("append_p99_ms").asDouble()).isEqualTo(3.0);
        assertThat(json.path("rows")
                        .get(0)
                        .path("indexes")
                        .path("events_payload_idx")
                        .asLong())
                .isEqualTo(40_000_000);
        String html = Files.readString(directory.resolve("growth.html"), StandardCharsets.UTF_8);
        assertThat(html)
                .contains("<td>find-max, every query reads (req/s)</td><td>3,000</td><td>2,400</td><td>0.80</td>");
        assertThat(html)
                .contains("id=\"chart-latency\"")
                .contains("id=\"chart-find-max\"")
                .contains("uPlot");
        // The settings' angle brackets neither close the data block nor the page's markup.
        assertThat(html)
                .contains("Sizes &lt;1M&gt;")
                .contains("Sizes \\u003c1M>")
                .doesNotContain("Sizes <1M>");
    }

    @Test
    void aFindMaxAndTheRunsItWasTakenFromAreWrittenToTheSameThreeDecimals(@TempDir Path directory) throws Exception {
        // Find-max rates are whole requests over fractional seconds: 3417.1875 has four decimals.
        new GrowthReport("2026-12-05T08:00:00Z", "Machine", "Sizes", List.of(row("20K", 20_000, 2.0, 3_417.1875)))
                .write(directory);

        JsonNode row = new ObjectMapper()
                .readTree(Files.readString(directory.resolve("growth.json")))
                .path("rows")
                .get(0);
        assertThat(row.path("find_max_reading").asDouble()).isEqualTo(3_417.188);
        assertThat(row.path("find_max_reading_runs").get(0).asDouble()).isEqualTo(3_417.188);
        assertThat(row.path("find_max_eventual_runs").get(0).asDouble())
                .isEqualTo(row.path("find_max_eventual").asDouble());
    }
}
