package io.dcbstore.embedded;

import com.sun.security.auth.module.UnixSystem;
import io.dcbstore.embedded.internal.OperatingSystem;
import io.dcbstore.embedded.internal.ServerCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the PostgreSQL programs. PostgreSQL refuses to run as root, so when this JVM is root on
 * Linux every program runs as the unprivileged user {@code nobody} through {@code setpriv}; a
 * normal user runs them directly and needs none of this. A root JVM elsewhere fails with
 * {@link UnsupportedPlatformException}. Windows has no root user in this sense, no {@code nice}
 * and no {@code kill}: see {@link ServerCommands}.
 */
final class Processes {
    private Processes() {}

    /** @return whether this JVM runs as root (never on Windows) */
    static boolean isRoot() {
        if (!OperatingSystem.current().isPosix()) {
            return false;
        }
        try {
            return new UnixSystem().getUid() == 0;
        } catch (UnsatisfiedLinkError e) {
            return false; // no native support for it on this JVM: not a Unix we know
        }
    }

    static String currentUser() {
        return System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /**
     * @return whether the programs must run as {@link ServerCommands#UNPRIVILEGED_USER}
     * @throws UnsupportedPlatformException if the JVM is root where it cannot switch users
     */
    static boolean mustDropRoot() {
        if (!isRoot()) {
            return false;
        }
        if (!OperatingSystem.current().canDropRootPrivileges()) {
            throw new UnsupportedPlatformException(
                    System.getProperty("os.name"),
                    System.getProperty("os.arch"),
                    false,
                    UnsupportedPlatformException.Reason.ROOT_WITHOUT_SETPRIV);
        }
        return true;
    }

    /**
     * @param niceness the server's {@code nice} value, 0 for normal (ignored on Windows)
     * @param command a program and its arguments
     * @return the command as it runs here, see {@link ServerCommands#serverCommand}
     */
    static List<String> asServerUser(int niceness, List<String> command) {
        return ServerCommands.serverCommand(OperatingSystem.current(), mustDropRoot(), niceness, command);
    }

    /** Gives a directory (recursively) to the server user when we are root. */
    static void handToServerUser(Path directory) {
        if (mustDropRoot()) {
            runToCompletion(
                    List.of(
                            "chown",
                            "-R",
                            ServerCommands.UNPRIVILEGED_USER + ":" + ServerCommands.UNPRIVILEGED_GROUP,
                            directory.toString()),
                    60);
        }
    }

    /**
     * Sends a signal to a server process: {@code INT} for a fast shutdown, {@code KILL} for a
     * crash. Windows has no SIGKILL: the process is terminated there.
     *
     * @param binaries the directory holding {@code bin/} ({@code pg_ctl} signals on Windows)
     * @param signal {@code INT}, {@code TERM} or {@code KILL}
     * @param pid the process
     */
    static void signal(Path binaries, String signal, long pid) {
        OperatingSystem system = OperatingSystem.current();
        if (signal.equals("KILL") && !system.isPosix()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            return;
        }
        runToCompletion(ServerCommands.signal(system, binaries, signal, pid), 10);
    }

    /**
     * Runs a command to completion and fails with its output when it fails.
     *
     * @param command the command
     * @param timeoutSeconds how long it may take
     * @return its combined output
     */
    static String runToCompletion(List<String> command, int timeoutSeconds) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed with exit code " + process.exitValue() + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }
}
