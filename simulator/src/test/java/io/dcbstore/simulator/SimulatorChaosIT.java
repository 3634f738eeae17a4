package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short {@code --chaos} run of the real simulator: the replica stopped, the primary killed, both restarted. */
class SimulatorChaosIT {

    @Test
    void aChaosRunReportsBothOutagesWithTheirRecoveryAndLosesOrDoublesNoAcknowledgedAppend(@TempDir Path directory)
            throws Exception {
        int exitCode = Main.commandLine()
                .execute(
                        "--rate",
                        "100",
                        "--duration",
                        "16",
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
                        "--chaos-schedule",
                        "stop-replica@2s,start-replica@4s,kill-primary@8s,start-primary@9s",
                        "--report-dir",
                        directory.toString());

        assertThat(exitCode)
                .as("exit code: invariants hold, nothing acknowledged lost or doubled")
                .isZero();
        JsonNode report =
                new ObjectMapper().readTree(directory.resolve("report.json").toFile());
        JsonNode chaos = report.get("chaos");
        assertThat(report.get("cpu").get("note").asText())
                .as("the killed primary's CPU cannot be counted across its restart")
                .contains("primary restarted during the run");
        assertThat(chaos.get("schedule").asText()).startsWith("stop-replica@2s");
        JsonNode replica = chaos.get("outages").get(0);
        JsonNode primary = chaos.get("outages").get(1);
        assertThat(replica.get("fault").asText()).isEqualTo("stop-replica");
        assertThat(primary.get("fault").asText()).isEqualTo("kill-primary");
        for (JsonNode outage : chaos.get("outages")) {
            assertThat(outage.get("recovered_at_s").asDouble())
                    .as("%s recovered after its restart", outage.get("server"))
                    .isGreaterThanOrEqualTo(outage.get("up_at_s").asDouble());
            assertThat(outage.get("recovery_ms").asDouble()).isPositive();
        }
        assertThat(primary.get("requests_failed").asLong())
                .as("commands cannot succeed while the primary is down")
                .isPositive();
        JsonNode audit = chaos.get("append_audit");
        assertThat(audit.get("acknowledged_appends").asLong()).isPositive();
        assertThat(audit.get("acknowledged_lost").asLong()).isZero();
        assertThat(audit.get("events_doubled").asLong()).isZero();
        assertThat(Files.readString(directory.resolve("report.html")))
                .contains("Outages", "id=\"chart-latency\"", "\"down_at_s\"");
    }
}
