package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
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

    private static SimulationConfig configOf(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.parseArgs(args);
        return ((Main) commandLine.getCommand()).options.toConfig();
    }

    @Test
    void serverSettingsGoToTheirOwnServerAndMalformedOnesAreRefused() {
        SimulationConfig config = configOf(
                "--primary-setting", "shared_buffers=4GB",
                "--replica-setting", "shared_buffers=2GB",
                "--replica-setting", "max_standby_streaming_delay=10s");
        assertThat(config.primarySettings()).containsExactly(Map.entry("shared_buffers", "4GB"));
        assertThat(config.replicaSettings())
                .containsOnly(Map.entry("shared_buffers", "2GB"), Map.entry("max_standby_streaming_delay", "10s"));

        StringWriter malformed = new StringWriter();
        assertThat(exitCodeOf(malformed, "--replica-setting", "shared_buffers")).isEqualTo(2);
        assertThat(malformed.toString()).contains("--replica-setting looks like name=value");
        StringWriter external = new StringWriter();
        assertThat(exitCodeOf(external, "--primary-url", "jdbc:postgresql://localhost/x", "--replica-setting", "a=b"))
                .isEqualTo(2);
        assertThat(external.toString()).contains("--replica-setting applies to the embedded replica only");
    }

    @Test
    void durationsTakeUnitsAndBareNumbersKeepTheirOldUnit() {
        SimulationConfig withUnits =
                configOf("--duration", "10m", "--warmup", "1h", "--timeout", "2s", "--max-p99", "0.5s");
        assertThat(withUnits.duration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(withUnits.warmup()).isEqualTo(Duration.ofHours(1));
        assertThat(withUnits.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(withUnits.maxP99()).isEqualTo(Duration.ofMillis(500));

        SimulationConfig bare = configOf(
                "--duration", "20", "--warmup", "5", "--timeout", "1000", "--max-p99", "50", "--max-staleness", "100");
        assertThat(bare.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(bare.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(bare.timeout()).isEqualTo(Duration.ofMillis(1000));
        assertThat(bare.maxP99()).isEqualTo(Duration.ofMillis(50));
        assertThat(bare.maxStaleness()).isEqualTo(Duration.ofMillis(100));

        SimulationConfig defaults = configOf();
        assertThat(defaults.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aDurationWithAnUnknownUnitOrNotInWholeSecondsExitsWithCodeTwoAndSaysWhatWouldDo() {
        StringWriter unit = new StringWriter();
        assertThat(exitCodeOf(unit, "--duration", "20x")).isEqualTo(2);
        assertThat(unit.toString())
                .contains(
                        "--duration", "'20x' is not a duration", "e.g. 250ms, 20s, 10m, 1h", "bare number of seconds");
        StringWriter millis = new StringWriter();
        assertThat(exitCodeOf(millis, "--timeout", "1 minute")).isEqualTo(2);
        assertThat(millis.toString()).contains("bare number of milliseconds");
        StringWriter fraction = new StringWriter();
        assertThat(exitCodeOf(fraction, "--duration", "1500ms")).isEqualTo(2);
        assertThat(fraction.toString()).contains("--duration must be a whole number of seconds");
    }

    @Test
    void versionPrintsTheSimulatorsVersionFromTheBuild() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));
        assertThat(commandLine.execute("--version")).isZero();
        assertThat(out.toString())
                .containsPattern("dcb-simulator \\d+\\.\\d+\\.\\d+")
                .contains("uPlot 1.6.30");
    }

    @Test
    void helpListsTheExitCodes() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));
        assertThat(commandLine.execute("--help")).isZero();
        assertThat(out.toString())
                .contains("Exit codes:", "0   done", "1   a check failed", "2   invalid options", "3   the run failed");
    }

    @Test
    void aFailedRunPrintsOneLineAndTheStackTraceOnlyWhenVerbose() {
        StringWriter quiet = new StringWriter();
        assertThat(exitCodeOf(quiet, "bench-mix", "--pgbench", "/no/such/pgbench"))
                .isEqualTo(Main.FAILED);
        assertThat(quiet.toString().strip())
                .startsWith("bench-mix failed: ")
                .endsWith("[--verbose for the stack trace]")
                .doesNotContain("\tat ", "\n");

        StringWriter verbose = new StringWriter();
        assertThat(exitCodeOf(verbose, "bench-mix", "--pgbench", "/no/such/pgbench", "--verbose"))
                .isEqualTo(Main.FAILED);
        assertThat(verbose.toString()).startsWith("bench-mix failed: ").contains("\tat ");
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
            "--chaos-schedule",
            "--verbose",
            "--version"
        }) {
            assertThat(out.toString()).contains(option);
        }
    }
}
