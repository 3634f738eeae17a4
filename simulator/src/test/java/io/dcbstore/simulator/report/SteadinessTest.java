package io.dcbstore.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SteadinessTest {
    /** Windows of 10 s with these p99s, in order from 0 s. */
    static List<LatencyWindow> windows(double... p99s) {
        List<LatencyWindow> windows = new ArrayList<>();
        for (int i = 0; i < p99s.length; i++) {
            windows.add(new LatencyWindow(
                    i * 10, i * 10 + 10, 5_000, p99s[i] / 5, p99s[i], p99s[i] * 2, 0, 0, 0, List.of(), Map.of()));
        }
        return windows;
    }

    @Test
    void theMedianIsTheMiddleWindowsP99AndTheWorstIsComparedToIt() {
        Steadiness steadiness = Steadiness.of(10, windows(4, 5, 9.8, 4.1, 3));

        assertThat(steadiness.medianP99Ms()).isEqualTo(4.1);
        assertThat(steadiness.worstP99Ms()).isEqualTo(9.8);
        assertThat(steadiness.worstFromS()).isEqualTo(20);
        assertThat(steadiness.worstToS()).isEqualTo(30);
        assertThat(steadiness.worstRatio()).isCloseTo(9.8 / 4.1, within(1e-9));
        assertThat(steadiness.windowsOverBound()).isZero();
        assertThat(steadiness.worst().fromS()).isEqualTo(20);
    }

    @Test
    void anEvenNumberOfWindowsHasTheMeanOfTheMiddleTwoAsItsMedian() {
        assertThat(Steadiness.of(10, windows(2, 8, 4, 6)).medianP99Ms()).isEqualTo(5);
    }

    @Test
    void windowsOverThreeTimesTheMedianAreCountedAndNamed() {
        Steadiness steadiness = Steadiness.of(10, windows(4, 4, 12, 4, 12.1, 30, 4));

        assertThat(steadiness.medianP99Ms()).isEqualTo(4);
        assertThat(steadiness.windowsOverBound()).isEqualTo(2);
        assertThat(steadiness.overBound()).extracting(LatencyWindow::fromS).containsExactly(40, 50);
        assertThat(steadiness.worstRatio()).isCloseTo(7.5, within(1e-9));
    }

    @Test
    void aShorterTailWindowIsListedButNotJudged() {
        List<LatencyWindow> windows = new ArrayList<>(windows(4, 5, 6));
        windows.add(new LatencyWindow(30, 33, 1_500, 1, 90, 120, 0, 0, 0, List.of(), Map.of()));

        Steadiness steadiness = Steadiness.of(10, windows);

        assertThat(steadiness.windows()).hasSize(4);
        assertThat(steadiness.judged()).hasSize(3);
        assertThat(steadiness.worstP99Ms()).isEqualTo(6);
        assertThat(steadiness.windowsOverBound()).isZero();
    }

    @Test
    void aRunShorterThanAWindowIsJudgedOnWhatItHas() {
        List<LatencyWindow> windows = List.of(new LatencyWindow(0, 4, 400, 1, 7, 9, 0, 0, 0, List.of(), Map.of()));

        Steadiness steadiness = Steadiness.of(10, windows);

        assertThat(steadiness.medianP99Ms()).isEqualTo(7);
        assertThat(steadiness.worstRatio()).isEqualTo(1);
    }

    @Test
    void withoutWindowsEveryFigureIsZero() {
        Steadiness steadiness = Steadiness.of(10, List.of());

        assertThat(steadiness.medianP99Ms()).isZero();
        assertThat(steadiness.worstRatio()).isZero();
        assertThat(steadiness.worst()).isNull();
    }

    @Test
    void theConsoleLineGivesTheMedianTheWorstWhereAndItsRatio() {
        List<LatencyWindow> windows =
                new ArrayList<>(windows(4.1, 4.1, 4.1, 4.1, 4.1, 4.1, 4.1, 4.1, 4.1, 4.1, 4.1, 4.1));
        windows.add(new LatencyWindow(120, 130, 5_000, 1, 9.8, 20, 0, 0, 0, List.of(), Map.of()));
        windows.add(new LatencyWindow(130, 140, 5_000, 1, 4, 20, 0, 0, 0, List.of(), Map.of()));

        assertThat(SteadinessSummary.line(Steadiness.of(10, windows)))
                .isEqualTo("windows (10 s): median p99 4.10 ms, worst 9.80 ms at 120-130 s (2.4x), over 3x: 0 of 14");
    }

    @Test
    void windowsWhoseP99IsZeroHaveARatioOfZeroNotADivisionByZero() {
        Steadiness steadiness = Steadiness.of(10, windows(0, 0, 0));

        assertThat(steadiness.medianP99Ms()).isZero();
        assertThat(steadiness.worstRatio()).isZero();
    }
}
