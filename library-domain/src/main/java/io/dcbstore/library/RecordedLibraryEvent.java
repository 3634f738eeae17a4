package io.dcbstore.library;

import io.dcbstore.library.internal.Problems;
import java.time.Instant;

/**
 * A library event as read back from the store, with where and when it was recorded.
 *
 * @param sequenceNumber its position in the log
 * @param event the domain event
 * @param metadata its message, causation and correlation ids
 * @param occurredAt when it occurred
 */
public record RecordedLibraryEvent(
        long sequenceNumber, LibraryEvent event, EventMetadata metadata, Instant occurredAt) {
    /** Validates the fields; throws {@link InvalidLibraryInputException}. */
    public RecordedLibraryEvent {
        new Problems()
                .check(sequenceNumber > 0, "sequence number must be positive, got " + sequenceNumber)
                .notNull("event", event)
                .notNull("metadata", metadata)
                .notNull("occurredAt", occurredAt)
                .throwIfAny();
    }
}
