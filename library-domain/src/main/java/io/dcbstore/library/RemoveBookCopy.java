package io.dcbstore.library;

import static io.dcbstore.PayloadPredicate.eq;

import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyRemovedFromCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.LibraryEvent.RemovingBookFromCirculationFailed;
import io.dcbstore.library.internal.Problems;
import java.util.List;

/**
 * Removes a copy from circulation.
 *
 * <p>Rules: a copy that was never added cannot be removed ({@link FailureReason#BOOK_NEVER_ADDED});
 * a copy not in circulation is not removed again (idempotent); a copy lent to a reader cannot be
 * removed ({@link FailureReason#BOOK_IS_LENT}).
 *
 * @param bookId the copy
 */
public record RemoveBookCopy(BookId bookId) implements LibraryCommand {
    /** Requires the book id; throws {@link InvalidLibraryInputException}. */
    public RemoveBookCopy {
        new Problems().notNull("book id", bookId).throwIfAny();
    }

    /** @return the copy's added, removed, lent and returned events */
    @Override
    public Filter boundary() {
        return Filter.anyOf(FilterItem.types(BookCopyAddedToCirculation.TYPE, BookCopyRemovedFromCirculation.TYPE,
                BookCopyLentToReader.TYPE, BookCopyReturnedByReader.TYPE).allOf(eq(PayloadKeys.BOOK_ID, bookId.value())));
    }

    @Override
    public Decision decide(List<LibraryEvent> history) {
        State state = State.of(bookId, history);
        if (!state.everAdded) {
            return fail(FailureReason.BOOK_NEVER_ADDED);
        }
        if (!state.inCirculation) {
            return Decision.idempotent("book copy is already removed from circulation");
        }
        if (state.lent) {
            return fail(FailureReason.BOOK_IS_LENT);
        }
        return Decision.append(new BookCopyRemovedFromCirculation(bookId));
    }

    private Decision fail(FailureReason reason) {
        return Decision.businessFailure(reason, new RemovingBookFromCirculationFailed(bookId, reason.description()));
    }

    /** What the decision needs to know about the copy. */
    private static final class State {
        private boolean everAdded;
        private boolean inCirculation;
        private boolean lent;

        static State of(BookId bookId, List<LibraryEvent> history) {
            State state = new State();
            for (LibraryEvent event : history) {
                if (event instanceof BookCopyAddedToCirculation added && added.bookId().equals(bookId)) {
                    state.everAdded = true;
                    state.inCirculation = true;
                } else if (event instanceof BookCopyRemovedFromCirculation removed && removed.bookId().equals(bookId)) {
                    state.inCirculation = false;
                } else if (event instanceof BookCopyLentToReader lentEvent && lentEvent.bookId().equals(bookId)) {
                    state.lent = true;
                } else if (event instanceof BookCopyReturnedByReader returned && returned.bookId().equals(bookId)) {
                    state.lent = false;
                }
            }
            return state;
        }
    }
}
