package io.dcbstore;

/**
 * The store's configuration does not match the database it points at (for example a replica URL
 * that leads to a primary, or an events table the store did not create). Raised at start, before
 * any event is read or written. Not retryable: fix the configuration.
 */
public final class ConfigurationException extends EventStoreException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and how to fix it */
    public ConfigurationException(String message) {
        super(message, null);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
