package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code bench-stories} for a second per mode and length on the embedded primary. */
class StoryBenchmarkIT {
    private static final Pattern ROW = Pattern.compile(
            "\\| ([\\d,]+) \\| ([\\d,]+) \\| ((?:from the start|resumed)(?:, keys indexed)?) \\| ([\\d,]+) \\|");

    @Test
    void eachLengthIsMeasuredInEveryModeWithLendsThatReadWholeStoriesAndAreRefused() {
        StringWriter errors = new StringWriter();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream standardOut = System.out;
        int exitCode;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exitCode = Main.commandLine()
                    .setErr(new PrintWriter(errors))
                    .execute(
                            "bench-stories",
                            "--cycles",
                            "2,40",
                            "--readers",
                            "3",
                            "--threads",
                            "2",
                            "--seconds",
                            "1",
                            "--rounds",
                            "1",
                            "--save-after",
                            "4");
        } finally {
            System.setOut(standardOut);
        }
        String output = captured.toString(StandardCharsets.UTF_8);

        // A lend that was not refused for too many books would have failed the run (exit 3).
        assertThat(exitCode).as(output + errors).isZero();
        Matcher rows = ROW.matcher(output);
        List<String> measured = new java.util.ArrayList<>();
        while (rows.find()) {
            measured.add(rows.group(1) + " " + rows.group(2) + " " + rows.group(3));
            assertThat(Long.parseLong(rows.group(4).replace(",", "")))
                    .as(rows.group())
                    .isPositive();
        }
        // The reader's story: registered, lent and returned per cycle, lent per copy on loan (ten).
        assertThat(measured)
                .containsExactly(
                        "2 15 from the start",
                        "2 15 resumed",
                        "2 15 from the start, keys indexed",
                        "2 15 resumed, keys indexed",
                        "40 91 from the start",
                        "40 91 resumed",
                        "40 91 from the start, keys indexed",
                        "40 91 resumed, keys indexed");
    }

    @Test
    void aLengthThatIsNotPositiveIsRefusedBeforeAnyServerStarts() {
        StringWriter errors = new StringWriter();

        int exitCode = Main.commandLine().setErr(new PrintWriter(errors)).execute("bench-stories", "--cycles", "0");

        assertThat(exitCode).isEqualTo(2);
        assertThat(errors.toString()).contains("every option must be positive");
    }
}
