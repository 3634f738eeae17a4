package io.dcbstore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a subscription reads. Immutable; derive variants with the {@code with...} methods.
 *
 * @param consistency STRONG reads the primary; EVENTUAL reads a healthy replica (falling back to
 *     the primary), which adds up to its replication lag and a poll interval to the delivery
 * @param bufferSize the most events read ahead of the consumer; reading pauses while it is full
 * @param pageSize the most events one read returns
 * @param pollInterval how often a live subscription reads when nothing wakes it (appends of this
 *     store and, on the primary, notifications of other processes' appends wake it sooner)
 * @param maxRetryBackoff the longest wait between retries after a failed read (the first is 50 ms,
 *     then doubling)
 */
public record SubscriptionOptions(
        Consistency consistency, int bufferSize, int pageSize, Duration pollInterval, Duration maxRetryBackoff) {
    /** STRONG, 1,000 events buffered, pages of 500, a poll every 500 ms when live, retries up to every 5 s. */
    public static final SubscriptionOptions DEFAULTS =
            new SubscriptionOptions(Consistency.STRONG, 1_000, 500, Duration.ofMillis(500), Duration.ofSeconds(5));

    /**
     * Validates every field; throws {@link InvalidInputException} listing every problem.
     *
     * @param consistency STRONG reads the primary; EVENTUAL reads a healthy replica (falling back to the primary), which adds up to its replication lag and a poll interval to the delivery
     * @param bufferSize the most events read ahead of the consumer; reading pauses while it is full
     * @param pageSize the most events one read returns
     * @param pollInterval how often a live subscription reads when nothing wakes it (appends of this store and, on the primary, notifications of other processes' appends wake it sooner)
     * @param maxRetryBackoff the longest wait between retries after a failed read (the first is 50 ms, then doubling)
     */
    public SubscriptionOptions {
        List<String> problems = new ArrayList<>();
        if (consistency == null) {
            problems.add("consistency must not be null");
        }
        if (bufferSize < 1) {
            problems.add("bufferSize must be at least 1, got " + bufferSize);
        }
        if (pageSize < 1) {
            problems.add("pageSize must be at least 1, got " + pageSize);
        }
        positive(problems, "pollInterval", pollInterval);
        positive(problems, "maxRetryBackoff", maxRetryBackoff);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    private static void positive(List<String> problems, String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(name + " must be positive, got " + value);
        }
    }

    /**
     * @param value the new value
     * @return a copy with the given consistency
     */
    public SubscriptionOptions withConsistency(Consistency value) {
        return new SubscriptionOptions(value, bufferSize, pageSize, pollInterval, maxRetryBackoff);
    }

    /**
     * @param value the new value
     * @return a copy with the given buffer size
     */
    public SubscriptionOptions withBufferSize(int value) {
        return new SubscriptionOptions(consistency, value, pageSize, pollInterval, maxRetryBackoff);
    }

    /**
     * @param value the new value
     * @return a copy with the given page size
     */
    public SubscriptionOptions withPageSize(int value) {
        return new SubscriptionOptions(consistency, bufferSize, value, pollInterval, maxRetryBackoff);
    }

    /**
     * @param value the new value
     * @return a copy with the given poll interval
     */
    public SubscriptionOptions withPollInterval(Duration value) {
        return new SubscriptionOptions(consistency, bufferSize, pageSize, value, maxRetryBackoff);
    }

    /**
     * @param value the new value
     * @return a copy with the given longest retry backoff
     */
    public SubscriptionOptions withMaxRetryBackoff(Duration value) {
        return new SubscriptionOptions(consistency, bufferSize, pageSize, pollInterval, value);
    }
}
