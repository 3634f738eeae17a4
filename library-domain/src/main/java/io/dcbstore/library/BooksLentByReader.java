package io.dcbstore.library;

import io.dcbstore.library.internal.Ordered;
import io.dcbstore.library.internal.Problems;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The copies one reader has on loan now (lent and not returned), ordered by when they were lent,
 * then by book id.
 *
 * @param readerId the reader
 * @param books the copies on loan
 * @param sequenceNumber the highest sequence number of the events this result reflects (0 for none)
 */
public record BooksLentByReader(ReaderId readerId, List<Book> books, long sequenceNumber) {
    private static final Comparator<Book> ORDER =
            Ordered.byTimeThenId(Book::lentAt, entry -> entry.bookId().value());

    /** Copies and orders the books; throws {@link InvalidLibraryInputException} for bad input. */
    public BooksLentByReader {
        new Problems()
                .notNull("reader id", readerId)
                .notNull("books", books)
                .check(sequenceNumber >= 0, "sequence number must not be negative")
                .throwIfAny();
        books = Ordered.copyOf(books, ORDER);
    }

    /** @return how many copies the reader has on loan */
    public int count() {
        return books.size();
    }

    /**
     * A copy on loan.
     *
     * @param bookId the copy
     * @param lentAt when it was lent
     */
    public record Book(BookId bookId, Instant lentAt) {
        /** Requires every field. */
        public Book {
            new Problems().notNull("book id", bookId).notNull("lentAt", lentAt).throwIfAny();
        }
    }
}
