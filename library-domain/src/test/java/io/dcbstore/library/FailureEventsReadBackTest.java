package io.dcbstore.library;

import static io.dcbstore.library.LibraryFixtures.BOOK;
import static io.dcbstore.library.LibraryFixtures.DETAILS;
import static io.dcbstore.library.LibraryFixtures.READER;
import static io.dcbstore.library.TestStores.log;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.StoredEvent;
import io.dcbstore.library.CommandOutcome.Status;
import io.dcbstore.library.LibraryEvent.CancelingReaderContractFailed;
import io.dcbstore.library.LibraryEvent.LendingBookToReaderFailed;
import io.dcbstore.library.LibraryEvent.RemovingBookFromCirculationFailed;
import io.dcbstore.library.LibraryEvent.ReturningBookFromReaderFailed;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The failure events a refused command appends read back from PostgreSQL as they were written. */
class FailureEventsReadBackTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventStore store;
    private LibraryCommands commands;

    @BeforeEach
    void createStore() {
        store = TestStores.newStore();
        commands = LibraryCommands.create(store, TestStores.deterministicSettings());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void everyFailureEventReadsBackWithItsTypeAndPayload() {
        refuse(new LendBookCopyToReader(BOOK, READER));
        refuse(new ReturnBookCopyFromReader(BOOK, READER));
        refuse(new RemoveBookCopy(BOOK));
        refuse(new CancelReaderContract(READER));

        assertThat(log(store))
                .extracting(RecordedLibraryEvent::event)
                .containsExactly(
                        new LendingBookToReaderFailed(BOOK, READER, FailureReason.READER_NOT_REGISTERED.description()),
                        new ReturningBookFromReaderFailed(
                                BOOK, READER, FailureReason.READER_NEVER_REGISTERED.description()),
                        new RemovingBookFromCirculationFailed(BOOK, FailureReason.BOOK_NEVER_ADDED.description()),
                        new CancelingReaderContractFailed(READER, FailureReason.READER_NEVER_REGISTERED.description()));
    }

    @Test
    void aFailureEventIsStoredUnderItsTypeWithTheReferencePayload() throws Exception {
        refuse(new LendBookCopyToReader(BOOK, READER));

        StoredEvent stored = store.query(Filter.anyOf(FilterItem.types(LendingBookToReaderFailed.TYPE)))
                .events()
                .get(0);

        JsonNode payload = JSON.readTree(stored.payload());
        assertThat(payload.get("BookID").asText()).isEqualTo(BOOK.value());
        assertThat(payload.get("ReaderID").asText()).isEqualTo(READER.value());
        assertThat(payload.get("FailureInfo").asText()).isEqualTo("reader is not currently registered");
        assertThat(payload.size()).isEqualTo(3);
    }

    @Test
    void everyEventTypeSurvivesARoundTripThroughPostgres() {
        List<LibraryEvent> events = LibraryEventCodecTest.everyEvent()
                .map(arguments -> (LibraryEvent) arguments.get()[0])
                .toList();
        EventMetadata metadata = new EventMetadata("m-1", "c-1", "k-1");
        Instant when = Instant.parse("2025-06-07T08:09:10.123456Z");

        store.append(events.stream()
                .map(event -> LibraryEventCodec.encode(event, metadata, when))
                .toArray(Event[]::new));

        assertThat(log(store))
                .allSatisfy(recorded -> {
                    assertThat(recorded.metadata()).isEqualTo(metadata);
                    assertThat(recorded.occurredAt()).isEqualTo(when);
                })
                .extracting(RecordedLibraryEvent::event)
                .containsExactlyElementsOf(events);
    }

    @Test
    void aRefusedCommandCanSucceedOnceTheRuleIsSatisfied() {
        refuse(new LendBookCopyToReader(BOOK, READER));
        commands.handle(new RegisterReader(READER, "Ada"));
        commands.handle(new AddBookCopy(BOOK, DETAILS));

        assertThat(commands.handle(new LendBookCopyToReader(BOOK, READER)).status())
                .isEqualTo(Status.SUCCESS);
    }

    private void refuse(LibraryCommand command) {
        assertThat(commands.handle(command).status()).as("%s", command).isEqualTo(Status.BUSINESS_FAILURE);
    }
}
