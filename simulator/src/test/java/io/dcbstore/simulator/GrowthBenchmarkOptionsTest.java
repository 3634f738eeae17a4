package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options of {@code bench-growth} that would waste or lose a long run are refused as option errors
 * (exit code 2) before anything starts. Where the mistake would otherwise start servers, the tests
 * also pass a disk figure no disk can hold, so that a missing check ends in the disk refusal (a
 * different message) instead of a benchmark.
 */
class GrowthBenchmarkOptionsTest {
    private static final String NO_DISK_HOLDS_THIS = "1000000000000";

    private static int exitCodeOf(StringWriter errors, String... args) {
        PrintStream standardOut = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return Main.commandLine().setErr(new PrintWriter(errors, true)).execute(args);
        } finally {
            System.setOut(standardOut);
        }
    }

    @Test
    void aStalenessOfZeroIsRefusedBecauseBothFindMaxesWouldMeasureTheSameMode() {
        StringWriter errors = new StringWriter();

        int exitCode = exitCodeOf(
                errors,
                "bench-growth",
                "--sizes",
                "10K",
                "--staleness",
                "0",
                "--disk-bytes-per-event",
                NO_DISK_HOLDS_THIS);

        assertThat(exitCode).isEqualTo(2);
        assertThat(errors.toString()).contains("--staleness").doesNotContain("GB are usable");
    }

    @Test
    void aNumberOfFindMaxRepeatsOutsideOneToNineIsRefused() {
        for (String repeats : new String[] {"0", "10"}) {
            StringWriter errors = new StringWriter();

            int exitCode = exitCodeOf(
                    errors,
                    "bench-growth",
                    "--sizes",
                    "10K",
                    "--find-max-repeats",
                    repeats,
                    "--disk-bytes-per-event",
                    NO_DISK_HOLDS_THIS);

            assertThat(exitCode).as(repeats).isEqualTo(2);
            assertThat(errors.toString())
                    .contains("--find-max-repeats must be between 1 and 9, got " + repeats)
                    .doesNotContain("GB are usable");
        }
    }

    @Test
    void aStalenessAboveTheSimulationsBoundIsAnOptionErrorNamingStaleness() {
        StringWriter errors = new StringWriter();

        // Fails in measure(), before any server starts: today exit code 3, naming --max-staleness,
        // an option bench-growth itself refuses.
        int exitCode = exitCodeOf(errors, "bench-growth", "--sizes", "10K", "--staleness", "11m");

        assertThat(exitCode).as(errors.toString()).isEqualTo(2);
        assertThat(errors.toString()).contains("--staleness");
    }

    @Test
    void aReportDirectoryThatIsAFileIsRefusedBeforeTheFirstSizeIsSeeded(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("growth-report"), "not a directory");
        StringWriter errors = new StringWriter();

        int exitCode = exitCodeOf(
                errors,
                "bench-growth",
                "--sizes",
                "10K",
                "--report-dir",
                file.toString(),
                "--disk-bytes-per-event",
                NO_DISK_HOLDS_THIS);

        assertThat(exitCode).isEqualTo(2);
        // Today only the disk refusal: without it the first size is seeded and measured, and the
        // run fails when its first find-max writes its report under the file.
        assertThat(errors.toString()).contains("--report-dir").doesNotContain("GB are usable");
    }
}
