package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench-mix} for a few seconds on the embedded primary and replica: where pgbench is
 * installed, it replays the store's own statements and reports a rate; where it is not, it says
 * so before doing anything else (a skipped test would count as a failure, so both are checked).
 */
class MixBenchmarkIT {

    @Test
    void benchMixReplaysTheStoresOwnStatementsUnderPgbenchOrSaysThatPgbenchIsMissing(@TempDir Path directory)
            throws Exception {
        StringWriter errors = new StringWriter();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream standardOut = System.out;
        int exitCode;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exitCode = Main.commandLine()
                    .setErr(new PrintWriter(errors))
                    .execute(
                            "bench-mix",
                            "--events",
                            "3000",
                            "--books",
                            "300",
                            "--readers",
                            "60",
                            "--sample",
                            "300",
                            "--seconds",
                            "2",
                            "--rounds",
                            "1",
                            "--report-dir",
                            directory.toString());
        } finally {
            System.setOut(standardOut);
        }
        String output = captured.toString(StandardCharsets.UTF_8);

        if (!pgbenchRuns()) {
            assertThat(exitCode).isEqualTo(3);
            assertThat(errors.toString()).contains("pgbench not found");
            assertThat(output).doesNotContain("Sample:");
            return;
        }
        assertThat(exitCode).as(errors.toString()).isZero();
        assertThat(output)
                .contains("| 01-lend | primary |", "-q_books_lent_by_reader | replica |", "| calibration, held |");
        Matcher median =
                Pattern.compile("Median: ([0-9,]+) requests/s of the mix").matcher(output);
        assertThat(median.find()).as(output).isTrue();
        assertThat(Long.parseLong(median.group(1).replace(",", ""))).isPositive();
        Matcher scripts = Pattern.compile("Scripts: (\\S+)").matcher(output);
        assertThat(scripts.find()).isTrue();
        String primary = Files.readString(Path.of(scripts.group(1), "1-primary.sql"));
        String replica = Files.readString(Path.of(scripts.group(1), "2-replica.sql"));
        assertThat(primary)
                .contains("\\startpipeline\nSET transaction_isolation = 'read committed';\n")
                .contains("FROM events_safe_mark(:ms::bigint[], :mk::bigint[], :mx::bigint[]) AS m;")
                .contains("pg_advisory_xact_lock(k)")
                .contains("events_condition_failed_if(c.found > :c")
                .contains("INSERT INTO events (sequence_number, event_type, payload, metadata, occurred_at, event_id)")
                .doesNotContain("?");
        assertThat(replica).contains("FROM events_safe_mark(").doesNotContain("INSERT INTO events");
    }

    private static boolean pgbenchRuns() throws InterruptedException {
        try {
            Process process = new ProcessBuilder(List.of("pgbench", "--version"))
                    .redirectErrorStream(true)
                    .start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException notInstalled) {
            return false;
        }
    }
}
