package io.dcbstore.library;

import io.dcbstore.AppendConditionFailedException;

/**
 * A command could not be completed because its consistency boundary changed between query and
 * append on every one of the attempts its {@link RetryPolicy} allows. Nothing of the command was
 * written. Trying the command again later may succeed.
 */
public final class ConcurrencyRetriesExhaustedException extends LibraryException {
    private static final long serialVersionUID = 1L;
    private final transient LibraryCommand command;
    private final int attempts;

    /**
     * @param command the command that gave up
     * @param attempts how many times it queried, decided and tried to append
     * @param lastConflict the conflict of the last attempt
     */
    public ConcurrencyRetriesExhaustedException(
            LibraryCommand command, int attempts, AppendConditionFailedException lastConflict) {
        super(
                "gave up on " + command + " after " + attempts + " attempts: its consistency boundary changed"
                        + " before every append (last: " + lastConflict.getMessage() + ")",
                lastConflict);
        this.command = command;
        this.attempts = attempts;
    }

    /** @return the command that gave up */
    public LibraryCommand command() {
        return command;
    }

    /** @return how many attempts were made, all ending in a concurrency conflict */
    public int attempts() {
        return attempts;
    }
}
