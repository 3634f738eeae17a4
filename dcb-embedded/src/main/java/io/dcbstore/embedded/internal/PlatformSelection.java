package io.dcbstore.embedded.internal;

import io.dcbstore.embedded.MissingBinariesException;
import io.dcbstore.embedded.PostgresPlatform;
import io.dcbstore.embedded.UnsupportedPlatformException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Picks the PostgreSQL binaries for a platform, from what the JVM reports ({@code os.name},
 * {@code os.arch}) and the C library found on Linux, and finds their archive on the class path.
 */
public final class PlatformSelection {
    private static final String VERSION_RESOURCE = "postgres-binaries.properties";

    private PlatformSelection() {}

    /**
     * @return the platform this JVM runs on
     * @throws UnsupportedPlatformException if no binaries exist for it
     */
    public static PostgresPlatform current() {
        String osName = System.getProperty("os.name", "");
        boolean musl = OperatingSystem.of(osName) == OperatingSystem.LINUX && usesMusl(Path.of("/lib"));
        return select(osName, System.getProperty("os.arch", ""), musl);
    }

    /**
     * @param osName a value of {@code os.name}, e.g. {@code Mac OS X}
     * @param osArch a value of {@code os.arch}, e.g. {@code aarch64}
     * @param musl whether the C library is musl (Alpine) rather than glibc; read on Linux only
     * @return the platform whose binaries run there
     * @throws UnsupportedPlatformException if no binaries exist for it
     */
    public static PostgresPlatform select(String osName, String osArch, boolean musl) {
        OperatingSystem system = OperatingSystem.of(osName);
        Architecture architecture = Architecture.of(osArch);
        boolean linuxMusl = system == OperatingSystem.LINUX && musl;
        PostgresPlatform platform = switch (system) {
            case LINUX ->
                switch (architecture) {
                    case X86_64 -> musl ? PostgresPlatform.LINUX_AMD64_MUSL : PostgresPlatform.LINUX_AMD64;
                    // zonky publishes no musl build for arm64 at our version.
                    case ARM64 -> musl ? null : PostgresPlatform.LINUX_ARM64;
                    case OTHER -> null;
                };
            case MACOS ->
                switch (architecture) {
                    case X86_64 -> PostgresPlatform.MACOS_AMD64;
                    case ARM64 -> PostgresPlatform.MACOS_ARM64;
                    case OTHER -> null;
                };
            case WINDOWS -> architecture == Architecture.X86_64 ? PostgresPlatform.WINDOWS_AMD64 : null;
            case OTHER -> null;
        };
        if (platform == null) {
            throw new UnsupportedPlatformException(
                    osName, osArch, linuxMusl, UnsupportedPlatformException.Reason.NO_BINARIES);
        }
        return platform;
    }

    /**
     * @param libraryDirectory {@code /lib}
     * @return whether the system's dynamic loader is musl's ({@code ld-musl-<arch>.so.1}), as on Alpine
     */
    static boolean usesMusl(Path libraryDirectory) {
        if (!Files.isDirectory(libraryDirectory)) {
            return false;
        }
        try (Stream<Path> files = Files.list(libraryDirectory)) {
            return files.anyMatch(file -> file.getFileName().toString().startsWith("ld-musl-"));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /**
     * @param platform the platform this JVM runs on
     * @param resources finds a class-path resource by its name at the root, or returns null
     * @return where the platform's archive is
     * @throws MissingBinariesException if it is not on the class path
     */
    public static URL locateArchive(PostgresPlatform platform, Function<String, URL> resources) {
        URL archive = resources.apply(platform.archiveResource());
        if (archive == null) {
            throw new MissingBinariesException(platform, binariesVersion());
        }
        return archive;
    }

    /** @return the binaries' version dcb-embedded was built with, e.g. {@code 17.6.0} */
    public static String binariesVersion() {
        Properties properties = new Properties();
        try (InputStream in = PlatformSelection.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // Only for messages: fall back to the placeholder below.
        }
        return properties.getProperty("version", "<version>");
    }
}
