package io.dcbstore.embedded.internal;

import java.util.Locale;

/** The operating systems the launcher tells apart, from the JVM's {@code os.name}. */
public enum OperatingSystem {
    /** Linux, any distribution. */
    LINUX,
    /** macOS ({@code Mac OS X}, or {@code Darwin} on some JVMs). */
    MACOS,
    /** Windows, any edition ({@code Windows 11}, {@code Windows Server 2022}, ...). */
    WINDOWS,
    /** Anything else (FreeBSD, AIX, ...): no binaries exist for it. */
    OTHER;

    /**
     * @param osName a value of the {@code os.name} system property
     * @return the operating system it names
     */
    public static OperatingSystem of(String osName) {
        String name = osName == null ? "" : osName.trim().toLowerCase(Locale.ROOT);
        if (name.startsWith("linux")) {
            return LINUX;
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return MACOS;
        }
        if (name.startsWith("windows")) {
            return WINDOWS;
        }
        return OTHER;
    }

    /** @return the operating system this JVM runs on */
    public static OperatingSystem current() {
        return of(System.getProperty("os.name"));
    }

    /**
     * @param program a PostgreSQL program, e.g. {@code initdb}
     * @return its file name here: with {@code .exe} on Windows
     */
    public String executable(String program) {
        return this == WINDOWS ? program + ".exe" : program;
    }

    /** @return whether processes get POSIX signals ({@code kill}) and have a {@code nice} value */
    public boolean isPosix() {
        return this != WINDOWS;
    }

    /** @return whether a root JVM can start the server as an unprivileged user ({@code setpriv}) */
    public boolean canDropRootPrivileges() {
        return this == LINUX;
    }
}
