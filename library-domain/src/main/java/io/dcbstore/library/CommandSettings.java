package io.dcbstore.library;

import io.dcbstore.library.internal.Problems;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * How {@link LibraryCommands} handles commands: its retry policy, the clock that timestamps
 * events, and where message ids come from. Inject a fixed clock and a counting id supplier for
 * deterministic tests. Immutable; derive variants with the {@code with...} methods.
 *
 * @param retryPolicy how concurrency conflicts are retried
 * @param clock gives every appended event its {@code occurredAt}
 * @param messageIds gives every appended event its {@code MessageID}, and commands handled without
 *     {@link CommandMetadata} their message id; must return a new id on every call and be thread-safe
 *     (and unique in the store: a command's events get ids derived from its message id)
 * @param resendFor how long an append whose outcome is unknown (the connection failed; the server
 *     may have committed) is re-sent, with the retry policy's backoff, before the failure is the
 *     command's: long enough for a primary restart
 */
public record CommandSettings(RetryPolicy retryPolicy, Clock clock, Supplier<String> messageIds, Duration resendFor) {
    /** Requires every field; throws {@link InvalidLibraryInputException} listing every missing one. */
    public CommandSettings {
        new Problems()
                .notNull("retry policy", retryPolicy)
                .notNull("clock", clock)
                .notNull("message id supplier", messageIds)
                .notNull("resendFor", resendFor)
                .check(resendFor == null || !resendFor.isNegative(), "resendFor must not be negative, got " + resendFor)
                .throwIfAny();
    }

    /** @return the default retry policy, the UTC system clock, random UUIDs, re-sends for 10 s */
    public static CommandSettings defaults() {
        return new CommandSettings(
                RetryPolicy.defaults(),
                Clock.systemUTC(),
                () -> UUID.randomUUID().toString(),
                Duration.ofSeconds(10));
    }

    /** @return a copy with the given retry policy */
    public CommandSettings withRetryPolicy(RetryPolicy policy) {
        return new CommandSettings(policy, clock, messageIds, resendFor);
    }

    /** @return a copy with the given clock */
    public CommandSettings withClock(Clock newClock) {
        return new CommandSettings(retryPolicy, newClock, messageIds, resendFor);
    }

    /** @return a copy that re-sends appends with an unknown outcome for the given time */
    public CommandSettings withResendFor(Duration duration) {
        return new CommandSettings(retryPolicy, clock, messageIds, duration);
    }

    /** @return a copy with the given message id supplier */
    public CommandSettings withMessageIds(Supplier<String> supplier) {
        return new CommandSettings(retryPolicy, clock, supplier, resendFor);
    }
}
