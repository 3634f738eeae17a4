package io.dcbstore.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Waits until a starting server accepts connections, and makes sure the server that answers is
 * this one: a port found free may be taken by another process before the server binds it, and
 * that process may be another PostgreSQL.
 */
final class ServerReadiness {
    private ServerReadiness() {}

    /** The server exited because its port was taken. */
    static final class PortTakenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String message) {
            super(message);
        }
    }

    /**
     * @param process the server process
     * @param jdbcUrl where it should answer
     * @param dataDirectory its data directory, which the answering server must report
     * @param timeout how long to wait
     * @param log its log file, for error messages
     * @throws PortTakenException when it exited because its port was taken
     * @throws IllegalStateException when it exited otherwise, or did not answer in time
     */
    static void await(Process process, String jdbcUrl, Path dataDirectory, Duration timeout, Path log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String tail = readLog(log);
                String message = "postgres exited with code " + process.exitValue() + "; log:\n" + tail;
                if (tail.contains("could not create any TCP/IP sockets")) {
                    throw new PortTakenException(message);
                }
                throw new IllegalStateException(message);
            }
            try (Connection connection = DriverManager.getConnection(jdbcUrl, EmbeddedPostgres.USER, "");
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT current_setting('data_directory')")) {
                row.next();
                if (isSameDirectory(row.getString(1), dataDirectory)) {
                    return;
                }
                // Another server answers on this port: this one will fail to bind it and exit.
                sleep(50);
            } catch (SQLException e) {
                last = e;
                sleep(50);
            }
        }
        throw new IllegalStateException(
                "postgres did not accept connections within " + timeout + ": " + last + "; log:\n" + readLog(log));
    }

    private static boolean isSameDirectory(String reported, Path dataDirectory) {
        try {
            return Path.of(reported).toRealPath().equals(dataDirectory.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /** @return the server's log, or why there is none */
    static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Sleeps; an interrupt ends the wait with an exception. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
