package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.simulator.report.Figures;
import io.dcbstore.simulator.report.FindMaxStep;
import io.dcbstore.simulator.report.RunReport;
import io.dcbstore.simulator.report.TimeBreakdown;
import io.dcbstore.simulator.report.TimelinePoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The rules of {@code --find-max}, on made-up step figures: a step is sustained when its p99 is
 * within the bound, it had no timeouts and shed no request, at most 0.1% of its requests failed,
 * and it achieved at least 95% of its rate; the rate grows by half while steps are sustained,
 * halves while none has been, then two steps bisect between the last sustained rate and the last
 * one that was not; the highest sustained rate is the verdict.
 */
class FindMaxTest {
    /** Each made-up step lasts 3 seconds; a sustained one has a p99 of 10 ms. */
    private static final int STEP_SECONDS = 3;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final List<Double> ratesRun = new ArrayList<>();

    private static Figures figures(long requests, double p99Ms, long errors, long timeouts, long shed) {
        return new Figures(
                requests,
                requests - errors - timeouts - shed,
                0,
                0,
                errors,
                timeouts,
                shed,
                0,
                p99Ms / 2,
                p99Ms * 0.9,
                p99Ms,
                p99Ms * 1.1,
                p99Ms * 1.2,
                new TimeBreakdown(1, 0, 0, 1, 0, 0));
    }

