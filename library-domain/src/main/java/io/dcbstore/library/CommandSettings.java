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
 * @param storySnapshotsAfter 0 to read every boundary from the start of the log (the default);
 *     otherwise a command whose boundary is made of whole stories of copies and readers (lend,
 *     remove, cancel) resumes each story from its saved snapshot and reads only the log after it,
 *     and saves a story again once a read found at least this many of its events after the
 *     snapshot. Worth it when stories are long (hundreds of events per reader): each read then
 *     costs a snapshot load per story and a short query, instead of one query of the whole stories
 */
public record CommandSettings(
        RetryPolicy retryPolicy,
        Clock clock,
        Supplier<String> messageIds,
        Duration resendFor,
        int storySnapshotsAfter) {
    /**
     * Settings that read every boundary from the start of the log.
     *
     * @param retryPolicy how concurrency conflicts are retried
     * @param clock gives every appended event its {@code occurredAt}
     * @param messageIds gives every appended event its {@code MessageID}
     * @param resendFor how long an append whose outcome is unknown is re-sent
     */
    public CommandSettings(RetryPolicy retryPolicy, Clock clock, Supplier<String> messageIds, Duration resendFor) {
        this(retryPolicy, clock, messageIds, resendFor, 0);
    }

    /** Requires every field; throws {@link InvalidLibraryInputException} listing every missing one. */
    public CommandSettings {
        new Problems()
                .notNull("retry policy", retryPolicy)
                .notNull("clock", clock)
                .notNull("message id supplier", messageIds)
                .notNull("resendFor", resendFor)
                .check(resendFor == null || !resendFor.isNegative(), "resendFor must not be negative, got " + resendFor)
                .check(storySnapshotsAfter >= 0, "storySnapshotsAfter must not be negative, got " + storySnapshotsAfter)
                .throwIfAny();
    }

    /**
     * @return the default retry policy, the UTC system clock, random UUIDs, re-sends for 10 s,
     *     boundaries read from the start of the log
     */
    public static CommandSettings defaults() {
        return new CommandSettings(
                RetryPolicy.defaults(),
                Clock.systemUTC(),
                () -> UUID.randomUUID().toString(),
                Duration.ofSeconds(10));
    }

    /** @return a copy with the given retry policy */
    public CommandSettings withRetryPolicy(RetryPolicy policy) {
        return new CommandSettings(policy, clock, messageIds, resendFor, storySnapshotsAfter);
    }

    /** @return a copy with the given clock */
    public CommandSettings withClock(Clock newClock) {
        return new CommandSettings(retryPolicy, newClock, messageIds, resendFor, storySnapshotsAfter);
    }

    /** @return a copy that re-sends appends with an unknown outcome for the given time */
    public CommandSettings withResendFor(Duration duration) {
        return new CommandSettings(retryPolicy, clock, messageIds, duration, storySnapshotsAfter);
    }

    /** @return a copy with the given message id supplier */
    public CommandSettings withMessageIds(Supplier<String> supplier) {
        return new CommandSettings(retryPolicy, clock, supplier, resendFor, storySnapshotsAfter);
    }

    /**
     * @param events 0 to read every boundary from the start; otherwise how many of a story's events
     *     a read must find after its snapshot before the story is saved again
     * @return a copy that resumes whole stories from their snapshots
     */
    public CommandSettings withStorySnapshotsAfter(int events) {
        return new CommandSettings(retryPolicy, clock, messageIds, resendFor, events);
    }
}
