package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.simulator.chaos.ChaosSchedule;
import io.dcbstore.simulator.load.Mix;
import io.dcbstore.simulator.load.RequestKind;
import io.dcbstore.simulator.load.RequestQueue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

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

    /** Every option of the main command that the tests below give a value of its own (and --help, --version). */
    private static final Set<String> OPTIONS_COVERED = Set.of(
            "--rate",
            "--duration",
            "--warmup",
            "--workers",
            "--timeout",
            "--primary-url",
            "--replica-url",
            "--user",
            "--password",
            "--books",
            "--readers",
            "--events",
            "--seed",
            "--report-dir",
            "--find-max",
            "--max-p99",
            "--check-invariants",
            "--pool-size",
            "--mix",
            "--contention",
            "--repeats",
            "--failures",
            "--queue",
            "--max-staleness",
            "--decision-states",
            "--follow",
            "--primary-setting",
            "--replica-setting",
            "--pgbouncer",
            "--snapshot-every",
            "--story-snapshots",
            "--indexed-keys",
            "--metrics-port",
            "--tracing",
            "--chaos",
            "--chaos-schedule",
            "--verbose",
            "--help",
            "--version");

    @Test
    void everyOptionOfTheMainCommandIsCoveredByTheseTests() {
        Set<String> options = new TreeSet<>();
        for (OptionSpec option : Main.commandLine().getCommandSpec().options()) {
            options.add(option.longestName());
        }

        assertThat(options).containsExactlyInAnyOrderElementsOf(OPTIONS_COVERED);
    }

    @Test
    void withoutOptionsTheConfigurationHoldsEveryDefault() {
        SimulationConfig config = configOf();

        assertThat(config.rate()).isEqualTo(500);
        assertThat(config.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.workers()).isEqualTo(16);
        assertThat(config.timeout()).isEqualTo(Duration.ofMillis(1_000));
        assertThat(config.primaryUrl()).isNull();
        assertThat(config.replicaUrl()).isNull();
        assertThat(config.user()).isEqualTo("postgres");
        String environmentPassword = System.getenv("PGPASSWORD");
        assertThat(config.password()).isEqualTo(environmentPassword == null ? "" : environmentPassword);
        assertThat(config.books()).isEqualTo(20_000);
        assertThat(config.readers()).isEqualTo(5_000);
        assertThat(config.events()).isEqualTo(100_000);
        assertThat(config.seed()).isEqualTo(42);
        assertThat(config.reportDirectory()).isEqualTo(Path.of("simulation-report"));
        assertThat(config.findMax()).isFalse();
        assertThat(config.maxP99()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.checkInvariants()).isFalse();
        assertThat(config.poolSize()).isEqualTo(8);
        assertThat(config.mix()).isEqualTo(Mix.defaults());
        assertThat(config.mix().contention()).isEqualTo(0.05);
        assertThat(config.mix().repeats()).isEqualTo(0.10);
        assertThat(config.mix().failures()).isEqualTo(0.10);
        assertThat(config.queuePolicy()).isEqualTo(RequestQueue.Policy.ADAPTIVE_LIFO);
        assertThat(config.maxStaleness()).isZero();
        assertThat(config.decisionStates()).isZero();
        assertThat(config.follow()).isFalse();
        assertThat(config.snapshotEvery()).isEqualTo(20_000);
        assertThat(config.storySnapshots()).isZero();
        assertThat(config.indexedKeys()).isEmpty();
        assertThat(config.primarySettings()).isEmpty();
        assertThat(config.replicaSettings()).isEmpty();
        assertThat(config.pgbouncer()).isFalse();
        assertThat(config.metricsPort()).isZero();
        assertThat(config.tracing()).isFalse();
        assertThat(config.chaos()).isNull();
    }

    @Test
    void everyOptionForExistingServersReachesTheConfiguration() {
        SimulationConfig config = configOf(
                "--rate",
                "250.5",
                "--duration",
                "2m",
                "--warmup",
                "10s",
                "--workers",
                "32",
                "--timeout",
                "750ms",
                "--primary-url",
                "jdbc:postgresql://primary:5432/library",
                "--replica-url",
                "jdbc:postgresql://replica:5432/library",
                "--user",
                "simulator",
                "--password",
                "secret",
                "--books",
                "300",
                "--readers",
                "60",
                "--events",
                "2000",
                "--seed",
                "7",
                "--report-dir",
                "runs/one",
                "--find-max",
                "--max-p99",
                "25ms",
                "--check-invariants",
                "--pool-size",
                "12",
                "--mix",
                "lend=30,q_books_lent_out=0",
                "--contention",
                "0.2",
                "--repeats",
                "0.3",
                "--failures",
                "0.4",
                "--queue",
                "fifo",
                "--max-staleness",
                "100ms",
                "--decision-states",
                "64",
                "--follow",
                "--snapshot-every",
                "500",
                "--story-snapshots",
                "32",
                "--indexed-keys",
                "BookID,ReaderID",
                "--metrics-port",
                "9400",
                "--tracing");

        assertThat(config.rate()).isEqualTo(250.5);
        assertThat(config.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.warmup()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.workers()).isEqualTo(32);
        assertThat(config.timeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(config.primaryUrl()).isEqualTo("jdbc:postgresql://primary:5432/library");
        assertThat(config.replicaUrl()).isEqualTo("jdbc:postgresql://replica:5432/library");
        assertThat(config.user()).isEqualTo("simulator");
        assertThat(config.password()).isEqualTo("secret");
        assertThat(config.books()).isEqualTo(300);
        assertThat(config.readers()).isEqualTo(60);
        assertThat(config.events()).isEqualTo(2_000);
        assertThat(config.seed()).isEqualTo(7);
        assertThat(config.reportDirectory()).isEqualTo(Path.of("runs/one"));
        assertThat(config.findMax()).isTrue();
        assertThat(config.maxP99()).isEqualTo(Duration.ofMillis(25));
        assertThat(config.checkInvariants()).isTrue();
        assertThat(config.poolSize()).isEqualTo(12);
        Map<RequestKind, Integer> weights = config.mix().weights();
        assertThat(weights).containsEntry(RequestKind.LEND, 30).containsEntry(RequestKind.BOOKS_LENT_OUT, 0);
        for (RequestKind operation : RequestKind.values()) {
            if (operation != RequestKind.LEND && operation != RequestKind.BOOKS_LENT_OUT) {
                assertThat(weights.get(operation)).as(operation.key()).isEqualTo(operation.defaultWeight());
            }
        }
        assertThat(config.mix().contention()).isEqualTo(0.2);
        assertThat(config.mix().repeats()).isEqualTo(0.3);
        assertThat(config.mix().failures()).isEqualTo(0.4);
        assertThat(config.queuePolicy()).isEqualTo(RequestQueue.Policy.FIFO);
        assertThat(config.maxStaleness()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.decisionStates()).isEqualTo(64);
        assertThat(config.follow()).isTrue();
        assertThat(config.snapshotEvery()).isEqualTo(500);
        assertThat(config.storySnapshots()).isEqualTo(32);
        assertThat(config.indexedKeys()).containsExactly("BookID", "ReaderID");
        assertThat(config.metricsPort()).isEqualTo(9_400);
        assertThat(config.tracing()).isTrue();
    }

    @Test
    void everyOptionForTheEmbeddedClusterReachesTheConfiguration() {
        SimulationConfig config = configOf(
                "--duration",
                "180s",
                "--primary-setting",
                "commit_delay=50",
                "--replica-setting",
                "shared_buffers=2GB",
                "--pgbouncer",
                "--chaos");

        assertThat(config.primarySettings()).containsExactly(Map.entry("commit_delay", "50"));
        assertThat(config.replicaSettings()).containsExactly(Map.entry("shared_buffers", "2GB"));
        assertThat(config.pgbouncer()).isTrue();
        assertThat(config.chaos())
                .hasToString("stop-replica@30s,start-replica@50s,kill-primary@90s,start-primary@100s");
    }

    @Test
    void theDefaultChaosScheduleScalesWithTheDurationAndAGivenOneImpliesChaos() {
        assertThat(configOf("--duration", "60s", "--chaos").chaos())
                .isEqualTo(ChaosSchedule.defaultFor(Duration.ofSeconds(60)))
                .hasToString("stop-replica@10s,start-replica@16.666s,kill-primary@30s,start-primary@33.333s");

        SimulationConfig given = configOf("--chaos-schedule", "kill-primary@5s,start-primary@8s");
        assertThat(given.chaos()).hasToString("kill-primary@5s,start-primary@8s");
        assertThat(configOf("--chaos", "--chaos-schedule", "stop-replica@1,start-replica@2")
                        .chaos())
                .hasToString("stop-replica@1s,start-replica@2s");
    }

    @Test
    void theVerboseOptionIsParsedForTheMainCommand() {
        CommandLine commandLine = Main.commandLine();
        commandLine.parseArgs("--verbose");
        assertThat(((Main) commandLine.getCommand()).verbose).isTrue();
        CommandLine quiet = Main.commandLine();
        quiet.parseArgs();
        assertThat(((Main) quiet.getCommand()).verbose).isFalse();
    }

    /** An invalid command line and what its error must say. */
    private record Invalid(List<String> args, String says) {
        Invalid(String says, String... args) {
            this(List.of(args), says);
        }
    }

    private static final String EXTERNAL = "jdbc:postgresql://primary:5432/library";

    /** At least one invalid value of every option that has one; the flags take true or false only. */
    private static final List<Invalid> INVALID = List.of(
            new Invalid("--rate must be between 0 and 100000 requests/s, got 0.0", "--rate", "0"),
            new Invalid("--rate must be between 0 and 100000 requests/s, got 100001.0", "--rate", "100001"),
            new Invalid("'fast' is not a double", "--rate", "fast"),
            new Invalid("--duration must be a whole number of seconds, at least 1s, got 0ms", "--duration", "0"),
            new Invalid("'soon' is not a duration", "--warmup", "soon"),
            new Invalid("--workers must be between 1 and 1024, got 0", "--workers", "0"),
            new Invalid("--workers must be between 1 and 1024, got 1025", "--workers", "1025"),
            new Invalid("--timeout must be positive", "--timeout", "0"),
            new Invalid(
                    "database URLs must start with jdbc:postgresql:, got one starting with mysql:",
                    "--primary-url",
                    "mysql://primary/library"),
            new Invalid(
                    "database URLs must start with jdbc:postgresql:, got one starting with mysql:",
                    "--primary-url",
                    EXTERNAL,
                    "--replica-url",
                    "mysql://replica/library"),
            new Invalid("--replica-url needs --primary-url", "--replica-url", "jdbc:postgresql://replica/library"),
            new Invalid("--books and --readers must be positive", "--books", "0"),
            new Invalid("--books and --readers must be positive", "--readers", "0"),
            new Invalid("--events must not be negative", "--events", "-1"),
            new Invalid("'many' is not a long", "--seed", "many"),
            new Invalid("--chaos and --find-max cannot be combined", "--find-max", "--chaos"),
            new Invalid("'maybe' is not a boolean", "--find-max=maybe"),
            new Invalid("--max-p99 must be positive", "--max-p99", "0"),
            new Invalid("'maybe' is not a boolean", "--check-invariants=maybe"),
            new Invalid("--pool-size must be between 1 and 200, got 0", "--pool-size", "0"),
            new Invalid("--pool-size must be between 1 and 200, got 201", "--pool-size", "201"),
            new Invalid("unknown operation 'borrow'", "--mix", "borrow=3"),
            new Invalid("mix weight of lend is not a whole number: x", "--mix", "lend=x"),
            new Invalid("mix entries look like name=weight, got 'lend'", "--mix", "lend"),
            new Invalid(
                    "mix weights must be non-negative with a positive sum",
                    "--mix",
                    "lend=0,return=0,add_copy=0,remove_copy=0,register_reader=0,cancel_reader=0,"
                            + "q_books_lent_by_reader=0,q_books_in_circulation=0,q_books_lent_out=0,"
                            + "q_registered_readers=0"),
            new Invalid("contention must be between 0 and 1, got 2.0", "--contention", "2"),
            new Invalid("repeats must be between 0 and 1, got -0.1", "--repeats", "-0.1"),
            new Invalid("failures must be between 0 and 1, got 1.5", "--failures", "1.5"),
            new Invalid("--queue must be fifo or adaptive-lifo, got lifo", "--queue", "lifo"),
            new Invalid("--max-staleness must be between 0 and 600000 ms", "--max-staleness", "11m"),
            new Invalid(
                    "--decision-states must be 0 (commands read) or at least 64, got 63", "--decision-states", "63"),
            new Invalid("'maybe' is not a boolean", "--follow=maybe"),
            new Invalid("--primary-setting looks like name=value", "--primary-setting", "commit_delay"),
            new Invalid("--primary-setting looks like name=value", "--primary-setting", "commit_delay=50;drop"),
            new Invalid(
                    "--primary-setting applies to the embedded primary only, not to --primary-url",
                    "--primary-url",
                    EXTERNAL,
                    "--primary-setting",
                    "commit_delay=50"),
            new Invalid("--replica-setting looks like name=value", "--replica-setting", "Shared_Buffers=1GB"),
            new Invalid(
                    "--pgbouncer starts PgBouncer in front of the embedded servers",
                    "--primary-url",
                    EXTERNAL,
                    "--pgbouncer"),
            new Invalid("--snapshot-every must be positive, got 0", "--snapshot-every", "0"),
            new Invalid("--story-snapshots must be 0 (off) or positive, got -1", "--story-snapshots", "-1"),
            new Invalid("--indexed-keys: indexed key must match", "--indexed-keys", "Book ID"),
            new Invalid("--metrics-port must be between 0 (off) and 65535, got 65536", "--metrics-port", "65536"),
            new Invalid("--metrics-port must be between 0 (off) and 65535, got -1", "--metrics-port", "-1"),
            new Invalid("'maybe' is not a boolean", "--tracing=maybe"),
            new Invalid("--chaos stops and kills servers", "--primary-url", EXTERNAL, "--chaos"),
            new Invalid(
                    "invalid --chaos-schedule: 'explode@5s': unknown chaos action 'explode'",
                    "--chaos-schedule",
                    "explode@5s"),
            new Invalid("'maybe' is not a boolean", "--pgbouncer=maybe"),
            new Invalid("'maybe' is not a boolean", "--chaos=maybe"),
            new Invalid("Missing required parameter for option '--user'", "--user"),
            new Invalid("Missing required parameter for option '--password'", "--password"),
            new Invalid("Missing required parameter for option '--report-dir'", "--report-dir"));

    @Test
    void anInvalidValueOfAnyOptionExitsWithCodeTwoAndSaysWhatIsWrong() {
        for (Invalid invalid : INVALID) {
            String[] args = invalid.args().toArray(String[]::new);
            // Checked without running first: a command line that were valid would start a simulation.
            assertThatThrownBy(() -> configOf(args))
                    .as("%s", invalid.args())
                    .isInstanceOf(ParameterException.class)
                    .hasMessageContaining(invalid.says());

            StringWriter errors = new StringWriter();
            assertThat(exitCodeOf(errors, args)).as("%s", invalid.args()).isEqualTo(2);
            assertThat(errors.toString())
                    .as("%s", invalid.args())
                    .contains(invalid.says(), "Run 'simulate --help' for the options.");
        }
    }

    @Test
    void everyInvalidOptionIsReportedInOneMessage() {
        StringWriter several = new StringWriter();
        assertThat(exitCodeOf(several, "--rate", "0", "--workers", "0", "--snapshot-every", "0"))
                .isEqualTo(2);
        assertThat(several.toString())
                .contains(
                        "--rate must be between 0 and 100000",
                        "--workers must be between 1 and 1024",
                        "--snapshot-every must be positive");
    }

    @Test
    void optionsThatDoNotParseAreReportedWithEveryOtherInvalidOption() {
        String[] args = {
            "--queue", "lifo",
            "--mix", "borrow=3,lend=x,return",
            "--contention", "2",
            "--primary-setting", "commit_delay",
            "--replica-setting", "Shared_Buffers=1GB",
            "--replica-setting", "work_mem=1;drop",
            "--chaos-schedule", "explode@5s",
            "--rate", "0",
            "--workers", "0"
        };
        List<String> says = List.of(
                "--queue must be fifo or adaptive-lifo, got lifo",
                "unknown operation 'borrow'",
                "mix weight of lend is not a whole number: x",
                "mix entries look like name=weight, got 'return'",
                "contention must be between 0 and 1, got 2.0",
                "--primary-setting looks like name=value",
                "got 'commit_delay'",
                "got 'Shared_Buffers=1GB'",
                "got 'work_mem=1;drop'",
                "invalid --chaos-schedule: 'explode@5s': unknown chaos action 'explode'",
                "--rate must be between 0 and 100000 requests/s, got 0.0",
                "--workers must be between 1 and 1024, got 0");

        assertThatThrownBy(() -> configOf(args))
                .isInstanceOf(ParameterException.class)
                .message()
                .contains(says);
        StringWriter errors = new StringWriter();
        assertThat(exitCodeOf(errors, args)).isEqualTo(2);
        assertThat(errors.toString()).contains(says);
    }

    @Test
    void aPrimaryThatCannotBeReachedFailsTheRunWithCodeThreeAndOneLineSayingWhy() {
        StringWriter errors = new StringWriter();

        int exitCode = exitCodeOf(errors, "--primary-url", "jdbc:postgresql://127.0.0.1:1/none");

        assertThat(exitCode).isEqualTo(Main.FAILED).isEqualTo(3);
        assertThat(errors.toString().strip())
                .startsWith("simulate failed: ")
                .contains("Connection to 127.0.0.1:1 refused")
                .endsWith("[--verbose for the stack trace]")
                .doesNotContain("\n");
    }
}
