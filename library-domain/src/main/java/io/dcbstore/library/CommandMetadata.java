package io.dcbstore.library;

import io.dcbstore.library.internal.Problems;

/**
 * Identifies a command message: its id becomes the {@code CausationID} of every event it appends,
 * and its correlation id their {@code CorrelationID}.
 *
 * @param messageId the command message's id
 * @param correlationId the id of the conversation it belongs to
 */
public record CommandMetadata(String messageId, String correlationId) {
    /** Validates both ids; throws {@link InvalidLibraryInputException}. */
    public CommandMetadata {
        new Problems()
                .text("command message id", messageId)
                .text("correlation id", correlationId)
                .throwIfAny();
    }

    /**
     * @param messageId the command message's id
     * @return metadata of a command that starts a conversation: correlated with itself
     */
    public static CommandMetadata startingConversation(String messageId) {
        return new CommandMetadata(messageId, messageId);
    }
}
