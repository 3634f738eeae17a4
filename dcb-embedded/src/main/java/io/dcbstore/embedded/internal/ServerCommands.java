package io.dcbstore.embedded.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command lines that run and signal the server's programs on each operating system.
 * PostgreSQL refuses to run as root, so a root JVM on Linux runs every program as the
 * unprivileged user {@value #UNPRIVILEGED_USER} through {@code setpriv}; a normal user runs them
 * directly. Windows has no {@code nice} (the server runs at normal priority) and no POSIX signals
 * (PostgreSQL's own {@code pg_ctl kill} delivers them).
 */
public final class ServerCommands {
    /** The unprivileged user the server runs as when the JVM is root (Linux only). */
    public static final String UNPRIVILEGED_USER = "nobody";
    /** The group of {@link #UNPRIVILEGED_USER} on Debian and Ubuntu. */
    public static final String UNPRIVILEGED_GROUP = "nogroup";
    /** The home of {@link #UNPRIVILEGED_USER} in the password database of Debian and Ubuntu: none. */
    private static final String SERVER_USER_HOME = "/nonexistent";

    private ServerCommands() {}

    /**
     * @param system the operating system
     * @param binaries the directory holding {@code bin/}
     * @param program a PostgreSQL program, e.g. {@code postgres}
     * @return the program's path ({@code bin/postgres}, or {@code bin\postgres.exe} on Windows)
     */
    public static Path program(OperatingSystem system, Path binaries, String program) {
        return binaries.resolve("bin").resolve(system.executable(program));
    }

    /**
     * @param system the operating system
     * @param asRoot whether the JVM runs as root; only Linux can then switch users (checked by the caller)
     * @param niceness the server's {@code nice} value, 0 for normal; ignored where there is none
     * @param command the program and its arguments
     * @return the command, prefixed to lower its priority and to drop root privileges when needed.
     *     The program then sees a home that does not exist rather than root's: libpq (a replica's
     *     connection to its primary) looks for a client certificate there, and a home it may not
     *     read fails a TLS connection where a missing file does not.
     */
    public static List<String> serverCommand(
            OperatingSystem system, boolean asRoot, int niceness, List<String> command) {
        List<String> wrapped = new ArrayList<>();
        if (asRoot) {
            wrapped.addAll(List.of(
                    "setpriv",
                    "--reuid=" + UNPRIVILEGED_USER,
                    "--regid=" + UNPRIVILEGED_GROUP,
                    "--clear-groups",
                    "--",
                    "env",
                    "HOME=" + SERVER_USER_HOME));
        }
        if (niceness > 0 && system.isPosix()) {
            wrapped.addAll(List.of("nice", "-n", Integer.toString(niceness)));
        }
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * @param system the operating system
     * @param binaries the directory holding {@code bin/}
     * @param signal {@code INT} (fast shutdown) or {@code TERM}; not {@code KILL}, which Windows
     *     cannot deliver this way (end the process instead)
     * @param pid the process
     * @return the command that sends the signal: {@code kill}, or {@code pg_ctl kill} on Windows
     */
    public static List<String> signal(OperatingSystem system, Path binaries, String signal, long pid) {
        if (system.isPosix()) {
            return List.of("kill", "-" + signal, Long.toString(pid));
        }
        return List.of(program(system, binaries, "pg_ctl").toString(), "kill", signal, Long.toString(pid));
    }
}
