package io.dcbstore.library;

import io.dcbstore.AppendResult;
import io.dcbstore.CommitToken;
import io.dcbstore.library.internal.Problems;
import java.util.Optional;

/**
 * What handling a command did.
 *
 * @param status whether it changed the library, already had taken effect, or was refused
 * @param reason a human-readable sentence: what was appended, why nothing was needed, or why it was refused
 * @param failureReason the business rule that refused it; {@code null} unless {@link Status#BUSINESS_FAILURE}
 * @param retries how many concurrency conflicts were retried before this outcome (0 when none)
 * @param appendResult what was appended (the events, or the failure event); {@code null} for {@link Status#IDEMPOTENT}
 */
public record CommandOutcome(
        Status status, String reason, FailureReason failureReason, int retries, AppendResult appendResult) {
    /** The kind of outcome. */
    public enum Status {
        /** The command changed the library; its events were appended. */
        SUCCESS,
        /** The command had already taken effect; nothing was appended. */
        IDEMPOTENT,
        /** A business rule refused the command; its failure event was appended. */
        BUSINESS_FAILURE
    }

    /** Checks that the fields agree with the status; throws {@link InvalidLibraryInputException}. */
    public CommandOutcome {
        new Problems()
                .notNull("status", status)
                .text("reason", reason)
                .check(retries >= 0, "retries must not be negative, got " + retries)
                .throwIfAny();
        new Problems()
                .check(
                        (status == Status.BUSINESS_FAILURE) == (failureReason != null),
                        "a failure reason is required for, and only for, a business failure")
                .check(
                        (status == Status.IDEMPOTENT) == (appendResult == null),
                        "an append result is required unless the outcome is idempotent")
                .throwIfAny();
    }

    /**
     * @param reason what was appended
     * @param retries the retried concurrency conflicts
     * @param appended what the append wrote
     * @return a success
     */
    public static CommandOutcome success(String reason, int retries, AppendResult appended) {
        return new CommandOutcome(Status.SUCCESS, reason, null, retries, appended);
    }

    /**
     * @param reason why nothing was needed
     * @param retries the retried concurrency conflicts
     * @return an idempotent outcome
     */
    public static CommandOutcome idempotent(String reason, int retries) {
        return new CommandOutcome(Status.IDEMPOTENT, reason, null, retries, null);
    }

    /**
     * @param failureReason the rule that refused the command
     * @param retries the retried concurrency conflicts
     * @param appended what appending the failure event wrote
     * @return a business failure
     */
    public static CommandOutcome businessFailure(FailureReason failureReason, int retries, AppendResult appended) {
        return new CommandOutcome(
                Status.BUSINESS_FAILURE, failureReason.description(), failureReason, retries, appended);
    }

    /**
     * @return the token of what was appended, to read it back with
     *     {@code ReadOptions.EVENTUAL.withAtLeast(token)}; empty when nothing was appended
     */
    public Optional<CommitToken> commitToken() {
        return Optional.ofNullable(appendResult).map(AppendResult::commitToken);
    }
}
