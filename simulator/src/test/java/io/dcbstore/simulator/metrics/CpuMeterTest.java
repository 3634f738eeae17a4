package io.dcbstore.simulator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dcbstore.simulator.report.CpuReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuMeterTest {
    private static final long SECOND = 1_000_000_000L;

    private static CpuMeter meter(String unavailable) {
        return new CpuMeter(
                List.of(new CpuMeter.Server("primary", () -> 10), new CpuMeter.Server("replica", () -> 20)),
                unavailable,
                true,
                100);
    }

    private static CpuMeter.Reading reading(
            long atSeconds,
            double jvmSeconds,
            long primaryPid,
            long primaryTicks,
            long replicaTicks,
            long machineBusy) {
        return new CpuMeter.Reading(
                atSeconds * SECOND,
                (long) (jvmSeconds * SECOND),
                Map.of(
                        "primary", new CpuMeter.ServerTicks(primaryPid, primaryTicks),
                        "replica", new CpuMeter.ServerTicks(20, replicaTicks)),
                new ProcStat.MachineTicks(machineBusy, machineBusy * 4));
    }

    @Test
    void eachProcessesCpuIsDividedByTheFinishedRequestsAndTheRestOfTheMachineIsOther() {
        CpuMeter meter = meter("");
        // 40 s, 20,000 requests: the JVM used 8 s, the primary 600 ticks (6 s), the replica 400
        // ticks (4 s); the machine was busy 3,000 ticks (30 s), so other processes used 12 s.
        CpuReport cpu = meter.between(
                reading(100, 50, 10, 1_000, 500, 10_000), reading(140, 58, 10, 1_600, 900, 13_000), 20_000);

        assertThat(cpu.usPerRequest("jvm")).isCloseTo(400, within(0.001));
        assertThat(cpu.usPerRequest("primary")).isCloseTo(300, within(0.001));
        assertThat(cpu.usPerRequest("replica")).isCloseTo(200, within(0.001));
        assertThat(cpu.processes().get("other").cpuS()).isCloseTo(12, within(0.001));
        assertThat(cpu.processes().keySet()).containsExactly("jvm", "primary", "replica", "other");
        assertThat(cpu.machine().cores()).isCloseTo(0.75, within(0.001));
        assertThat(cpu.processes().get("primary").cores()).isCloseTo(0.15, within(0.001));
        assertThat(cpu.elapsedS()).isCloseTo(40, within(0.001));
        assertThat(cpu.note()).isEmpty();
    }

    @Test
    void aServerThatRestartedIsCountedFromItsRestartAndSaysSo() {
        CpuReport cpu = meter("").between(reading(0, 0, 10, 5_000, 0, 0), reading(10, 1, 11, 300, 100, 2_000), 1_000);

        assertThat(cpu.processes().get("primary").cpuS()).isCloseTo(3, within(0.001));
        assertThat(cpu.note()).contains("primary restarted during the run");
    }

    @Test
    void externalServersGiveOnlyTheJvmAndTheMachineAndSayWhy() {
        CpuMeter external = new CpuMeter(List.of(), "server CPU not available: external", true, 100);
        CpuMeter.Reading start = new CpuMeter.Reading(0, 0, Map.of(), new ProcStat.MachineTicks(0, 0));
        CpuMeter.Reading end =
                new CpuMeter.Reading(10 * SECOND, 2 * SECOND, Map.of(), new ProcStat.MachineTicks(500, 2_000));

        CpuReport cpu = external.between(start, end, 1_000);

        assertThat(cpu.processes().keySet()).containsExactly("jvm", "other");
        assertThat(cpu.usPerRequest("primary")).isNull();
        assertThat(cpu.note()).isEqualTo("server CPU not available: external");
    }

    @Test
    void withoutProcOnlyTheJvmIsReportedAndTheNoteSaysItIsNotAvailable() {
        CpuMeter elsewhere = new CpuMeter(List.of(new CpuMeter.Server("primary", () -> 10)), "", false, 100);
        CpuMeter.Reading start = new CpuMeter.Reading(0, 0, Map.of(), null);
        CpuMeter.Reading end = new CpuMeter.Reading(10 * SECOND, SECOND, Map.of(), null);

        CpuReport cpu = elsewhere.between(start, end, 100);

        assertThat(cpu.processes().keySet()).containsExactly("jvm");
        assertThat(cpu.machine()).isNull();
        assertThat(cpu.note()).contains("not available");
    }

    @Test
    void theCoresOfAWindowAreEachProcessesCpuOverItsLength() {
        Map<String, Double> cores = meter("").cores(reading(0, 0, 10, 0, 0, 0), reading(10, 2.5, 10, 300, 100, 1_500));

        assertThat(cores)
                .containsExactly(
                        Map.entry("jvm", 0.25),
                        Map.entry("primary", 0.3),
                        Map.entry("replica", 0.1),
                        Map.entry("other", 0.85),
                        Map.entry("machine", 1.5));
    }
}
