package io.dcbstore.library;

import io.dcbstore.library.internal.Problems;
import java.time.Duration;

/**
 * How {@link LibraryCommands} retries a command whose append failed because its boundary changed
 * ({@link io.dcbstore.AppendConditionFailedException}): up to {@code maxAttempts} attempts in all,
 * waiting between attempts for an exponentially growing, capped, jittered backoff. Every attempt
 * queries the boundary again and decides again. Immutable; derive variants with the
 * {@code with...} methods.
 *
 * @param maxAttempts attempts in all, including the first: 1 (no retry) to 1000
 * @param initialBackoff the wait before the first retry; not negative
 * @param maxBackoff the longest wait; at least {@code initialBackoff}
 * @param multiplier how much the wait grows per retry: at least 1
 * @param jitter the fraction of each wait that is random, 0 (none) to 1 (anywhere between 0 and the wait);
 *     spreads out retries of commands that conflicted with each other
 */
public record RetryPolicy(
        int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter) {
    /** Validates every field and reports every problem together; throws {@link InvalidLibraryInputException}. */
    public RetryPolicy {
        Problems problems = new Problems()
                .check(
                        maxAttempts >= 1 && maxAttempts <= 1000,
                        "maxAttempts must be between 1 and 1000, got " + maxAttempts)
                .notNull("initialBackoff", initialBackoff)
                .notNull("maxBackoff", maxBackoff)
                .check(
                        multiplier >= 1.0 && Double.isFinite(multiplier),
                        "multiplier must be at least 1, got " + multiplier)
                .check(jitter >= 0.0 && jitter <= 1.0, "jitter must be between 0 and 1, got " + jitter);
        if (initialBackoff != null && maxBackoff != null) {
            problems.check(!initialBackoff.isNegative(), "initialBackoff must not be negative, got " + initialBackoff)
                    .check(
                            maxBackoff.compareTo(initialBackoff) >= 0,
                            "maxBackoff " + maxBackoff + " must not be shorter than initialBackoff " + initialBackoff);
        }
        problems.throwIfAny();
    }

    /** @return 10 attempts, backoff from 5 ms doubling up to 500 ms, half of it random */
    public static RetryPolicy defaults() {
        return new RetryPolicy(10, Duration.ofMillis(5), Duration.ofMillis(500), 2.0, 0.5);
    }

    /** @return a copy with the given number of attempts in all */
    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, initialBackoff, maxBackoff, multiplier, jitter);
    }

    /** @return a copy with the given first and longest waits */
    public RetryPolicy withBackoff(Duration initial, Duration max) {
        return new RetryPolicy(maxAttempts, initial, max, multiplier, jitter);
    }

    /** @return a copy with the given growth per retry */
    public RetryPolicy withMultiplier(double factor) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, factor, jitter);
    }

    /** @return a copy with the given random fraction of each wait */
    public RetryPolicy withJitter(double fraction) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, multiplier, fraction);
    }

    /**
     * The wait before a retry: {@code min(maxBackoff, initialBackoff * multiplier^(retry-1))},
     * reduced by up to {@code jitter} of itself.
     *
     * @param retry which retry: 1 for the first
     * @param random a uniformly distributed number in [0, 1), chosen by the caller
     * @return the wait
     */
    public Duration backoff(int retry, double random) {
        new Problems()
                .check(retry >= 1, "retry must be at least 1, got " + retry)
                .check(random >= 0.0 && random < 1.0, "random must be in [0, 1), got " + random)
                .throwIfAny();
        double exponential = initialBackoff.toNanos() * Math.pow(multiplier, retry - 1.0);
        double capped = Math.min(exponential, maxBackoff.toNanos());
        return Duration.ofNanos(Math.round(capped * (1.0 - jitter * random)));
    }
}
