package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.library.BookId;
import io.dcbstore.library.EventMetadata;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEventCodec;
import io.dcbstore.library.ReaderId;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.cluster.EmbeddedStore;
import io.dcbstore.simulator.report.JsonShape;
import io.dcbstore.simulator.report.ReportJson;
import io.dcbstore.simulator.report.RunReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short runs of the real simulator on embedded servers, through its command line. */
class SimulatorEndToEndIT {
    /** The line {@link InvariantCheck} prints; the run exits 0 without it when the check is skipped. */
    private static final Pattern INVARIANTS_LINE = Pattern.compile(
            "invariants: ([\\d,]+) events read, ([\\d,]+) loans checked over ([\\d,]+) books and ([\\d,]+) readers:"
                    + " (.+)");

    /** What a run exited with and printed. */
    record Run(int exitCode, String console) {
        /** @return the invariant check's figures and verdict; fails the test when the check did not run */
        Matcher invariants() {
            Matcher line = INVARIANTS_LINE.matcher(console);
            assertThat(line.find())
                    .as("the invariant check's line in:%n%s", console)
                    .isTrue();
            return line;
        }
    }

    /** Runs {@code ./simulate} in this JVM, printing to the console as usual and keeping what it printed. */
    private static Run simulate(String... args) {
        return simulate(new Main(), args);
    }

    /**
     * @param main the command to run (its test seam set or not)
     * @param args its command line
     * @return what it exited with and printed
     */
    static Run simulate(Main main, String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        OutputStream both = new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                kept.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                original.write(bytes, offset, length);
                kept.write(bytes, offset, length);
            }

            @Override
            public void flush() throws IOException {
                original.flush();
            }
        };
        System.setOut(new PrintStream(both, true, StandardCharsets.UTF_8));
        try {
            int exitCode = Main.commandLine(main).execute(args);
            return new Run(exitCode, kept.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    private static long number(Matcher line, int group) {
        return Long.parseLong(line.group(group).replace(",", ""));
    }

    @Test
    void aShortRunWritesBothReportsAndPassesTheInvariantCheck(@TempDir Path directory) throws Exception {
        Run run = simulate(
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

        assertThat(run.exitCode()).isZero();
        // Exit code 0 also follows a run whose check was skipped: the check must have run, on the
        // seeded history and what the run appended, and found nothing.
        Matcher invariants = run.invariants();
        assertThat(invariants.group(5)).isEqualTo("no violation");
        assertThat(number(invariants, 1)).as("events read").isGreaterThan(2_000);
        assertThat(number(invariants, 2)).as("loans checked").isPositive();
        assertThat(number(invariants, 3)).as("books").isGreaterThanOrEqualTo(300);
        assertThat(number(invariants, 4)).as("readers").isGreaterThanOrEqualTo(60);
        assertThat(run.console().indexOf("checking the invariants from the event log..."))
                .as("the check follows the run")
                .isGreaterThan(run.console().indexOf("report written to"));
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

    /**
     * A log that already breaks a lending rule (a copy never added, lent to a reader never
     * registered: appended around the command handlers) is found by the check after the run, and
     * the run exits 1.
     */
    @Test
    void aRunOnALogThatBreaksALendingRuleExitsWithCodeOneAndPrintsTheViolations(@TempDir Path directory) {
        try (EmbeddedStore embedded =
                EmbeddedStore.primaryOnly(ServerSettings.forTests(), ConnectedStore.Options.of("crafted", 2))) {
            embedded.connected()
                    .store()
                    .append(LibraryEventCodec.encode(
                            new BookCopyLentToReader(BookId.of("book-0"), ReaderId.of("reader-0")),
                            new EventMetadata("crafted", "crafted", "crafted"),
                            Instant.parse("2026-01-01T00:00:00Z")));

            Run run = simulate(
                    "--primary-url",
                    embedded.cluster().primary().jdbcUrl("postgres"),
                    "--user",
                    EmbeddedPostgres.USER,
                    "--rate",
                    "20",
                    "--duration",
                    "1",
                    "--warmup",
                    "0",
                    "--books",
                    "10",
                    "--readers",
                    "10",
                    "--workers",
                    "2",
                    "--pool-size",
                    "2",
                    "--check-invariants",
                    "--report-dir",
                    directory.toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.console()).contains("the event table already holds events: not seeding");
            Matcher invariants = run.invariants();
            assertThat(invariants.group(5)).endsWith(" VIOLATIONS");
            assertThat(number(invariants, 2)).as("loans checked").isPositive();
            assertThat(run.console())
                    .contains(
                            "copy book-0 was lent while not in circulation",
                            "copy book-0 was lent to reader-0, who is not registered");
        }
    }
}
