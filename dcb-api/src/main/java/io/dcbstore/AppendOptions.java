package io.dcbstore;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Per-append options: a timeout and a cancellation handle.
 *
 * @param timeout the per-operation timeout, or {@code null} for the store's default
 * @param cancellation a handle to cancel the append from another thread, or {@code null}
 */
public record AppendOptions(
        @Nullable Duration timeout, @Nullable Cancellation cancellation) {
    /** The store's default timeout, not cancellable. */
    public static final AppendOptions DEFAULT = new AppendOptions(null, null);

    /**
     * Validates the options.
     *
     * @param timeout the per-operation timeout, or {@code null} for the store's default
     * @param cancellation a handle to cancel the append from another thread, or {@code null}
     */
    public AppendOptions {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new InvalidInputException("append timeout must be positive, got " + timeout);
        }
    }

    /**
     * @param newTimeout the timeout of this operation; {@code null} for the store's default
     * @return a copy with the given timeout
     */
    public AppendOptions withTimeout(@Nullable Duration newTimeout) {
        return new AppendOptions(newTimeout, cancellation);
    }

    /**
     * @param handle a handle that cancels the operation from another thread; {@code null} for none
     * @return a copy cancellable through the given handle
     */
    public AppendOptions withCancellation(@Nullable Cancellation handle) {
        return new AppendOptions(timeout, handle);
    }
}
