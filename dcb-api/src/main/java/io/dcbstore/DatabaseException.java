package io.dcbstore;

import org.jspecify.annotations.Nullable;

/**
 * The database failed: it could not be reached, refused the statement, or reported an error the
 * store does not map to a more specific exception. Carries the SQLSTATE and whether a retry can
 * help (connection failures, serialization failures and deadlocks can; the rest cannot).
 */
public final class DatabaseException extends EventStoreException {
    private static final long serialVersionUID = 1L;
    /** The SQLSTATE reported by the driver, if any. */
    private final @Nullable String sqlState;
    /** Whether trying again may help. */
    private final boolean retryable;

    /**
     * @param message what the store was doing, with diagnostic state
     * @param sqlState the SQLSTATE reported by the driver, or {@code null} when none
     * @param retryable whether repeating the operation can succeed
     * @param cause the driver's exception
     */
    public DatabaseException(String message, @Nullable String sqlState, boolean retryable, @Nullable Throwable cause) {
        super(message + (sqlState == null ? "" : " (SQLSTATE " + sqlState + ")"), cause);
        this.sqlState = sqlState;
        this.retryable = retryable;
    }

    /** @return the SQLSTATE reported by the driver, or {@code null} when none */
    public @Nullable String sqlState() {
        return sqlState;
    }

    @Override
    public boolean isRetryable() {
        return retryable;
    }
}
