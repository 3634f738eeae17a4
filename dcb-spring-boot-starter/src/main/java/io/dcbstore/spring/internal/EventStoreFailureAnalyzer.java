package io.dcbstore.spring.internal;

import io.dcbstore.EventStoreException;
import io.dcbstore.InvalidInputException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a start that failed in the store (invalid {@code dcb.*} values, a node that cannot be
 * reached, a database that does not suit the store) into Spring Boot's short "APPLICATION FAILED TO
 * START" report: the store's own message, and what to change.
 */
public final class EventStoreFailureAnalyzer extends AbstractFailureAnalyzer<EventStoreException> {
    /** Created by Spring Boot from {@code META-INF/spring.factories}. */
    public EventStoreFailureAnalyzer() {}

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, EventStoreException cause) {
        return new FailureAnalysis("The DCB event store could not start: " + cause.getMessage(), action(cause), cause);
    }

    private static String action(EventStoreException cause) {
        if (cause instanceof InvalidInputException) {
            return "Correct the values named above: dcb.primary.*, dcb.replicas.*, dcb.pool-size, dcb.store.*"
                    + " (the store's settings are spelled as in PostgresStoreConfig, e.g. defaultTimeout is"
                    + " dcb.store.default-timeout).";
        }
        if (cause.isRetryable()) {
            return "Make sure the database of dcb.primary.url (or of the application's DataSource) and of every"
                    + " dcb.replicas.<name>.url is running and reachable, then start again.";
        }
        return "Change the configuration the message names (dcb.primary.*, dcb.replicas.*, dcb.store.*, or the"
                + " database itself); starting again without a change fails the same way.";
    }
}
