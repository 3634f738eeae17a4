package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
    private static int exitCodeOf(StringWriter errors, String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(errors));
        return commandLine.execute(args);
    }

    @Test
    void invalidOptionValuesExitWithCodeTwoAndSayWhatIsWrong() {
        StringWriter errors = new StringWriter();
        assertThat(exitCodeOf(errors, "--rate", "-5")).isEqualTo(2);
        assertThat(errors.toString()).contains("--rate must be between");

        assertThat(exitCodeOf(new StringWriter(), "--rate", "fast")).isEqualTo(2);
        assertThat(exitCodeOf(new StringWriter(), "--workers", "0")).isEqualTo(2);
        assertThat(exitCodeOf(new StringWriter(), "--replica-url", "jdbc:postgresql://x/y"))
                .isEqualTo(2);
        assertThat(exitCodeOf(new StringWriter(), "--mix", "lend=x")).isEqualTo(2);
        assertThat(exitCodeOf(new StringWriter(), "--contention", "2")).isEqualTo(2);
        assertThat(exitCodeOf(new StringWriter(), "--no-such-option")).isEqualTo(2);
        assertThat(exitCodeOf(new StringWriter(), "--max-staleness", "-1")).isEqualTo(2);
        StringWriter queueErrors = new StringWriter();
        assertThat(exitCodeOf(queueErrors, "--queue", "random")).isEqualTo(2);
        assertThat(queueErrors.toString()).contains("--queue must be fifo or adaptive-lifo");
    }

    @Test
    void chaosOptionsThatCannotWorkExitWithCodeTwoAndSayWhy() {
        StringWriter external = new StringWriter();
        assertThat(exitCodeOf(external, "--chaos", "--primary-url", "jdbc:postgresql://x/y"))
                .isEqualTo(2);
        assertThat(external.toString()).contains("--chaos stops and kills servers");
        StringWriter late = new StringWriter();
        assertThat(exitCodeOf(late, "--duration", "10", "--chaos-schedule", "kill-primary@5s,start-primary@12s"))
                .isEqualTo(2);
        assertThat(late.toString()).contains("not within the 10 s run");
        StringWriter unpaired = new StringWriter();
        assertThat(exitCodeOf(unpaired, "--chaos-schedule", "kill-primary@5s")).isEqualTo(2);
        assertThat(unpaired.toString()).contains("never followed by a start");
        assertThat(exitCodeOf(new StringWriter(), "--chaos", "--find-max")).isEqualTo(2);
    }

    @Test
    void benchMixWithoutPgbenchExitsWithCodeThreeBeforeStartingAServerAndSaysWhatToInstall() {
        StringWriter errors = new StringWriter();
        assertThat(exitCodeOf(errors, "bench-mix", "--pgbench", "/no/such/pgbench"))
                .isEqualTo(3);
        assertThat(errors.toString()).contains("pgbench not found (/no/such/pgbench)", "postgresql-client");
    }

    @Test
    void benchMixRefusesOptionsItCannotHonour() {
        assertThat(exitCodeOf(new StringWriter(), "bench-mix", "--chaos")).isEqualTo(2);
        assertThat(exitCodeOf(new StringWriter(), "bench-mix", "--seconds", "0"))
                .isEqualTo(2);
        assertThat(exitCodeOf(new StringWriter(), "bench-mix", "--events", "-1"))
                .isEqualTo(2);
    }

    @Test
    void helpDescribesEveryOption() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));
        assertThat(commandLine.execute("--help")).isZero();
        for (String option : new String[] {
            "--rate",
            "--duration",
            "--workers",
            "--timeout",
            "--primary-url",
            "--replica-url",
            "--books",
            "--readers",
            "--seed",
            "--report-dir",
            "--find-max",
            "--check-invariants",
            "--queue",
            "--warmup",
            "--max-staleness",
            "--chaos",
            "--chaos-schedule"
        }) {
            assertThat(out.toString()).contains(option);
        }
    }
}
