package io.dcbstore.library;

/**
 * Root of the exceptions the library domain throws itself. All are unchecked. Exceptions of the
 * event store ({@link io.dcbstore.EventStoreException}) pass through unchanged, except the
 * concurrency conflicts the command handler retries.
 */
public abstract class LibraryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, with the state needed to understand it
     * @param cause the underlying cause, or {@code null}
     */
    protected LibraryException(String message, Throwable cause) {
        super(message, cause);
    }
}
