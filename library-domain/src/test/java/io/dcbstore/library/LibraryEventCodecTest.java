package io.dcbstore.library;

import static io.dcbstore.library.LibraryFixtures.BOOK;
import static io.dcbstore.library.LibraryFixtures.DETAILS;
import static io.dcbstore.library.LibraryFixtures.READER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LibraryEventCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventMetadata METADATA = new EventMetadata("message-7", "command-3", "conversation-1");
    private static final Instant WHEN = Instant.parse("2025-03-04T05:06:07.123456Z");

    /** Every event with the payload keys of the Go reference implementation. */
    static Stream<Arguments> everyEvent() {
        return Stream.of(
                arguments(
                        new BookCopyAddedToCirculation(BOOK, DETAILS),
                        List.of("BookID", "ISBN", "Title", "Authors", "Edition", "Publisher", "PublicationYear")),
                arguments(new BookCopyRemovedFromCirculation(BOOK), List.of("BookID")),
                arguments(new ReaderRegistered(READER, "Ada Lovelace"), List.of("ReaderID", "Name")),
                arguments(new ReaderContractCanceled(READER), List.of("ReaderID")),
                arguments(new BookCopyLentToReader(BOOK, READER), List.of("BookID", "ReaderID")),
                arguments(new BookCopyReturnedByReader(BOOK, READER), List.of("BookID", "ReaderID")),
                arguments(
                        new LendingBookToReaderFailed(BOOK, READER, "reader is not currently registered"),
                        List.of("BookID", "ReaderID", "FailureInfo")),
                arguments(
                        new ReturningBookFromReaderFailed(BOOK, READER, "book copy is not lent to this reader"),
                        List.of("BookID", "ReaderID", "FailureInfo")),
                arguments(
                        new RemovingBookFromCirculationFailed(BOOK, "book copy is currently lent to a reader"),
                        List.of("BookID", "FailureInfo")),
                arguments(
                        new CancelingReaderContractFailed(READER, "reader still has book copies on loan"),
                        List.of("ReaderID", "FailureInfo")));
    }

    @ParameterizedTest(name = "{0} reads back as itself")
    @MethodSource("everyEvent")
    void everyEventReadsBackAsItself(LibraryEvent event, List<String> payloadKeys) {
        RecordedLibraryEvent decoded =
                LibraryEventCodec.decode(stored(42, LibraryEventCodec.encode(event, METADATA, WHEN)));

        assertThat(decoded).isEqualTo(new RecordedLibraryEvent(42, event, METADATA, WHEN));
    }

    @ParameterizedTest(name = "{0} has the reference payload keys")
    @MethodSource("everyEvent")
    void everyEventHasThePayloadKeysOfTheReference(LibraryEvent event, List<String> payloadKeys) throws Exception {
        Event encoded = LibraryEventCodec.encode(event, METADATA, WHEN);

        assertThat(encoded.type()).isEqualTo(event.getClass().getSimpleName());
        assertThat(fieldNames(JSON.readTree(encoded.payload()))).containsExactlyInAnyOrderElementsOf(payloadKeys);
    }

    @Test
    void theMetadataCarriesMessageCausationAndCorrelationIds() throws Exception {
        Event encoded = LibraryEventCodec.encode(new ReaderContractCanceled(READER), METADATA, WHEN);

        JsonNode metadata = JSON.readTree(encoded.metadata());
        assertThat(metadata.get("MessageID").asText()).isEqualTo("message-7");
        assertThat(metadata.get("CausationID").asText()).isEqualTo("command-3");
        assertThat(metadata.get("CorrelationID").asText()).isEqualTo("conversation-1");
        assertThat(encoded.occurredAt()).isEqualTo(WHEN);
    }

    @Test
    void thePublicationYearIsAJsonNumber() throws Exception {
        Event encoded = LibraryEventCodec.encode(new BookCopyAddedToCirculation(BOOK, DETAILS), METADATA, WHEN);

        assertThat(JSON.readTree(encoded.payload()).get("PublicationYear").isInt())
                .isTrue();
    }

    @Test
    void anEventWrittenWithoutMetadataReadsBackWithEmptyIds() {
        StoredEvent stored = new StoredEvent(3, "ReaderContractCanceled", "{\"ReaderID\":\"r\"}", "{}", WHEN);

        assertThat(LibraryEventCodec.decode(stored).metadata()).isEqualTo(new EventMetadata("", "", ""));
    }

    @Test
    void anUnknownEventTypeIsReportedWithItsPosition() {
        StoredEvent stored = new StoredEvent(9, "SomethingElse", "{}", "{}", WHEN);

        assertThatThrownBy(() -> LibraryEventCodec.decode(stored))
                .isInstanceOfSatisfying(UndecodableEventException.class, e -> {
                    assertThat(e.sequenceNumber()).isEqualTo(9);
                    assertThat(e.eventType()).isEqualTo("SomethingElse");
                });
    }

    @Test
    void aPayloadMissingAFieldIsReportedNamingTheField() {
        StoredEvent stored = new StoredEvent(5, "BookCopyLentToReader", "{\"BookID\":\"b\"}", "{}", WHEN);

        assertThatThrownBy(() -> LibraryEventCodec.decode(stored))
                .isInstanceOf(UndecodableEventException.class)
                .hasMessageContaining("ReaderID");
    }

    private static StoredEvent stored(long sequenceNumber, Event event) {
        return new StoredEvent(sequenceNumber, event.type(), event.payload(), event.metadata(), event.occurredAt());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
