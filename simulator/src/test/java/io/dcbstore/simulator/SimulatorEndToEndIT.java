package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcbstore.simulator.report.JsonShape;
import io.dcbstore.simulator.report.ReportJson;
import io.dcbstore.simulator.report.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short run of the real simulator on the embedded primary and replica. */
class SimulatorEndToEndIT {

    @Test
    void aShortRunWritesBothReportsAndPassesTheInvariantCheck(@TempDir Path directory) throws Exception {
        int exitCode = Main.commandLine()
                .execute(
                        "--rate",
                        "100",
                        "--duration",
                        "4",
                        "--warmup",
                        "1",
                        "--books",
                        "300",
                        "--readers",
                        "60",
                        "--events",
                        "2000",
                        "--workers",
                        "8",
                        "--check-invariants",
                        "--report-dir",
                        directory.toString());

        assertThat(exitCode).isZero();
        JsonNode report =
                new ObjectMapper().readTree(directory.resolve("report.json").toFile());
        assertThat(report.get("requests").asLong()).isGreaterThan(300);
        assertThat(report.get("target_rate").asDouble()).isEqualTo(100);
        assertThat(report.get("operations").has("lend")).isTrue();
        assertThat(report.get("errors").asLong())
                .isLessThanOrEqualTo(report.get("requests").asLong() / 100);
        assertThat(report.get("timeline").size()).isBetween(3, 6);
        assertThat(Files.readString(directory.resolve("report.html")))
                .contains("id=\"chart-latency\"", "id=\"chart-percentiles\"", "\"latency_by_percentile\"");
        assertThat(JsonShape.keysNotInSnakeCase(report)).isEmpty();
        assertThat(JsonShape.recordToStrings(report)).isEmpty();
        assertThat(report.get("environment")
                        .get("mix")
                        .get("weights")
                        .get("lend")
                        .asInt())
                .isEqualTo(15);
        assertThat(report.get("snapshots").get("statistics").has("memory_cache_hits"))
                .isTrue();
        assertThat(report.get("timeline").get(0).has("finished_by_operation")).isTrue();
        JsonNode windows = report.get("steadiness");
        assertThat(windows.get("window_s").asInt()).isEqualTo(10);
        assertThat(windows.get("windows").get(0).get("requests").asLong()).isGreaterThan(300);
        assertThat(windows.get("median_p99_ms").asDouble()).isPositive();
        JsonNode cpu = report.get("cpu").get("processes");
        assertThat(cpu.get("jvm").get("us_per_request").asDouble()).isPositive();
        assertThat(cpu.get("primary").get("cpu_s").asDouble()).isPositive();
        assertThat(cpu.get("replica").get("cpu_s").asDouble()).isPositive();
        RunReport typed = ReportJson.read(Files.readString(directory.resolve("report.json")));
        assertThat(typed.overall().requests()).isEqualTo(report.get("requests").asLong());
    }
}
