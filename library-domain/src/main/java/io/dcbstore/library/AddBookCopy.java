package io.dcbstore.library;

import io.dcbstore.Filter;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.library.internal.Problems;
import java.util.List;

/**
 * Adds a copy of a book to circulation.
 *
 * <p>Rules: a copy already in circulation is not added again (idempotent); a copy that was
 * removed may be added again.
 *
 * @param bookId the copy
 * @param details the book it is a copy of
 */
public record AddBookCopy(BookId bookId, BookDetails details) implements LibraryCommand {
    /** Requires both fields; throws {@link InvalidLibraryInputException}. */
    public AddBookCopy {
        new Problems()
                .notNull("book id", bookId)
                .notNull("book details", details)
                .throwIfAny();
    }

    /** @return the copy's added and removed events */
    @Override
    public Filter boundary() {
        return Filter.anyOf(BookCopyHistory.circulation(bookId));
    }

    @Override
    public Decision decide(List<LibraryEvent> history) {
        if (BookCopyHistory.of(bookId, history).inCirculation()) {
            return Decision.idempotent("book copy is already in circulation");
        }
        return Decision.append(new BookCopyAddedToCirculation(bookId, details));
    }
}
