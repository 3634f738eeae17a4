package io.dcbstore;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An event as stored: the appended event and the sequence number the store gave it. Sequence
 * numbers are positive, unique and increase in append order; they may have gaps.
 *
 * @param sequenceNumber the position in the log
 * @param type the event type
 * @param payload the payload, a JSON object as text (normalised by the database)
 * @param metadata the metadata, a JSON object as text
 * @param occurredAt when the event occurred
 * @param id the id the client gave the event, or {@code null}
 */
public record StoredEvent(
        long sequenceNumber,
        String type,
        String payload,
        String metadata,
        Instant occurredAt,
        @Nullable UUID id) {
    /**
     * Checks the invariants the store guarantees.
     *
     * @param sequenceNumber the position in the log
     * @param type the event type
     * @param payload the payload, a JSON object as text (normalised by the database)
     * @param metadata the metadata, a JSON object as text
     * @param occurredAt when the event occurred
     * @param id the id the client gave the event, or {@code null}
     */
    public StoredEvent {
        if (sequenceNumber <= 0) {
            throw new IllegalArgumentException("sequence number must be positive, got " + sequenceNumber);
        }
    }

    /**
     * A stored event without an id.
     *
     * @param sequenceNumber the position in the log
     * @param type the event type
     * @param payload the payload, a JSON object as text
     * @param metadata the metadata, a JSON object as text
     * @param occurredAt when the event occurred
     */
    public StoredEvent(long sequenceNumber, String type, String payload, String metadata, Instant occurredAt) {
        this(sequenceNumber, type, payload, metadata, occurredAt, null);
    }
}
