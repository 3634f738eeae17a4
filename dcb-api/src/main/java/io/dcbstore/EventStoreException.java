package io.dcbstore;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception the event store throws. All are unchecked.
 *
 * <p>{@link #isRetryable()} says whether repeating the same operation can succeed: a concurrency
 * conflict or a timeout can; bad input or a cancelled operation cannot.
 */
public abstract class EventStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, with the diagnostic state needed to understand it
     * @param cause the underlying cause, or {@code null}
     */
    protected EventStoreException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** @return whether repeating the operation (after re-reading, for conflicts) can succeed */
    public abstract boolean isRetryable();
}
