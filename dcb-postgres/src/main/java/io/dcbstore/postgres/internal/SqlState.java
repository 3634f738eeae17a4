package io.dcbstore.postgres.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The SQLSTATEs the store reacts to, and whether a retry can help. Matching is on the code the
 * server reports, never on message text.
 */
enum SqlState {
    /** Our append check found a newer matching event ({@code DCB01}, raised by the schema's function). */
    APPEND_CONDITION_FAILED("DCB01", true),
    /** An UPDATE or DELETE hit the append-only trigger. */
    APPEND_ONLY_VIOLATION("DCB02", false),
    /** The statements of one operation did not run as one transaction: a driver option split the pipeline ({@code DCB03}). */
    PIPELINE_SPLIT("DCB03", false),
    /** statement_timeout or a cancel request. */
    QUERY_CANCELED("57014", true),
    /** The server is shutting down. */
    ADMIN_SHUTDOWN("57P01", true),
    /** The server crashed and is restarting. */
    CRASH_SHUTDOWN("57P02", true),
    /** The server cannot accept connections now. */
    CANNOT_CONNECT_NOW("57P03", true),
    /** Serialization failure. */
    SERIALIZATION_FAILURE("40001", true),
    /** Deadlock detected. */
    DEADLOCK_DETECTED("40P01", true),
    /** Lock not available (lock_timeout). */
    LOCK_NOT_AVAILABLE("55P03", true),
    /** A write was sent to a read-only server (a standby). */
    READ_ONLY_TRANSACTION("25006", false),
    /** Too many connections. */
    TOO_MANY_CONNECTIONS("53300", true),
    /** A unique index refused a row (the event ids' index: an id already stored). */
    UNIQUE_VIOLATION("23505", false),
    /** Out of shared memory (for example the lock table): the same append would fail again. */
    OUT_OF_MEMORY("53200", false);

    private static final Map<String, SqlState> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toMap(s -> s.code, Function.identity()));

    private final String code;
    private final boolean retryable;

    SqlState(String code, boolean retryable) {
        this.code = code;
        this.retryable = retryable;
    }

    /** @return the five-character code */
    String code() {
        return code;
    }

    /** @return whether a retry can help */
    boolean retryable() {
        return retryable;
    }

    /** @return the state for a code, or {@code null} when the store has no special handling */
    static SqlState of(String code) {
        return code == null ? null : BY_CODE.get(code);
    }

    /** @return whether the code is of class 08 (connection exception) */
    static boolean isConnectionFailure(String code) {
        return code != null && code.startsWith("08");
    }
}
