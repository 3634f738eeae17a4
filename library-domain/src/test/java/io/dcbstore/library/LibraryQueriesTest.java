package io.dcbstore.library;

import static io.dcbstore.library.TestStores.addCopy;
import static io.dcbstore.library.TestStores.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.CommitToken;
import io.dcbstore.EventStore;
import io.dcbstore.ReadOptions;
import io.dcbstore.library.CommandOutcome.Status;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LibraryQueriesTest {
    private static final BookId B1 = BookId.of("b1");
    private static final BookId B2 = BookId.of("b2");
    private static final BookId B3 = BookId.of("b3");
    private static final BookId B4 = BookId.of("b4");
    private static final ReaderId ADA = ReaderId.of("ada");
    private static final ReaderId GRACE = ReaderId.of("grace");
    private static final ReaderId LINUS = ReaderId.of("linus");

    private EventStore store;
    private LibraryCommands commands;
    private LibraryQueries queries;

    @BeforeEach
    void createStore() {
        store = TestStores.newStore();
        commands = LibraryCommands.create(store, TestStores.deterministicSettings());
        queries = LibraryQueries.create(store);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void anEmptyLibraryAnswersEveryQueryWithNothingAtSequenceNumberZero() {
        assertThat(queries.booksInCirculation()).isEqualTo(new BooksInCirculation(List.of(), 0));
        assertThat(queries.booksLentByReader(ADA).books()).isEmpty();
        assertThat(queries.booksLentOut().lendings()).isEmpty();
        assertThat(queries.registeredReaders().readers()).isEmpty();
        assertThat(queries.canceledReaders().readers()).isEmpty();
        assertThat(queries.removedBooks().books()).isEmpty();
        FinishedLendings finished = queries.finishedLendings(10, SortOrder.OLDEST_FIRST);
        assertThat(finished.lendings()).isEmpty();
        assertThat(finished.totalCount()).isZero();
        assertThat(finished.sequenceNumber()).isZero();
    }

    @Test
    void booksInCirculationLeaveOutRemovedCopiesAreOrderedByWhenAddedAndShowWhichAreLent() {
        given(
                new RegisterReader(ADA, "Ada"),
                addCopy(B3),
                addCopy(B1),
                addCopy(B2),
                new RemoveBookCopy(B1),
                new LendBookCopyToReader(B2, ADA),
                addCopy(B4),
                new RemoveBookCopy(B4),
                addCopy(B4));

        BooksInCirculation result = queries.booksInCirculation();

        assertThat(result.books()).extracting(BooksInCirculation.Book::bookId).containsExactly(B3, B2, B4);
        assertThat(result.books()).extracting(BooksInCirculation.Book::lent).containsExactly(false, true, false);
        assertThat(result.books().get(0).details()).isEqualTo(TestStores.detailsOf(B3));
        assertThat(result.sequenceNumber()).isEqualTo(lastSequenceNumber());
    }

    @Test
    void booksLentByReaderListOnlyThatReadersOutstandingLoansInLendingOrder() {
        givenLendings();

        assertThat(queries.booksLentByReader(ADA).books())
                .extracting(BooksLentByReader.Book::bookId)
                .containsExactly(B3, B1);
        assertThat(queries.booksLentByReader(GRACE).books())
                .extracting(BooksLentByReader.Book::bookId)
                .containsExactly(B4);
        assertThat(queries.booksLentByReader(LINUS).count()).isZero();
    }

    @Test
    void booksLentOutListEveryOutstandingLendingWithItsBorrower() {
        givenLendings();

        assertThat(queries.booksLentOut().lendings())
                .extracting(lending ->
                        lending.bookId().value() + "->" + lending.readerId().value())
                .containsExactly("b3->ada", "b1->ada", "b4->grace");
    }

    @Test
    void registeredAndCanceledReadersAreKeptApartAndAReregisteredReaderCountsAsRegistered() {
        given(
                new RegisterReader(ADA, "Ada"),
                new RegisterReader(GRACE, "Grace"),
                new RegisterReader(LINUS, "Linus"),
                new CancelReaderContract(GRACE),
                new CancelReaderContract(ADA),
                new RegisterReader(ADA, "Ada again"));

        assertThat(queries.registeredReaders().readers())
                .extracting(RegisteredReaders.Reader::name)
                .containsExactly("Linus", "Ada again");
        assertThat(queries.canceledReaders().readers())
                .extracting(CanceledReaders.Reader::readerId)
                .containsExactly(GRACE);
    }

    @Test
    void removedBooksLeaveOutCopiesAddedAgainAndAreOrderedByWhenRemoved() {
        given(
                addCopy(B1),
                addCopy(B2),
                addCopy(B3),
                new RemoveBookCopy(B2),
                new RemoveBookCopy(B1),
                new RemoveBookCopy(B3),
                addCopy(B3));

        assertThat(queries.removedBooks().books())
                .extracting(RemovedBooks.Book::bookId)
                .containsExactly(B2, B1);
    }

    @Test
    void finishedLendingsAreOrderedByReturnTimeLimitedAndCounted() {
        given(
                new RegisterReader(ADA, "Ada"),
                new RegisterReader(GRACE, "Grace"),
                addCopy(B1),
                addCopy(B2),
                addCopy(B3),
                new LendBookCopyToReader(B1, ADA),
                new LendBookCopyToReader(B2, GRACE),
                new LendBookCopyToReader(B3, ADA),
                new ReturnBookCopyFromReader(B2, GRACE),
                new ReturnBookCopyFromReader(B1, ADA),
                new LendBookCopyToReader(B2, ADA),
                new ReturnBookCopyFromReader(B2, ADA));

        FinishedLendings oldest = queries.finishedLendings(2, SortOrder.OLDEST_FIRST);
        FinishedLendings newest = queries.finishedLendings(10, SortOrder.NEWEST_FIRST);

        assertThat(oldest.totalCount()).isEqualTo(3);
        assertThat(oldest.lendings())
                .extracting(lending ->
                        lending.bookId().value() + "<-" + lending.readerId().value())
                .containsExactly("b2<-grace", "b1<-ada");
        assertThat(newest.lendings())
                .extracting(lending ->
                        lending.bookId().value() + "<-" + lending.readerId().value())
                .containsExactly("b2<-ada", "b1<-ada", "b2<-grace");
        assertThat(newest.lendings())
                .allSatisfy(lending -> assertThat(lending.lentAt()).isBefore(lending.returnedAt()));
    }

    @Test
    void aQueryGivenTheCommitTokenOfACommandSeesTheCommandsEvent() {
        CommitToken token = commands.handle(addCopy(B1)).commitToken().orElseThrow();

        BooksInCirculation result = queries.booksInCirculation(ReadOptions.EVENTUAL.withAtLeast(token));

        assertThat(result.books()).extracting(BooksInCirculation.Book::bookId).containsExactly(B1);
        assertThat(result.sequenceNumber()).isGreaterThanOrEqualTo(token.sequenceNumber());
    }

    @Test
    void failureEventsDoNotShowUpInAnyReadModel() {
        given(new RegisterReader(ADA, "Ada"), addCopy(B1));
        BooksInCirculation before = queries.booksInCirculation();

        assertThat(commands.handle(new LendBookCopyToReader(B2, ADA)).status()).isEqualTo(Status.BUSINESS_FAILURE);
        assertThat(commands.handle(new CancelReaderContract(LINUS)).status()).isEqualTo(Status.BUSINESS_FAILURE);

        assertThat(queries.booksInCirculation()).isEqualTo(before);
        assertThat(queries.registeredReaders().readers())
                .extracting(RegisteredReaders.Reader::readerId)
                .containsExactly(ADA);
        assertThat(queries.booksLentOut().lendings()).isEmpty();
    }

    @Test
    void askingForNoFinishedLendingsIsRejected() {
        assertThatThrownBy(() -> queries.finishedLendings(0, SortOrder.NEWEST_FIRST))
                .isInstanceOf(InvalidLibraryInputException.class);
    }

    private void givenLendings() {
        given(
                new RegisterReader(ADA, "Ada"),
                new RegisterReader(GRACE, "Grace"),
                addCopy(B1),
                addCopy(B2),
                addCopy(B3),
                addCopy(B4),
                new LendBookCopyToReader(B3, ADA),
                new LendBookCopyToReader(B2, ADA),
                new LendBookCopyToReader(B1, ADA),
                new LendBookCopyToReader(B4, GRACE),
                new ReturnBookCopyFromReader(B2, ADA));
    }

    private void given(LibraryCommand... history) {
        for (LibraryCommand command : history) {
            assertThat(commands.handle(command).status()).as("%s", command).isEqualTo(Status.SUCCESS);
        }
    }

    private long lastSequenceNumber() {
        var log = log(store);
        return log.get(log.size() - 1).sequenceNumber();
    }
}
