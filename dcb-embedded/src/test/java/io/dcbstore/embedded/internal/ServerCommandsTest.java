package io.dcbstore.embedded.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerCommandsTest {
    private static final Path BINARIES = Path.of("binaries");

    @Test
    void programsEndInExeOnWindowsOnly() {
        assertThat(ServerCommands.program(OperatingSystem.WINDOWS, BINARIES, "initdb"))
                .isEqualTo(BINARIES.resolve("bin").resolve("initdb.exe"));
        assertThat(ServerCommands.program(OperatingSystem.MACOS, BINARIES, "initdb"))
                .isEqualTo(BINARIES.resolve("bin").resolve("initdb"));
        assertThat(ServerCommands.program(OperatingSystem.LINUX, BINARIES, "postgres"))
                .isEqualTo(BINARIES.resolve("bin").resolve("postgres"));
    }

    @Test
    void aNormalUserRunsTheProgramAsIs() {
        assertThat(ServerCommands.serverCommand(OperatingSystem.MACOS, false, 0, List.of("postgres", "-D", "data")))
                .containsExactly("postgres", "-D", "data");
    }

    @Test
    void rootOnLinuxRunsTheProgramAsNobodyThroughSetpriv() {
        assertThat(ServerCommands.serverCommand(OperatingSystem.LINUX, true, 0, List.of("postgres")))
                .startsWith("setpriv", "--reuid=nobody", "--regid=nogroup")
                .endsWith("env", "HOME=/nonexistent", "postgres");
    }

    @Test
    void aLowerPriorityUsesNiceOnLinuxAndMacosAfterTheUserSwitch() {
        assertThat(ServerCommands.serverCommand(OperatingSystem.MACOS, false, 10, List.of("postgres")))
                .containsExactly("nice", "-n", "10", "postgres");
        assertThat(ServerCommands.serverCommand(OperatingSystem.LINUX, true, 10, List.of("postgres")))
                .startsWith("setpriv")
                .endsWith("HOME=/nonexistent", "nice", "-n", "10", "postgres");
    }

    @Test
    void aLowerPriorityIsIgnoredOnWindowsWhichHasNoNice() {
        assertThat(ServerCommands.serverCommand(OperatingSystem.WINDOWS, false, 10, List.of("postgres.exe")))
                .containsExactly("postgres.exe");
    }

    @Test
    void signalsUseKillOnPosixSystemsAndPgCtlOnWindows() {
        assertThat(ServerCommands.signal(OperatingSystem.LINUX, BINARIES, "INT", 42))
                .containsExactly("kill", "-INT", "42");
        assertThat(ServerCommands.signal(OperatingSystem.MACOS, BINARIES, "INT", 42))
                .containsExactly("kill", "-INT", "42");
        assertThat(ServerCommands.signal(OperatingSystem.WINDOWS, BINARIES, "INT", 42))
                .containsExactly(BINARIES.resolve("bin").resolve("pg_ctl.exe").toString(), "kill", "INT", "42");
    }
}
