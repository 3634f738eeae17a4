package io.dcbstore;

import java.time.Duration;

/**
 * An operation did not finish within its timeout. The statement was cancelled on the server and,
 * for an append, nothing was written. Retryable.
 */
public final class OperationTimeoutException extends EventStoreException {
    private static final long serialVersionUID = 1L;
    /** The operation that timed out. */
    private final String operation;
    /** The timeout it exceeded. */
    private final Duration timeout;

    /**
     * @param operation the operation that timed out (for example {@code append})
     * @param timeout the timeout that elapsed
     * @param cause the driver's exception
     */
    public OperationTimeoutException(String operation, Duration timeout, Throwable cause) {
        super(operation + " timed out after " + timeout.toMillis() + " ms (cancelled on the server)", cause);
        this.operation = operation;
        this.timeout = timeout;
    }

    /** @return the operation that timed out */
    public String operation() {
        return operation;
    }

    /** @return the timeout that elapsed */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
