package io.dcbstore.library;

import static io.dcbstore.PayloadPredicate.eq;

import io.dcbstore.FilterItem;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyRemovedFromCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.internal.EntityStory;
import java.util.List;

/**
 * What the commands know about one book copy from its events: the fold that {@link AddBookCopy},
 * {@link RemoveBookCopy} and {@link LendBookCopyToReader} share. Events of other copies are
 * ignored, so it can fold a boundary that spans several entities.
 *
 * @param everAdded whether the copy was ever added to circulation
 * @param inCirculation whether it is in circulation now
 * @param borrower the reader it is lent to, or null
 */
record BookCopyHistory(boolean everAdded, boolean inCirculation, ReaderId borrower) {
    /**
     * @param bookId the copy
     * @return the copy's whole story: added, removed, lent and returned
     */
    static FilterItem wholeStory(BookId bookId) {
        return EntityStory.BOOK_COPY.item(bookId.value());
    }

    /**
     * @param bookId the copy
     * @return whether it is in circulation: its added and removed events
     */
    static FilterItem circulation(BookId bookId) {
        return FilterItem.types(BookCopyAddedToCirculation.TYPE, BookCopyRemovedFromCirculation.TYPE)
                .allOf(eq(PayloadKeys.BOOK_ID, bookId.value()));
    }

    /**
     * @param bookId the copy
     * @param history events in log order, of any entities
     * @return the copy's state after them
     */
    static BookCopyHistory of(BookId bookId, List<LibraryEvent> history) {
        boolean everAdded = false;
        boolean inCirculation = false;
        ReaderId borrower = null;
        for (LibraryEvent event : history) {
            if (event instanceof BookCopyAddedToCirculation added
                    && added.bookId().equals(bookId)) {
                everAdded = true;
                inCirculation = true;
            } else if (event instanceof BookCopyRemovedFromCirculation removed
                    && removed.bookId().equals(bookId)) {
                inCirculation = false;
            } else if (event instanceof BookCopyLentToReader lent
                    && lent.bookId().equals(bookId)) {
                borrower = lent.readerId();
            } else if (event instanceof BookCopyReturnedByReader returned
                    && returned.bookId().equals(bookId)) {
                borrower = null;
            }
        }
        return new BookCopyHistory(everAdded, inCirculation, borrower);
    }
}
