package io.dcbstore.library;

import io.dcbstore.library.internal.Problems;

/**
 * The metadata of every event the library appends: which message it is, which message caused it
 * and which conversation it belongs to. Stored as the JSON object
 * {@code {"MessageID": ..., "CausationID": ..., "CorrelationID": ...}}.
 *
 * @param messageId the event's own id ({@code MessageID})
 * @param causationId the id of the command that caused the event ({@code CausationID})
 * @param correlationId the id shared by every message of one conversation ({@code CorrelationID})
 */
public record EventMetadata(String messageId, String causationId, String correlationId) {
    /** Metadata key of {@link #messageId()}. */
    public static final String MESSAGE_ID = "MessageID";
    /** Metadata key of {@link #causationId()}. */
    public static final String CAUSATION_ID = "CausationID";
    /** Metadata key of {@link #correlationId()}. */
    public static final String CORRELATION_ID = "CorrelationID";

    /**
     * Validates the ids; each must be present, and is empty only for events written by tools that
     * did not record it. Throws {@link InvalidLibraryInputException}.
     */
    public EventMetadata {
        new Problems()
                .optionalText("message id", messageId)
                .optionalText("causation id", causationId)
                .optionalText("correlation id", correlationId)
                .throwIfAny();
    }
}
