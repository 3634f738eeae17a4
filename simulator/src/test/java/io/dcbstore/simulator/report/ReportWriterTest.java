package io.dcbstore.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    private static OperationReport figures(String name, long requests, double p99) {
        return new OperationReport(name, requests, requests - 3, 1, 1, 1, 0, 0, 2, 1.5, 2.5, p99, p99 * 2, p99 * 3, 1.8,
                0.1, 0.05, 0.6, 0.4, 0.65);
    }

    private static RunReport report() {
        List<TimelinePoint> timeline = List.of(
                new TimelinePoint(1, 100, 98, Map.of("lend", 40L, "q_books_lent_out", 58L), 1.2, 2.0, 5.0, 9.0, 0, 0, 1, 0, 0.5, 0, 2, 1),
                new TimelinePoint(2, 100, 101, Map.of("lend", 41L, "q_books_lent_out", 60L), 1.1, 1.9, 4.0, 7.0, 1, 0, 0, 2, 0.7, 120, 3, 1));
        return new RunReport("2026-11-28T10:00:00Z", 100, 99.5, 2, figures("all", 199, 5), List.of(figures("lend", 81, 6),
                figures("<script>q</script>", 118, 4)), 2, timeline, Map.of("primary", Map.of("append", Map.of("calls", 80))),
                Map.of("replica_reads", 118), Map.of(), 0.7, Map.of("cores", 2), List.of(), 0,
                Map.of("p50", 0.1, "p99", 2.0));
    }

    @Test
    void theJsonReportHasTheRequiredFieldsOverallAndPerOperation() throws Exception {
        JsonNode json = new ObjectMapper().readTree(ReportWriter.toJson(report()).toString());

        for (String field : new String[] {"target_rate", "achieved_rate", "duration_s", "requests", "errors", "timeouts", "conflicts",
            "business_failures", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms"}) {
            assertThat(json.has(field)).as(field).isTrue();
            assertThat(json.get("operations").get("lend").has(field)).as("lend." + field).isTrue();
        }
        assertThat(json.get("target_rate").asDouble()).isEqualTo(100);
        assertThat(json.get("requests").asLong()).isEqualTo(199);
        assertThat(json.get("operations").get("lend").get("p99_ms").asDouble()).isEqualTo(6);
        assertThat(json.get("operations").get("lend").get("time_breakdown_ms").get("database").asDouble()).isEqualTo(0.6);
        assertThat(json.get("timeline")).hasSize(2);
    }

    @Test
    void theHtmlReportIsSelfContainedWithChartsAndEscapesNames(@TempDir Path directory) throws Exception {
        ReportWriter.write(report(), directory);

        String html = Files.readString(directory.resolve("report.html"));
        assertThat(html).contains("<svg").contains("Throughput").contains("Latency percentiles").contains("Errors");
        assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("<script");
        assertThat(html).contains("&lt;script&gt;q&lt;/script&gt;");
        assertThat(Files.exists(directory.resolve("report.json"))).isTrue();
    }
}
