package io.dcbstore.library;

import io.dcbstore.library.internal.Ordered;
import io.dcbstore.library.internal.Problems;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The copies removed from circulation and not added again since, ordered by when they were
 * removed, then by book id.
 *
 * @param books the copies
 * @param sequenceNumber the highest sequence number of the events this result reflects (0 for none)
 */
public record RemovedBooks(List<Book> books, long sequenceNumber) {
    private static final Comparator<Book> ORDER =
            Ordered.byTimeThenId(Book::removedAt, entry -> entry.bookId().value());

    /** Copies and orders the books; throws {@link InvalidLibraryInputException} for bad input. */
    public RemovedBooks {
        new Problems()
                .notNull("books", books)
                .check(sequenceNumber >= 0, "sequence number must not be negative")
                .throwIfAny();
        books = Ordered.copyOf(books, ORDER);
    }

    /**
     * A removed copy.
     *
     * @param bookId the copy
     * @param removedAt when it was removed
     */
    public record Book(BookId bookId, Instant removedAt) {
        /** Requires every field. */
        public Book {
            new Problems()
                    .notNull("book id", bookId)
                    .notNull("removedAt", removedAt)
                    .throwIfAny();
        }
    }
}
