package io.dcbstore;

import java.util.List;
import java.util.UUID;

/**
 * An append was refused because some of its event ids are already stored, but not as this
 * append: other types or payloads under the same ids, only some of the ids, or another order.
 * Nothing of the append was written. Not retryable: the same append fails the same way; the ids
 * were reused for other events.
 */
public final class EventIdConflictException extends EventStoreException {
    private static final long serialVersionUID = 1L;

    /** The ids found stored, in the append's order. */
    private final List<UUID> storedIds;

    /**
     * @param storedIds the append's ids that are already stored
     * @param reason what differs (content, missing ids, order)
     */
    public EventIdConflictException(List<UUID> storedIds, String reason) {
        super("append refused: event ids " + storedIds + " are already stored for other events (" + reason + ")", null);
        this.storedIds = List.copyOf(storedIds);
    }

    /** @return the append's ids that were already stored */
    public List<UUID> storedIds() {
        return storedIds;
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
