package io.dcbstore.embedded;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the PostgreSQL programs. PostgreSQL refuses to run as root, so when this JVM is root every
 * program runs as the unprivileged user {@code nobody} through {@code setpriv}; a normal user
 * runs them directly and needs none of this.
 */
final class Processes {
    /** The unprivileged user the server runs as when we are root. */
    static final String UNPRIVILEGED_USER = "nobody";
    /** The home of {@link #UNPRIVILEGED_USER} in the password database of Debian and Ubuntu: none. */
    private static final String SERVER_USER_HOME = "/nonexistent";

    private Processes() {}

    static boolean isRoot() {
        return new UnixSystem().getUid() == 0;
    }

    static String currentUser() {
        return System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /**
     * @return the command, prefixed to drop root privileges when needed. The program then sees a
     *     home that does not exist rather than root's: libpq (a replica's connection to its
     *     primary) looks for a client certificate there, and a home it may not read fails a TLS
     *     connection where a missing file does not.
     */
    static List<String> asServerUser(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(
                "setpriv",
                "--reuid=" + UNPRIVILEGED_USER,
                "--regid=nogroup",
                "--clear-groups",
                "--",
                "env",
                "HOME=" + SERVER_USER_HOME));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Gives a directory (recursively) to the server user when we are root. */
    static void handToServerUser(Path directory) {
        if (isRoot()) {
            runToCompletion(List.of("chown", "-R", UNPRIVILEGED_USER + ":nogroup", directory.toString()), 60);
        }
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
