package io.dcbstore.library;

import io.dcbstore.Filter;
import io.dcbstore.library.LibraryEvent.BookCopyRemovedFromCirculation;
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
        return Filter.anyOf(BookCopyHistory.wholeStory(bookId));
    }

    @Override
    public Decision decide(List<LibraryEvent> history) {
        BookCopyHistory copy = BookCopyHistory.of(bookId, history);
        if (!copy.everAdded()) {
            return fail(FailureReason.BOOK_NEVER_ADDED);
        }
        if (!copy.inCirculation()) {
            return Decision.idempotent("book copy is already removed from circulation");
        }
        if (copy.borrower() != null) {
            return fail(FailureReason.BOOK_IS_LENT);
        }
        return Decision.append(new BookCopyRemovedFromCirculation(bookId));
    }

    private Decision fail(FailureReason reason) {
        return Decision.businessFailure(reason, new RemovingBookFromCirculationFailed(bookId, reason.description()));
    }
}
