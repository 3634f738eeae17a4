package io.dcbstore.example.library;

import io.dcbstore.library.CommandOutcome;
import io.dcbstore.library.FailureReason;

/** A business rule refused a command; {@link LibraryErrors} turns it into a 409 or 422 problem. */
public final class CommandRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final FailureReason failureReason;

    /** @param outcome a {@link CommandOutcome.Status#BUSINESS_FAILURE} outcome */
    public CommandRefusedException(CommandOutcome outcome) {
        super(outcome.reason());
        this.failureReason = outcome.failureReason();
    }

    /** @return the rule that refused the command */
    public FailureReason failureReason() {
        return failureReason;
    }
}
