package io.dcbstore.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SteadinessSummaryTest {

    private static LatencyWindow window(int fromS, double p99Ms, Map<String, Double> cores) {
        return new LatencyWindow(fromS, fromS + 10, 1_000, 1, p99Ms, p99Ms, 0, 0, 0, List.of(), cores);
    }

    private static String printed(java.util.function.Consumer<PrintStream> print) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        print.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aWindowsActivitiesEndWithTheCoresEachProcessKeptBusyWhenTheyWereMeasured() {
        Map<String, Double> cores = new LinkedHashMap<>();
        cores.put("jvm", 0.214);
        cores.put("primary", 0.15);

        assertThat(SteadinessSummary.activities(window(0, 4, cores)))
                .isEqualTo("no GC pause, autovacuum, checkpoint, snapshot save or long transaction seen;"
                        + " cores busy: jvm 0.21, primary 0.15");
        assertThat(SteadinessSummary.activities(window(0, 4, Map.of())))
                .isEqualTo("no GC pause, autovacuum, checkpoint, snapshot save or long transaction seen");
    }

    @Test
    void theWorstWindowIsDescribedOnceAndEveryOtherWindowOverTheBoundIsNamedAfterIt() {
        List<LatencyWindow> windows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            windows.add(window(i * 10, 2, Map.of()));
        }
        windows.add(window(100, 20, Map.of()));
        windows.add(window(110, 9, Map.of()));

        String out = printed(stream -> SteadinessSummary.print(Steadiness.of(10, windows), stream));

        assertThat(out.lines())
                .containsExactly(
                        "windows (10 s): median p99 2.00 ms, worst 20.00 ms at 100-110 s (10.0x), over 3x: 2 of 12",
                        "  in the worst window (100-110 s): no GC pause, autovacuum, checkpoint, snapshot save or"
                                + " long transaction seen",
                        "  over 3x at 110-120 s (p99 9.00 ms): no GC pause, autovacuum, checkpoint, snapshot save or"
                                + " long transaction seen");
    }

    @Test
    void theCpuLineGivesEveryProcessThenTheMachineAndANoteOnlyWhenSomethingWasNotMeasured() {
        Map<String, CpuUse> processes = new LinkedHashMap<>();
        processes.put("jvm", new CpuUse(3.0, 100, 0.1));
        CpuReport measured = new CpuReport(30, 30_000, 2, processes, new CpuUse(15, 500, 0.5), "");
        CpuReport partly = new CpuReport(30, 30_000, 2, processes, null, "replica's CPU could not be read");

        assertThat(printed(stream -> SteadinessSummary.print(measured, stream)).lines())
                .containsExactly("CPU per request (30,000 requests in 30.0 s): jvm 100 us (3.0 s, 0.10 cores);"
                        + " machine 500 us, 0.50 of 2 cores busy");
        assertThat(printed(stream -> SteadinessSummary.print(partly, stream)).lines())
                .containsExactly(
                        "CPU per request (30,000 requests in 30.0 s): jvm 100 us (3.0 s, 0.10 cores)",
                        "  (replica's CPU could not be read)");
    }
}
