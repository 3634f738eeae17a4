package io.dcbstore.library.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.library.BookDetails;
import io.dcbstore.library.BookId;
import io.dcbstore.library.BooksInCirculation;
import io.dcbstore.library.BooksLentByReader;
import io.dcbstore.library.BooksLentOut;
import io.dcbstore.library.EventMetadata;
import io.dcbstore.library.LibraryEvent;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.ReaderId;
import io.dcbstore.library.RecordedLibraryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The projections as pure functions, on logs the commands never write but another writer of the
 * same store could (the projections read every event of their types): what each does with them,
 * and the parts of the contract that do not depend on the events.
 */
class ProjectionRulesTest {
    private static final BookId BOOK = BookId.of("b-1");
    private static final BookId OTHER_BOOK = BookId.of("b-2");
    private static final ReaderId READER = ReaderId.of("r-1");
    private static final ReaderId OTHER_READER = ReaderId.of("r-2");
    private static final BookDetails DETAILS = new BookDetails("isbn", "Title", "Author", "1st", "Publisher", 2020);

    @Test
    void projectingNoEventsReturnsTheStateAsItWas() {
        List<RecordedLibraryEvent> log = log(new BookCopyAddedToCirculation(BOOK, DETAILS), lent(BOOK, READER));
        BooksInCirculationProjection circulation = new BooksInCirculationProjection();
        Map<String, BooksInCirculation.Book> books = circulation.project(circulation.initialState(), log);
        FinishedLendingsProjection finished = new FinishedLendingsProjection();
        FinishedLendingsProjection.State lendings = finished.project(finished.initialState(), log);

        assertThat(circulation.project(books, List.of())).isSameAs(books);
        assertThat(finished.project(lendings, List.of())).isSameAs(lendings);
    }

    @Test
    void aReturnedCopyIsStillInCirculationAndNoLongerLent() {
        BooksInCirculationProjection projection = new BooksInCirculationProjection();

        Map<String, BooksInCirculation.Book> books = projection.project(
                projection.initialState(),
                log(new BookCopyAddedToCirculation(BOOK, DETAILS), lent(BOOK, READER), returned(BOOK, READER)));

        assertThat(books.values()).singleElement().satisfies(book -> {
            assertThat(book.bookId()).isEqualTo(BOOK);
            assertThat(book.lent()).isFalse();
        });
    }

    @Test
    void aReturnByAReaderWhoDoesNotHaveTheCopyLeavesItsLendingOpen() {
        BooksLentOutProjection projection = new BooksLentOutProjection();

        Map<String, BooksLentOut.Lending> lendings =
                projection.project(projection.initialState(), log(lent(BOOK, READER), returned(BOOK, OTHER_READER)));

        assertThat(lendings.values()).extracting(BooksLentOut.Lending::readerId).containsExactly(READER);
    }

    @Test
    void aCopyLentTwiceToOneReaderIsOneLoanFromTheLaterLendingAsInThatReadersOwnProjection() {
        List<RecordedLibraryEvent> log = log(lent(BOOK, READER), lent(OTHER_BOOK, READER), lent(BOOK, READER));
        LoansByReaderProjection shared = new LoansByReaderProjection();
        BooksLentByReaderProjection own = new BooksLentByReaderProjection(READER);

        List<BooksLentByReader.Book> loans =
                shared.project(shared.initialState(), log).get(READER.value()).books();
        Map<String, BooksLentByReader.Book> ownLoans = own.project(own.initialState(), log);

        assertThat(loans).extracting(BooksLentByReader.Book::bookId).containsExactly(OTHER_BOOK, BOOK);
        assertThat(loans).containsExactlyInAnyOrderElementsOf(ownLoans.values());
        assertThat(ownLoans.get(BOOK.value()).lentAt()).isEqualTo(at(3));
    }

    @Test
    void theFinishedLendingsStateCountsItsOpenAndItsFinishedLendingsAsEntries() {
        FinishedLendingsProjection projection = new FinishedLendingsProjection();

        FinishedLendingsProjection.State state = projection.project(
                projection.initialState(),
                log(
                        lent(BOOK, READER),
                        returned(BOOK, READER),
                        lent(BOOK, OTHER_READER),
                        returned(BOOK, OTHER_READER),
                        lent(BOOK, READER),
                        lent(OTHER_BOOK, READER),
                        returned(BOOK, READER)));

        assertThat(state.open()).hasSize(1);
        assertThat(state.finished()).hasSize(3);
        assertThat(projection.entries(state)).isEqualTo(4);
    }

    private static BookCopyLentToReader lent(BookId book, ReaderId reader) {
        return new BookCopyLentToReader(book, reader);
    }

    private static BookCopyReturnedByReader returned(BookId book, ReaderId reader) {
        return new BookCopyReturnedByReader(book, reader);
    }

    /** @return the events recorded at sequence numbers 1, 2, ..., the nth at {@link #at}(n) */
    private static List<RecordedLibraryEvent> log(LibraryEvent... events) {
        List<RecordedLibraryEvent> log = new ArrayList<>();
        for (LibraryEvent event : events) {
            int sequenceNumber = log.size() + 1;
            log.add(new RecordedLibraryEvent(
                    sequenceNumber, event, new EventMetadata("m-" + sequenceNumber, "", ""), at(sequenceNumber)));
        }
        return log;
    }

    private static Instant at(int sequenceNumber) {
        return Instant.parse("2025-01-01T09:00:00Z").plusSeconds(sequenceNumber);
    }
}
