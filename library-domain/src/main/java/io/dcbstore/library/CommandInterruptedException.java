package io.dcbstore.library;

/**
 * The thread handling a command was interrupted while it waited to retry after a concurrency
 * conflict. Nothing of the command was written; the thread's interrupt flag is set again.
 */
public final class CommandInterruptedException extends LibraryException {
    private static final long serialVersionUID = 1L;

    /**
     * @param command the command that was being handled
     * @param cause the interruption
     */
    public CommandInterruptedException(LibraryCommand command, InterruptedException cause) {
        super("interrupted while waiting to retry " + command, cause);
    }
}