    private static RunReport report(double targetRate, double achievedRate, Figures overall) {
        List<TimelinePoint> timeline = new ArrayList<>();
        for (int second = 1; second <= STEP_SECONDS; second++) {
            timeline.add(new TimelinePoint(
                    second, targetRate, 0, Map.of(), 0, 0, overall.p99Ms(), 0, 0, 0, 0, 0, 0, 0, 0, 0));
        }
        return new RunReport(
                "2026-12-05T10:00:00Z",
                targetRate,
                achievedRate,
                STEP_SECONDS,
                overall,
                0,
                0,
                null,
                0,
                Map.of(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                timeline);
    }

    /** A step at its rate, within every bound. */
    private static RunReport sustainedAt(double rate) {
        return report(rate, rate, figures(Math.round(rate * STEP_SECONDS), 10, 0, 0, 0));
    }

    /** A step at its rate that met every bound but the p99's. */
    private static RunReport tooSlowAt(double rate) {
        return report(rate, rate, figures(Math.round(rate * STEP_SECONDS), 400, 0, 0, 0));
    }

    /** @return a system that sustains every rate up to {@code capacity} and no higher one */
    private static DoubleFunction<RunReport> capacity(double capacity) {
        return rate -> rate <= capacity ? sustainedAt(rate) : tooSlowAt(rate);
    }

    /** Runs find-max from {@code --rate startRate} with {@code --max-p99 50ms} on the made-up steps. */
    private RunReport findMax(double startRate, DoubleFunction<RunReport> system) {
        CommandLine commandLine = Main.commandLine();
        commandLine.parseArgs(
                "--find-max",
                "--rate",
                String.valueOf(startRate),
                "--max-p99",
                "50ms",
                "--duration",
                STEP_SECONDS + "s");
        SimulationConfig config = ((Main) commandLine.getCommand()).options.toConfig();
        RunSetup setup = new RunSetup(
                config, null, null, false, new PrintStream(printed, true, StandardCharsets.UTF_8), null, null, null);
        return new FindMax(setup, (rate, duration) -> {
                    assertThat(duration).isEqualTo(Duration.ofSeconds(STEP_SECONDS));
                    ratesRun.add(rate);
                    return system.apply(rate);
                })
                .run();
    }

    /** @return the first step's summary, when the first step has these figures and every later one is too slow */
    private FindMaxStep firstStepOf(RunReport first) {
        ratesRun.clear(); // the made-up system below tells the first step by the one rate run so far
        return findMax(first.targetRate(), rate -> ratesRun.size() == 1 ? first : tooSlowAt(rate))
                .findMax()
                .steps()
                .get(0);
    }

    private static List<Double> targetRates(RunReport report) {
        return report.findMax().steps().stream().map(FindMaxStep::targetRate).toList();
    }

    @Test
    void aStepWhoseP99IsAboveTheBoundIsNotSustainedAndOneAtTheBoundIs() {
        FindMaxStep atTheBound = firstStepOf(report(100, 100, figures(300, 50.0, 0, 0, 0)));
        FindMaxStep above = firstStepOf(report(100, 100, figures(300, 50.1, 0, 0, 0)));

        assertThat(atTheBound.sustained()).isTrue();
        assertThat(atTheBound.whyNot()).isEmpty();
        assertThat(above.sustained()).isFalse();
        assertThat(above.whyNot()).isEqualTo("p99 50.1 ms > 50 ms");
    }

    @Test
    void aStepWithASingleTimeoutIsNotSustained() {
        FindMaxStep step = firstStepOf(report(100, 100, figures(300, 10, 0, 1, 0)));

        assertThat(step.sustained()).isFalse();
        assertThat(step.whyNot()).isEqualTo("1 timeouts, 0 shed");
        assertThat(step.timeouts()).isEqualTo(1);
    }

    @Test
    void aStepThatShedASingleRequestIsNotSustained() {
        FindMaxStep step = firstStepOf(report(100, 100, figures(300, 10, 0, 0, 1)));

        assertThat(step.sustained()).isFalse();
        assertThat(step.whyNot()).isEqualTo("0 timeouts, 1 shed");
    }

    @Test
    void aStepIsSustainedWithErrorsUpToOneInAThousandAndNotWithMore() {
        FindMaxStep oneInAThousand = firstStepOf(report(100, 100, figures(10_000, 10, 10, 0, 0)));
        FindMaxStep more = firstStepOf(report(100, 100, figures(10_000, 10, 11, 0, 0)));

        assertThat(oneInAThousand.sustained()).isTrue();
        assertThat(oneInAThousand.errors()).isEqualTo(10);
        assertThat(more.sustained()).isFalse();
        assertThat(more.whyNot()).isEqualTo("11 errors (over 0.1%)");
    }

    @Test
    void aStepIsSustainedWhenItAchievesNinetyFivePercentOfItsRateAndNotBelow() {
        FindMaxStep ninetyFive = firstStepOf(report(100, 95, figures(285, 10, 0, 0, 0)));
        FindMaxStep below = firstStepOf(report(100, 94, figures(282, 10, 0, 0, 0)));

        assertThat(ninetyFive.sustained()).isTrue();
        assertThat(below.sustained()).isFalse();
        assertThat(below.whyNot()).isEqualTo("achieved only 94 req/s");
    }

    @Test
    void aStepThatMissesSeveralBoundsNamesEveryOne() {
        FindMaxStep step = firstStepOf(report(100, 50, figures(10_000, 75, 20, 3, 4)));

        assertThat(step.sustained()).isFalse();
        assertThat(step.whyNot())
                .isEqualTo("p99 75.0 ms > 50 ms, 3 timeouts, 4 shed, 20 errors (over 0.1%), achieved only 50 req/s");
    }

    @Test
    void whileStepsAreSustainedTheRateGrowsByHalfThenTwoStepsBisectAndTheHighestSustainedIsTheVerdict() {
        RunReport report = findMax(100, capacity(1_000));

        // 100 * 1.5^6 = 1139.06 is the first rate above the capacity; then the midpoints of the
        // last sustained and the last failed rate, rounded: 949 (sustained), then 1044 (not).
        assertThat(targetRates(report))
                .containsExactly(100.0, 150.0, 225.0, 337.5, 506.25, 759.375, 1139.0625, 949.0, 1044.0);
        assertThat(report.findMax().steps())
                .extracting(FindMaxStep::sustained)
                .containsExactly(true, true, true, true, true, true, false, true, false);
        assertThat(report.findMax().maxSustainedRate()).isEqualTo(949);
        assertThat(ratesRun).isEqualTo(targetRates(report));
    }

    @Test
    void theBisectionNarrowsBetweenTheLastSustainedRateAndTheLastOneThatWasNot() {
        // 759.375 holds and 1139.06 fails: the first midpoint is 949. When 949 fails too, the next
        // midpoint is between 759.375 and 949; when it holds, between 949 and 1139.06.
        RunReport downwards = findMax(100, capacity(900));
        RunReport upwards = findMax(100, capacity(1_050));

        assertThat(targetRates(downwards).subList(5, 9)).containsExactly(759.375, 1139.0625, 949.0, 854.0);
        assertThat(downwards.findMax().maxSustainedRate()).isEqualTo(854);
        assertThat(targetRates(upwards).subList(5, 9)).containsExactly(759.375, 1139.0625, 949.0, 1044.0);
        assertThat(upwards.findMax().maxSustainedRate()).isEqualTo(1044);
        assertThat(targetRates(downwards)).hasSize(9);
        assertThat(targetRates(upwards)).hasSize(9);
    }

    @Test
    void theBisectionStopsWhenTheMidpointRoundsOntoAnEndOfTheGap() {
        // 2 holds, 3 does not: the midpoint 2.5 rounds to 3, which was run already.
        RunReport report = findMax(2, capacity(2));

        assertThat(targetRates(report)).containsExactly(2.0, 3.0);
        assertThat(report.findMax().maxSustainedRate()).isEqualTo(2);
    }

    @Test
    void theBisectionStopsWhenTheMidpointRoundsOntoTheSustainedEndOfTheGap() {
        // 1 and 1.5 hold, 2.25 does not; round(1.875) = 2 holds; round(2.125) = 2 was run already.
        RunReport report = findMax(1, capacity(2));

        assertThat(targetRates(report)).containsExactly(1.0, 1.5, 2.25, 2.0);
        assertThat(report.findMax().maxSustainedRate()).isEqualTo(2);
    }

    @Test
    void whenTheFirstStepIsNotSustainedTheRateHalvesUntilOneIsThenBisects() {
        RunReport report = findMax(1_000, capacity(300));

        // 1000 and 500 fail, 250 holds; then round(375) fails and round(312.5) fails.
        assertThat(targetRates(report)).containsExactly(1_000.0, 500.0, 250.0, 375.0, 313.0);
        assertThat(report.findMax().maxSustainedRate()).isEqualTo(250);
    }

    @Test
    void whenNoStepIsSustainedTheRateHalvesUntilBelowOneAndTheVerdictIsZero() {
        RunReport report = findMax(8, capacity(0));

        assertThat(targetRates(report)).containsExactly(8.0, 4.0, 2.0, 1.0);
        assertThat(report.findMax().maxSustainedRate()).isZero();
        assertThat(report.targetRate()).as("the figures are the last step's").isEqualTo(1);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("step at 1 req/s: not sustained (p99 400.0 ms > 50 ms)");
    }

    @Test
    void theReportsFiguresAreTheHighestSustainedStepsAndItsTimelineHoldsEveryStepOneAfterAnother() {
        RunReport report = findMax(100, capacity(1_000));

        assertThat(report.targetRate()).isEqualTo(949);
        assertThat(report.overall().p99Ms()).isEqualTo(10);
        List<FindMaxStep> steps = report.findMax().steps();
        for (int index = 0; index < steps.size(); index++) {
            assertThat(steps.get(index).fromS()).isEqualTo(index * STEP_SECONDS);
            assertThat(steps.get(index).toS()).isEqualTo((index + 1) * STEP_SECONDS);
        }
        assertThat(report.timeline()).hasSize(steps.size() * STEP_SECONDS);
        assertThat(report.timeline().get(STEP_SECONDS * 7).targetRate()).isEqualTo(949);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains(
                        "step at 759 req/s: sustained",
                        "step at 1139 req/s: not sustained (p99 400.0 ms > 50 ms)",
                        "step at 949 req/s: sustained",
                        "step at 1044 req/s: not sustained");
    }
}
