package io.dcbstore.simulator.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcbstore.library.EventMetadata;

/**
 * What tells one event of the library apart from every other: its type and the {@code MessageID}
 * of its metadata (unique per event), and the {@code CausationID} (the command that appended it).
 * Ids missing from the metadata are empty (events of the seeded history have none).
 *
 * @param type the event type
 * @param messageId the event's own id, or empty
 * @param causationId the id of the command that appended it, or empty
 */
public record EventIdentity(String type, String messageId, String causationId) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param type the event type
     * @param metadata the metadata, a JSON object as text
     * @return the event's identity
     */
    public static EventIdentity of(String type, String metadata) {
        try {
            JsonNode tree = JSON.readTree(metadata);
            return new EventIdentity(
                    type,
                    tree.path(EventMetadata.MESSAGE_ID).asText(""),
                    tree.path(EventMetadata.CAUSATION_ID).asText(""));
        } catch (JsonProcessingException e) {
            return new EventIdentity(type, "", "");
        }
    }
}
