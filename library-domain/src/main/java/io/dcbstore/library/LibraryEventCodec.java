package io.dcbstore.library;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcbstore.Event;
import io.dcbstore.StoredEvent;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyRemovedFromCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.LibraryEvent.CancelingReaderContractFailed;
import io.dcbstore.library.LibraryEvent.LendingBookToReaderFailed;
import io.dcbstore.library.LibraryEvent.ReaderContractCanceled;
import io.dcbstore.library.LibraryEvent.ReaderRegistered;
import io.dcbstore.library.LibraryEvent.RemovingBookFromCirculationFailed;
import io.dcbstore.library.LibraryEvent.ReturningBookFromReaderFailed;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * Converts library events to store {@link Event}s and stored events back to library events. The
 * payload is the event's {@link LibraryEvent#payload()} as a JSON object; the metadata is
 * {@link EventMetadata} as a JSON object. Thread-safe.
 */
public final class LibraryEventCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, Function<Fields, LibraryEvent>> DECODERS = Map.of(
            BookCopyAddedToCirculation.TYPE,
                    fields -> new BookCopyAddedToCirculation(fields.bookId(), fields.bookDetails()),
            BookCopyRemovedFromCirculation.TYPE, fields -> new BookCopyRemovedFromCirculation(fields.bookId()),
            ReaderRegistered.TYPE, fields -> new ReaderRegistered(fields.readerId(), fields.text(PayloadKeys.NAME)),
            ReaderContractCanceled.TYPE, fields -> new ReaderContractCanceled(fields.readerId()),
            BookCopyLentToReader.TYPE, fields -> new BookCopyLentToReader(fields.bookId(), fields.readerId()),
            BookCopyReturnedByReader.TYPE, fields -> new BookCopyReturnedByReader(fields.bookId(), fields.readerId()),
            LendingBookToReaderFailed.TYPE,
                    fields -> new LendingBookToReaderFailed(
                            fields.bookId(), fields.readerId(), fields.text(PayloadKeys.FAILURE_INFO)),
            ReturningBookFromReaderFailed.TYPE,
                    fields -> new ReturningBookFromReaderFailed(
                            fields.bookId(), fields.readerId(), fields.text(PayloadKeys.FAILURE_INFO)),
            RemovingBookFromCirculationFailed.TYPE,
                    fields -> new RemovingBookFromCirculationFailed(
                            fields.bookId(), fields.text(PayloadKeys.FAILURE_INFO)),
            CancelingReaderContractFailed.TYPE,
                    fields -> new CancelingReaderContractFailed(
                            fields.readerId(), fields.text(PayloadKeys.FAILURE_INFO)));

    private LibraryEventCodec() {}

    /**
     * @param event the library event
     * @param metadata its message, causation and correlation ids
     * @param occurredAt when it occurred
     * @return the store event to append
     */
    public static Event encode(LibraryEvent event, EventMetadata metadata, Instant occurredAt) {
        ObjectNode metadataJson = MAPPER.createObjectNode()
                .put(EventMetadata.MESSAGE_ID, metadata.messageId())
                .put(EventMetadata.CAUSATION_ID, metadata.causationId())
                .put(EventMetadata.CORRELATION_ID, metadata.correlationId());
        return new Event(
                event.eventType(), write(MAPPER.valueToTree(event.payload())), write(metadataJson), occurredAt);
    }

    /**
     * @param stored an event read from the store
     * @return the library event with its sequence number, metadata and time
     * @throws UndecodableEventException if the type is not a library event type or a field is
     *     missing or invalid
     */
    public static RecordedLibraryEvent decode(StoredEvent stored) {
        Function<Fields, LibraryEvent> decoder = DECODERS.get(stored.type());
        if (decoder == null) {
            throw new UndecodableEventException(
                    stored.sequenceNumber(), stored.type(), "not a library event type", null);
        }
        try {
            LibraryEvent event = decoder.apply(new Fields(parse(stored.payload())));
            return new RecordedLibraryEvent(
                    stored.sequenceNumber(), event, metadata(parse(stored.metadata())), stored.occurredAt());
        } catch (IllegalArgumentException | InvalidLibraryInputException e) {
            throw new UndecodableEventException(stored.sequenceNumber(), stored.type(), e.getMessage(), e);
        }
    }

    private static EventMetadata metadata(JsonNode json) {
        return new EventMetadata(
                json.path(EventMetadata.MESSAGE_ID).asText(""),
                json.path(EventMetadata.CAUSATION_ID).asText(""),
                json.path(EventMetadata.CORRELATION_ID).asText(""));
    }

    private static JsonNode parse(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("expected a JSON object, got " + json);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(JsonNode json) {
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** Reads typed fields of a payload, failing with a clear message when one is missing. */
    private record Fields(JsonNode payload) {
        String text(String key) {
            JsonNode field = payload.get(key);
            if (field == null || !field.isTextual()) {
                throw new IllegalArgumentException("payload field '" + key + "' must be a string");
            }
            return field.asText();
        }

        int integer(String key) {
            JsonNode field = payload.get(key);
            if (field == null || !field.canConvertToInt() || !field.isIntegralNumber()) {
                throw new IllegalArgumentException("payload field '" + key + "' must be an integer");
            }
            return field.asInt();
        }

        BookId bookId() {
            return new BookId(text(PayloadKeys.BOOK_ID));
        }

        ReaderId readerId() {
            return new ReaderId(text(PayloadKeys.READER_ID));
        }

        BookDetails bookDetails() {
            return new BookDetails(
                    text(PayloadKeys.ISBN),
                    text(PayloadKeys.TITLE),
                    text(PayloadKeys.AUTHORS),
                    text(PayloadKeys.EDITION),
                    text(PayloadKeys.PUBLISHER),
                    integer(PayloadKeys.PUBLICATION_YEAR));
        }
    }
}
