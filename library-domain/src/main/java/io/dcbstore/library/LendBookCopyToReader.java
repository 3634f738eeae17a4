package io.dcbstore.library;

import static io.dcbstore.PayloadPredicate.eq;

import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyRemovedFromCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.LibraryEvent.LendingBookToReaderFailed;
import io.dcbstore.library.LibraryEvent.ReaderContractCanceled;
import io.dcbstore.library.LibraryEvent.ReaderRegistered;
import io.dcbstore.library.internal.Problems;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lends a copy to a reader. This is the example of a boundary spanning two entities: the decision
 * depends on the copy (in circulation? lent?) and on the reader (registered? how many loans?),
 * so one append condition guards both, and no lock or aggregate is needed.
 *
 * <p>Rules, checked in this order: a copy already lent to this reader is not lent again
 * (idempotent; a retried command that took effect reports so); the reader must be registered
 * ({@link FailureReason#READER_NOT_REGISTERED}); the copy must be in circulation
 * ({@link FailureReason#BOOK_NOT_IN_CIRCULATION}) and not lent to another reader
 * ({@link FailureReason#BOOK_LENT_TO_ANOTHER_READER}); the reader may hold at most
 * {@value #MAX_BOOKS_PER_READER} copies ({@link FailureReason#READER_HAS_TOO_MANY_BOOKS}).
 *
 * @param bookId the copy
 * @param readerId the reader
 */
public record LendBookCopyToReader(BookId bookId, ReaderId readerId) implements LibraryCommand {
    /** The most copies a reader may have on loan at once. */
    public static final int MAX_BOOKS_PER_READER = 10;

    /** Requires both ids; throws {@link InvalidLibraryInputException}. */
    public LendBookCopyToReader {
        new Problems().notNull("book id", bookId).notNull("reader id", readerId).throwIfAny();
    }

    /**
     * @return everything about the copy (added, removed, lent, returned) OR about the reader
     *     (registered, canceled, lent, returned)
     */
    @Override
    public Filter boundary() {
        return Filter.anyOf(
                FilterItem.types(BookCopyAddedToCirculation.TYPE, BookCopyRemovedFromCirculation.TYPE,
                        BookCopyLentToReader.TYPE, BookCopyReturnedByReader.TYPE).allOf(eq(PayloadKeys.BOOK_ID, bookId.value())),
                FilterItem.types(ReaderRegistered.TYPE, ReaderContractCanceled.TYPE,
                        BookCopyLentToReader.TYPE, BookCopyReturnedByReader.TYPE).allOf(eq(PayloadKeys.READER_ID, readerId.value())));
    }

    @Override
    public Decision decide(List<LibraryEvent> history) {
        State state = State.of(this, history);
        if (readerId.equals(state.borrower)) {
            return Decision.idempotent("book copy is already lent to this reader");
        }
        if (!state.readerRegistered) {
            return fail(FailureReason.READER_NOT_REGISTERED);
        }
        if (!state.bookInCirculation) {
            return fail(FailureReason.BOOK_NOT_IN_CIRCULATION);
        }
        if (state.borrower != null) {
            return fail(FailureReason.BOOK_LENT_TO_ANOTHER_READER);
        }
        if (state.readerLoans.size() >= MAX_BOOKS_PER_READER) {
            return fail(FailureReason.READER_HAS_TOO_MANY_BOOKS);
        }
        return Decision.append(new BookCopyLentToReader(bookId, readerId));
    }

    private Decision fail(FailureReason reason) {
        return Decision.businessFailure(reason, new LendingBookToReaderFailed(bookId, readerId, reason.description()));
    }

    /** What the decision needs to know about the copy and the reader. */
    private static final class State {
        private final Set<BookId> readerLoans = new HashSet<>();
        private boolean bookInCirculation;
        private ReaderId borrower;
        private boolean readerRegistered;

        static State of(LendBookCopyToReader command, List<LibraryEvent> history) {
            State state = new State();
            for (LibraryEvent event : history) {
                state.applyToBook(command.bookId(), event);
                state.applyToReader(command.readerId(), event);
            }
            return state;
        }

        private void applyToBook(BookId bookId, LibraryEvent event) {
            if (event instanceof BookCopyAddedToCirculation added && added.bookId().equals(bookId)) {
                bookInCirculation = true;
            } else if (event instanceof BookCopyRemovedFromCirculation removed && removed.bookId().equals(bookId)) {
                bookInCirculation = false;
            } else if (event instanceof BookCopyLentToReader lent && lent.bookId().equals(bookId)) {
                borrower = lent.readerId();
            } else if (event instanceof BookCopyReturnedByReader returned && returned.bookId().equals(bookId)) {
                borrower = null;
            }
        }

        private void applyToReader(ReaderId readerId, LibraryEvent event) {
            if (event instanceof ReaderRegistered registered && registered.readerId().equals(readerId)) {
                readerRegistered = true;
            } else if (event instanceof ReaderContractCanceled canceled && canceled.readerId().equals(readerId)) {
                readerRegistered = false;
            } else if (event instanceof BookCopyLentToReader lent && lent.readerId().equals(readerId)) {
                readerLoans.add(lent.bookId());
            } else if (event instanceof BookCopyReturnedByReader returned && returned.readerId().equals(readerId)) {
                readerLoans.remove(returned.bookId());
            }
        }
    }
}
