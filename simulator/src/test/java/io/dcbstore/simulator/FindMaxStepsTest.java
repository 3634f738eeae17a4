package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.simulator.report.CpuReport;
import io.dcbstore.simulator.report.CpuUse;
import io.dcbstore.simulator.report.Figures;
import io.dcbstore.simulator.report.FindMaxStep;
import io.dcbstore.simulator.report.LatencyWindow;
import io.dcbstore.simulator.report.RunReport;
import io.dcbstore.simulator.report.Steadiness;
import io.dcbstore.simulator.report.TimeBreakdown;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FindMaxStepsTest {
    private static RunReport step(double rate, double jvmMicros, double... windowP99s) {
        List<LatencyWindow> windows = new ArrayList<>();
        for (int i = 0; i < windowP99s.length; i++) {
            windows.add(new LatencyWindow(
                    i * 10, i * 10 + 10, 1_000, 1, windowP99s[i], windowP99s[i], 0, 0, 0, List.of(), Map.of()));
        }
        Map<String, CpuUse> processes = new LinkedHashMap<>();
        processes.put("jvm", new CpuUse(1, jvmMicros, 0.2));
        processes.put("primary", new CpuUse(1, 123.4, 0.1));
        Figures overall =
                new Figures(1_000, 1_000, 0, 0, 0, 0, 0, 0, 1, 2, 5, 8, 9, new TimeBreakdown(1, 0, 0, 0, 0, 1));
        return new RunReport(
                "2026-12-05T10:00:00Z",
                rate,
                rate,
                30,
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
                Steadiness.of(10, windows),
                new CpuReport(30, 1_000, 2, processes, null, "replica's CPU could not be read"),
                List.of());
    }

    @Test
    void eachStepReportsTheWorstToMedianRatioOfItsOwnWindows() {
        FindMaxStep calm = FindMax.stepSummary(step(500, 400, 4, 4, 5), "", 0, 60);
        FindMaxStep spiky = FindMax.stepSummary(step(750, 380, 10, 40, 10), "p99 60.0 ms > 50 ms", 60, 120);

        assertThat(calm.medianWindowP99Ms()).isEqualTo(4);
        assertThat(calm.worstWindowP99Ms()).isEqualTo(5);
        assertThat(calm.worstWindowRatio()).isEqualTo(1.25);
        assertThat(spiky.medianWindowP99Ms()).isEqualTo(10);
        assertThat(spiky.worstWindowRatio()).isEqualTo(4);
        assertThat(spiky.sustained()).isFalse();
    }

    @Test
    void eachStepReportsTheCpuPerRequestOfEveryProcessMeasured() {
        FindMaxStep summary = FindMax.stepSummary(step(500, 400.4, 4), "", 0, 60);

        assertThat(summary.jvmCpuUsPerRequest()).isEqualTo(400);
        assertThat(summary.primaryCpuUsPerRequest()).isEqualTo(123);
        assertThat(summary.replicaCpuUsPerRequest()).isNull();
    }

    @Test
    void eachStepsAchievedRateIsRoundedToATenth() {
        assertThat(FindMax.stepSummary(step(375.46, 400, 4), "", 0, 60).achievedRate())
                .isEqualTo(375.5);
        assertThat(FindMax.stepSummary(step(375.44, 400, 4), "", 0, 60).achievedRate())
                .isEqualTo(375.4);
    }
}
