package io.dcbstore.postgres.internal;

import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.ConfigurationException;
import io.dcbstore.DatabaseException;
import io.dcbstore.InvalidInputException;
import io.dcbstore.OperationCancelledException;
import io.dcbstore.OperationTimeoutException;

/**
 * How a store call ended, and for errors a bounded type: the tags of metrics and spans, and what
 * logs say. The error types come from the exception and its SQLSTATE class, never from messages.
 *
 * @param outcome success, conflict, timeout, cancelled, invalid or error
 * @param errorType {@code none}, or the kind of error (connection, serialization, ...)
 */
public record Outcome(String outcome, String errorType) {
    /** The call succeeded. */
    public static final Outcome SUCCESS = new Outcome("success", "none");

    /**
     * @param failure what the caller got
     * @return its outcome
     */
    public static Outcome of(RuntimeException failure) {
        if (failure instanceof AppendConditionFailedException) {
            return new Outcome("conflict", "none");
        }
        if (failure instanceof OperationTimeoutException) {
            return new Outcome("timeout", "none");
        }
        if (failure instanceof OperationCancelledException) {
            return new Outcome("cancelled", "none");
        }
        if (failure instanceof InvalidInputException) {
            return new Outcome("invalid", "none");
        }
        if (failure instanceof ConfigurationException) {
            return new Outcome("error", "configuration");
        }
        if (failure instanceof DatabaseException database) {
            return new Outcome("error", typeOf(database.sqlState()));
        }
        return new Outcome("error", "other");
    }

    /** @return whether the caller needs no one else to look at it: its own answer, not a fault */
    public boolean expected() {
        return !outcome.equals("error");
    }

    private static String typeOf(String sqlState) {
        if (sqlState == null) {
            return "unknown";
        }
        if (sqlState.startsWith("08")) {
            return "connection";
        }
        if (sqlState.startsWith("57P")) {
            return "shutdown";
        }
        if (sqlState.startsWith("53")) {
            return "resources";
        }
        if (sqlState.startsWith("DCB")) {
            return "store";
        }
        return switch (sqlState) {
            case "40001" -> "serialization";
            case "40P01" -> "deadlock";
            case "55P03" -> "lock_not_available";
            case "25006" -> "read_only";
            default -> "other";
        };
    }
}
