package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the simulator with the store reaching the embedded primary and replica through a
 * PgBouncer each, in transaction mode ({@code --pgbouncer}); runs in the {@code pgbouncer} profile.
 */
class PgBouncerSimulatorIT {

    @Test
    void aRunThroughPgBouncerInTransactionModeServesTheLoadAndTheInvariantsHold(@TempDir Path directory)
            throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream console = System.out;
        int exitCode;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            exitCode = Main.commandLine()
                    .execute(
                            "--pgbouncer",
                            "--rate",
                            "150",
                            "--duration",
                            "6",
                            "--warmup",
                            "1",
                            "--books",
                            "300",
                            "--readers",
                            "60",
                            "--events",
                            "2000",
                            "--check-invariants",
                            "--report-dir",
                            directory.toString());
        } finally {
            System.setOut(console);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        console.print(output);

        assertThat(exitCode).as(output).isZero();
        assertThat(output).contains("each behind PgBouncer in transaction mode");
        assertThat(output).containsPattern("invariants: [0-9,]+ events read, [0-9,]+ loans checked .*: no violation");
        JsonNode report =
                new ObjectMapper().readTree(directory.resolve("report.json").toFile());
        assertThat(report.get("requests").asLong()).isGreaterThan(600);
        assertThat(report.get("errors").asLong()).isZero();
        assertThat(report.get("timeouts").asLong()).isZero();
        assertThat(report.get("routing").get("replica_reads").asLong())
                .as("reads reached the replica through its pooler")
                .isPositive();
    }
}
