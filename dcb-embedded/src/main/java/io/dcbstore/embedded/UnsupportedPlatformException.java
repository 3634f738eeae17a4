package io.dcbstore.embedded;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The embedded launcher cannot run PostgreSQL on the platform this JVM runs on. Retrying cannot
 * help: run on a supported platform, or use an external PostgreSQL server. The exception names
 * the platform as the JVM reports it and what is supported instead ({@link #reason()}).
 */
public final class UnsupportedPlatformException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Why the platform cannot be served. */
    public enum Reason {
        /** No PostgreSQL binaries are published for this operating system, processor or C library. */
        NO_BINARIES,
        /**
         * The JVM runs as root, which PostgreSQL refuses, and the launcher can drop root privileges
         * only on Linux ({@code setpriv}).
         */
        ROOT_WITHOUT_SETPRIV
    }

    /** The operating system's name, as the JVM reports it. */
    private final String osName;
    /** The processor architecture, as the JVM reports it. */
    private final String osArch;
    /** Whether the C library is musl (Alpine Linux). */
    private final boolean musl;
    /** Why the platform cannot be served. */
    private final Reason reason;

    /**
     * @param osName the JVM's {@code os.name}
     * @param osArch the JVM's {@code os.arch}
     * @param musl whether the C library is musl (Alpine) rather than glibc
     * @param reason why the platform cannot be served
     */
    public UnsupportedPlatformException(String osName, String osArch, boolean musl, Reason reason) {
        super(message(osName, osArch, musl, Objects.requireNonNull(reason, "reason")));
        this.osName = osName;
        this.osArch = osArch;
        this.musl = musl;
        this.reason = reason;
    }

    private static String message(String osName, String osArch, boolean musl, Reason reason) {
        String platform = "os.name=" + osName + ", os.arch=" + osArch + (musl ? ", C library musl" : "");
        String supported =
                supportedFor(reason).stream().map(PostgresPlatform::description).collect(Collectors.joining(", "));
        return switch (reason) {
            case NO_BINARIES ->
                "no embedded PostgreSQL binaries exist for this platform (" + platform + "); supported: " + supported
                        + ". Use an external PostgreSQL server instead";
            case ROOT_WITHOUT_SETPRIV ->
                "the JVM runs as root on " + platform
                        + ", and PostgreSQL refuses to run as root; the embedded launcher drops root privileges"
                        + " (setpriv) only on " + supported + ". Run the JVM as a normal user";
        };
    }

    private static List<PostgresPlatform> supportedFor(Reason reason) {
        return switch (reason) {
            case NO_BINARIES -> List.of(PostgresPlatform.values());
            case ROOT_WITHOUT_SETPRIV ->
                Arrays.stream(PostgresPlatform.values())
                        .filter(platform -> platform.name().startsWith("LINUX_"))
                        .toList();
        };
    }

    /** @return the JVM's {@code os.name}, e.g. {@code FreeBSD} */
    public String osName() {
        return osName;
    }

    /** @return the JVM's {@code os.arch}, e.g. {@code riscv64} */
    public String osArch() {
        return osArch;
    }

    /** @return whether the C library was found to be musl (Alpine) */
    public boolean musl() {
        return musl;
    }

    /** @return why the platform cannot be served */
    public Reason reason() {
        return reason;
    }

    /** @return the platforms on which what failed here works */
    public List<PostgresPlatform> supportedPlatforms() {
        return supportedFor(reason);
    }
}
