package io.dcbstore;

import org.jspecify.annotations.Nullable;

/**
 * An operation was cancelled by its caller through a {@link Cancellation}. For an append, nothing
 * was written. Not retryable: the caller asked for it to stop.
 */
public final class OperationCancelledException extends EventStoreException {
    private static final long serialVersionUID = 1L;

    /**
     * @param operation the operation that was cancelled
     * @param cause the driver's exception, or {@code null} when cancelled before it started
     */
    public OperationCancelledException(String operation, @Nullable Throwable cause) {
        super(operation + " was cancelled by the caller", cause);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
