package io.dcbstore.simulator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.dcbstore.simulator.report.LatencyWindow;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyWindowsTest {
    /** A second's latencies: {@code fast} requests of 1 ms and {@code slow} of 100 ms, in microseconds. */
    private static Histogram second(int fast, int slow) {
        Histogram histogram = new Histogram(3_600_000_000L, 3);
        histogram.recordValueWithCount(1_000, fast);
        if (slow > 0) {
            histogram.recordValueWithCount(100_000, slow);
        }
        return histogram;
    }

    @Test
    void aWindowsP99IsThatOfAllItsRequestsNotTheAverageOfItsSecondsP99() {
        LatencyWindows windows = new LatencyWindows(10);
        // Nine quiet seconds and one with 5% slow requests: 50 of the window's 1,000 requests
        // (5%) took 100 ms, so its p99 is 100 ms; averaging the seconds' p99 would give 10.9 ms.
        for (int second = 0; second < 9; second++) {
            windows.add(second(100, 0), 0, 0, 0);
        }
        windows.add(second(50, 50), 0, 0, 0);

        LatencyWindow window = windows.windows().get(0);

        assertThat(window.requests()).isEqualTo(1_000);
        assertThat(window.p99Ms()).isCloseTo(100, within(0.1));
        assertThat(window.p50Ms()).isCloseTo(1, within(0.001));
        assertThat(window.maxMs()).isCloseTo(100, within(0.1));
    }

    @Test
    void mergingLeavesTheSecondsHistogramsUnchanged() {
        LatencyWindows windows = new LatencyWindows(2);
        Histogram first = second(10, 0);
        Histogram next = second(0, 10);

        windows.add(first, 0, 0, 0);
        windows.add(next, 0, 0, 0);

        assertThat(first.getTotalCount()).isEqualTo(10);
        assertThat(first.getMaxValue()).isLessThan(1_001);
        assertThat(next.getTotalCount()).isEqualTo(10);
        assertThat(windows.windows().get(0).requests()).isEqualTo(20);
    }

    @Test
    void secondsFoldIntoWindowsOfTenAndTheTailIntoAShorterOne() {
        LatencyWindows windows = new LatencyWindows(10);
        for (int second = 0; second < 25; second++) {
            windows.add(second(100, second == 12 ? 5 : 0), second == 21 ? 2 : 0, second == 12 ? 1 : 0, 3);
        }

        List<LatencyWindow> all = windows.windows();

        assertThat(all).extracting(LatencyWindow::fromS).containsExactly(0, 10, 20);
        assertThat(all).extracting(LatencyWindow::toS).containsExactly(10, 20, 25);
        assertThat(all).extracting(LatencyWindow::requests).containsExactly(1_000L, 1_005L, 500L);
        assertThat(all).extracting(LatencyWindow::errors).containsExactly(0L, 0L, 2L);
        assertThat(all).extracting(LatencyWindow::timeouts).containsExactly(0L, 1L, 0L);
        assertThat(all).extracting(LatencyWindow::shed).containsExactly(30L, 30L, 15L);
        assertThat(all.get(1).maxMs()).isCloseTo(100, within(0.1));
        assertThat(all.get(0).maxMs()).isCloseTo(1, within(0.001));
    }

    @Test
    void aWindowWithoutRequestsHasZeroPercentiles() {
        LatencyWindows windows = new LatencyWindows(10);
        windows.add(second(0, 0), 0, 0, 0);

        LatencyWindow window = windows.windows().get(0);

        assertThat(window.requests()).isZero();
        assertThat(window.p99Ms()).isZero();
        assertThat(window.toS()).isEqualTo(1);
    }

    @Test
    void aWindowLastsAtLeastASecond() {
        assertThatThrownBy(() -> new LatencyWindows(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new LatencyWindows(10).windows()).isEmpty();
    }
}
