package io.dcbstore.simulator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatTest {
    /** A real walwriter's line: the name holds a space and the closing parenthesis follows it. */
    private static final String WALWRITER = "21070 (postgres: walwriter ) S 21065 21065 21065 0 -1 4194368 160 0 0 0"
            + " 12 34 5 6 20 0 1 0 2530000 225079296 2070 18446744073709551615 1 1 0 0 0 0 4194304 19935232 84487"
            + " 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0";

    @Test
    void aProcessNameWithSpacesAndParenthesesIsSkippedUpToTheLastClosingParenthesis() {
        ProcStat.ProcessTicks walwriter = ProcStat.parseProcess(WALWRITER);

        assertThat(walwriter.pid()).isEqualTo(21070);
        assertThat(walwriter.parentPid()).isEqualTo(21065);
        assertThat(walwriter.user()).isEqualTo(12);
        assertThat(walwriter.system()).isEqualTo(34);
        assertThat(walwriter.childrenUser()).isEqualTo(5);
        assertThat(walwriter.childrenSystem()).isEqualTo(6);
        assertThat(walwriter.total()).isEqualTo(57);
    }

    @Test
    void parenthesesInsideTheNameDoNotShiftTheFields() {
        ProcStat.ProcessTicks odd =
                ProcStat.parseProcess("7 (a) b (c)) R 1 7 7 0 -1 0 0 0 0 0 100 200 300 400 20 0 1 0 5 0 0");

        assertThat(odd.pid()).isEqualTo(7);
        assertThat(odd.parentPid()).isEqualTo(1);
        assertThat(odd.total()).isEqualTo(1_000);
    }

    @Test
    void aLineThatIsNotAProcessLineIsRefused() {
        assertThatThrownBy(() -> ProcStat.parseProcess("cpu  1 2 3 4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/proc/<pid>/stat");
        assertThatThrownBy(() -> ProcStat.parseProcess("1 (short) S 0 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too few fields");
    }

    @Test
    void theMachineIsBusyForEveryTickButIdleAndIoWait() {
        String stat = "cpu  1000 50 300 5000 200 10 20 5 7 0\n"
                + "cpu0 500 25 150 2500 100 5 10 2 3 0\n"
                + "cpu1 500 25 150 2500 100 5 10 3 4 0\n"
                + "intr 12345 0 0\nctxt 999\n";

        ProcStat.MachineTicks machine = ProcStat.parseMachine(stat);

        // user, nice, system, idle, iowait, irq, softirq, steal; guest is already within user.
        assertThat(machine.total()).isEqualTo(1000 + 50 + 300 + 5000 + 200 + 10 + 20 + 5);
        assertThat(machine.busy()).isEqualTo(1000 + 50 + 300 + 10 + 20 + 5);
    }

    @Test
    void aStatFileWithoutTheCpuLineIsRefused() {
        assertThatThrownBy(() -> ProcStat.parseMachine("cpu0 1 2 3 4 5 6 7 8\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
