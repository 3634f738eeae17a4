package io.dcbstore.library;

import io.dcbstore.library.internal.Ordered;
import io.dcbstore.library.internal.Problems;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The copies in circulation: added and not removed since (a removed copy that was added again is
 * in circulation). Ordered by when they were added, then by book id.
 *
 * @param books the copies
 * @param sequenceNumber the highest sequence number of the events this result reflects (0 for none)
 */
public record BooksInCirculation(List<Book> books, long sequenceNumber) {
    private static final Comparator<Book> ORDER =
            Ordered.byTimeThenId(Book::addedAt, entry -> entry.bookId().value());

    /** Copies and orders the books; throws {@link InvalidLibraryInputException} for bad input. */
    public BooksInCirculation {
        new Problems()
                .notNull("books", books)
                .check(sequenceNumber >= 0, "sequence number must not be negative")
                .throwIfAny();
        books = Ordered.copyOf(books, ORDER);
    }

    /**
     * A copy in circulation.
     *
     * @param bookId the copy
     * @param details the book it is a copy of
     * @param addedAt when it was (last) added to circulation
     * @param lent whether it is lent to a reader now
     */
    public record Book(BookId bookId, BookDetails details, Instant addedAt, boolean lent) {
        /** Requires every field. */
        public Book {
            new Problems()
                    .notNull("book id", bookId)
                    .notNull("details", details)
                    .notNull("addedAt", addedAt)
                    .throwIfAny();
        }
    }
}
