package io.dcbstore.library;

/**
 * A stored event could not be read as a {@link LibraryEvent}: its type is not a library event
 * type, or its payload or metadata lacks a field or holds an invalid value.
 */
public final class UndecodableEventException extends LibraryException {
    private static final long serialVersionUID = 1L;
    private final long sequenceNumber;
    private final String eventType;

    /**
     * @param sequenceNumber the stored event's sequence number
     * @param eventType the stored event's type
     * @param problem what is wrong with it
     * @param cause the underlying cause, or {@code null}
     */
    public UndecodableEventException(long sequenceNumber, String eventType, String problem, Throwable cause) {
        super(
                "cannot read event " + sequenceNumber + " of type '" + eventType + "' as a library event: " + problem,
                cause);
        this.sequenceNumber = sequenceNumber;
        this.eventType = eventType;
    }

    /** @return the stored event's sequence number */
    public long sequenceNumber() {
        return sequenceNumber;
    }

    /** @return the stored event's type */
    public String eventType() {
        return eventType;
    }
}
