package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GrowthBenchmarkTest {
    private static int exitCodeOf(StringWriter errors, String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(errors));
        return commandLine.execute(args);
    }

    @Test
    void theOptionsThatTheSizesAndModesSetAreRefusedWithExitCodeTwo() {
        for (String[] option : new String[][] {
            {"--events", "5000000"},
            {"--books", "10"},
            {"--readers", "10"},
            {"--find-max"},
            {"--max-staleness", "5"},
            {"--primary-url", "jdbc:postgresql://x/y"},
            {"--chaos"},
            {"--check-invariants"}
        }) {
            StringWriter errors = new StringWriter();
            String[] args = new String[option.length + 1];
            args[0] = "bench-growth";
            System.arraycopy(option, 0, args, 1, option.length);

            assertThat(exitCodeOf(errors, args)).as(option[0]).isEqualTo(2);
            assertThat(errors.toString()).contains("bench-growth sets " + option[0] + " itself");
        }
    }

    @Test
    void sizesThatDoNotParseOrAreTooSmallAreRefusedWithExitCodeTwo() {
        StringWriter errors = new StringWriter();
        assertThat(exitCodeOf(errors, "bench-growth", "--sizes", "1M,lots")).isEqualTo(2);
        assertThat(errors.toString()).contains("--sizes:", "'lots'");

        StringWriter small = new StringWriter();
        assertThat(exitCodeOf(small, "bench-growth", "--sizes", "5K")).isEqualTo(2);
        assertThat(small.toString()).contains("at least 10000");
    }

    @Test
    void moreWritersThanConnectionsAreRefused() {
        StringWriter errors = new StringWriter();
        assertThat(exitCodeOf(errors, "bench-growth", "--pool-size", "4", "--writers", "8"))
                .isEqualTo(2);
        assertThat(errors.toString()).contains("--writers and --query-threads must be between 1 and --pool-size");
    }

    @Test
    void aSizeTheDiskCannotHoldIsRefusedBeforeAnyServerStartsAndTheMessageSaysWhatToDo() {
        StringWriter errors = new StringWriter();

        int exitCode = exitCodeOf(errors, "bench-growth", "--sizes", "10K", "--disk-bytes-per-event", "1000000000000");

        assertThat(exitCode).isEqualTo(2);
        assertThat(errors.toString())
                .contains("10,000 events need about", "GB are usable", "pass smaller --sizes", "-Djava.io.tmpdir")
                .doesNotContain("starting an embedded");
    }

    @Test
    void theDiskCheckCountsTableAndIndexBytesWithAMarginAndTheWal() throws Exception {
        Path here = Path.of(System.getProperty("java.io.tmpdir"));

        assertThat(GrowthBenchmark.diskRefusal(10_000, 800, here)).isNull();
        assertThat(GrowthBenchmark.diskRefusal(Long.MAX_VALUE / 1_000_000, 800, here))
                .contains("bytes of table and indexes per event on both servers, with a 30% margin, and 11 GB");
    }
}
