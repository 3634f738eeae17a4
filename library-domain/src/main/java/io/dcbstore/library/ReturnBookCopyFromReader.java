package io.dcbstore.library;

import static io.dcbstore.PayloadPredicate.eq;

import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.LibraryEvent.ReaderRegistered;
import io.dcbstore.library.LibraryEvent.ReturningBookFromReaderFailed;
import io.dcbstore.library.internal.Problems;
import java.util.List;

/**
 * Takes back a copy a reader borrowed.
 *
 * <p>Rules, checked in this order: the reader must have registered at some time
 * ({@link FailureReason#READER_NEVER_REGISTERED}); the copy must have been added at some time
 * ({@link FailureReason#BOOK_NEVER_ADDED}); a copy lent to this reader is returned; a copy this
 * reader already returned is not returned again (idempotent); otherwise the copy is not lent to
 * this reader ({@link FailureReason#BOOK_NOT_LENT_TO_READER}).
 *
 * <p>The boundary is deliberately narrow: lendings of this copy to other readers, and other
 * loans of this reader, cannot change the decision, so they are not part of it and do not cause
 * concurrency conflicts.
 *
 * @param bookId the copy
 * @param readerId the reader
 */
public record ReturnBookCopyFromReader(BookId bookId, ReaderId readerId) implements LibraryCommand {
    /** Requires both ids; throws {@link InvalidLibraryInputException}. */
    public ReturnBookCopyFromReader {
        new Problems().notNull("book id", bookId).notNull("reader id", readerId).throwIfAny();
    }

    /**
     * @return the copy's added events, the reader's registered events, and the lent and returned
     *     events of this copy and this reader together
     */
    @Override
    public Filter boundary() {
        return Filter.anyOf(
                FilterItem.types(BookCopyAddedToCirculation.TYPE).allOf(eq(PayloadKeys.BOOK_ID, bookId.value())),
                FilterItem.types(ReaderRegistered.TYPE).allOf(eq(PayloadKeys.READER_ID, readerId.value())),
                FilterItem.types(BookCopyLentToReader.TYPE, BookCopyReturnedByReader.TYPE)
                        .allOf(eq(PayloadKeys.BOOK_ID, bookId.value()), eq(PayloadKeys.READER_ID, readerId.value())));
    }

    @Override
    public Decision decide(List<LibraryEvent> history) {
        State state = State.of(this, history);
        if (!state.readerEverRegistered) {
            return fail(FailureReason.READER_NEVER_REGISTERED);
        }
        if (!state.bookEverAdded) {
            return fail(FailureReason.BOOK_NEVER_ADDED);
        }
        if (state.lentToReader) {
            return Decision.append(new BookCopyReturnedByReader(bookId, readerId));
        }
        if (state.everReturnedByReader) {
            return Decision.idempotent("book copy was already returned by this reader");
        }
        return fail(FailureReason.BOOK_NOT_LENT_TO_READER);
    }

    private Decision fail(FailureReason reason) {
        return Decision.businessFailure(
                reason, new ReturningBookFromReaderFailed(bookId, readerId, reason.description()));
    }

    /** What the decision needs to know about the copy, the reader and their lendings. */
    private static final class State {
        private boolean readerEverRegistered;
        private boolean bookEverAdded;
        private boolean lentToReader;
        private boolean everReturnedByReader;

        static State of(ReturnBookCopyFromReader command, List<LibraryEvent> history) {
            State state = new State();
            for (LibraryEvent event : history) {
                state.apply(command, event);
            }
            return state;
        }

        private void apply(ReturnBookCopyFromReader command, LibraryEvent event) {
            if (event instanceof ReaderRegistered registered
                    && registered.readerId().equals(command.readerId())) {
                readerEverRegistered = true;
            } else if (event instanceof BookCopyAddedToCirculation added
                    && added.bookId().equals(command.bookId())) {
                bookEverAdded = true;
            } else if (event instanceof BookCopyLentToReader lent
                    && isThisLending(command, lent.bookId(), lent.readerId())) {
                lentToReader = true;
            } else if (event instanceof BookCopyReturnedByReader returned
                    && isThisLending(command, returned.bookId(), returned.readerId())) {
                lentToReader = false;
                everReturnedByReader = true;
            }
        }

        private static boolean isThisLending(ReturnBookCopyFromReader command, BookId bookId, ReaderId readerId) {
            return bookId.equals(command.bookId()) && readerId.equals(command.readerId());
        }
    }
}
