package io.dcbstore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a read is served: its consistency, an optional commit token it must see, its timeout and an
 * optional cancellation handle. Immutable; derive variants with the {@code with...} methods.
 *
 * @param consistency which node may serve the read
 * @param atLeast a commit token the read must see, or {@code null}
 * @param timeout the per-operation timeout, or {@code null} for the store's default
 * @param cancellation a handle to cancel the read from another thread, or {@code null}
 */
public record ReadOptions(
        Consistency consistency,
        @Nullable CommitToken atLeast,
        @Nullable Duration timeout,
        @Nullable Cancellation cancellation) {
    /** Strong consistency, no token, the store's default timeout. */
    public static final ReadOptions STRONG = new ReadOptions(Consistency.STRONG, null, null, null);
    /** Eventual consistency, no token, the store's default timeout. */
    public static final ReadOptions EVENTUAL = new ReadOptions(Consistency.EVENTUAL, null, null, null);

    /**
     * Validates the options.
     *
     * @param consistency which node may serve the read
     * @param atLeast a commit token the read must see, or {@code null}
     * @param timeout the per-operation timeout, or {@code null} for the store's default
     * @param cancellation a handle to cancel the read from another thread, or {@code null}
     */
    public ReadOptions {
        List<String> problems = new ArrayList<>();
        if (consistency == null) {
            problems.add("read consistency must not be null");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            problems.add("read timeout must be positive, got " + timeout);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    /**
     * @param token the commit token of an append the read must see
     * @return a copy that must see the given commit token
     */
    public ReadOptions withAtLeast(CommitToken token) {
        return new ReadOptions(consistency, token, timeout, cancellation);
    }

    /**
     * @param newTimeout the timeout of this operation; {@code null} for the store's default
     * @return a copy with the given timeout
     */
    public ReadOptions withTimeout(@Nullable Duration newTimeout) {
        return new ReadOptions(consistency, atLeast, newTimeout, cancellation);
    }

    /**
     * @param handle a handle that cancels the operation from another thread; {@code null} for none
     * @return a copy cancellable through the given handle
     */
    public ReadOptions withCancellation(@Nullable Cancellation handle) {
        return new ReadOptions(consistency, atLeast, timeout, handle);
    }
}
