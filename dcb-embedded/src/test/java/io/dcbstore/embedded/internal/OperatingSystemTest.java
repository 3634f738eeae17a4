package io.dcbstore.embedded.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperatingSystemTest {

    @ParameterizedTest(name = "os.name \"{0}\" is {1}")
    @CsvSource({
        "Linux, LINUX",
        "Mac OS X, MACOS",
        "Darwin, MACOS",
        "Windows 11, WINDOWS",
        "Windows Server 2019, WINDOWS",
        "FreeBSD, OTHER",
        "'', OTHER",
    })
    void theOperatingSystemIsReadFromOsName(String osName, OperatingSystem expected) {
        assertThat(OperatingSystem.of(osName)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "os.arch \"{0}\" is {1}")
    @CsvSource({
        "amd64, X86_64",
        "x86_64, X86_64",
        "aarch64, ARM64",
        "arm64, ARM64",
        "x86, OTHER",
        "ppc64le, OTHER",
    })
    void theArchitectureIsReadFromOsArch(String osArch, Architecture expected) {
        assertThat(Architecture.of(osArch)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: setpriv {1}, POSIX {2}")
    @CsvSource({"LINUX, true, true", "MACOS, false, true", "WINDOWS, false, false", "OTHER, false, true"})
    void onlyLinuxDropsRootPrivilegesAndOnlyWindowsLacksPosixSignals(
            OperatingSystem system, boolean dropsRoot, boolean posix) {
        assertThat(system.canDropRootPrivileges()).isEqualTo(dropsRoot);
        assertThat(system.isPosix()).isEqualTo(posix);
    }
}
