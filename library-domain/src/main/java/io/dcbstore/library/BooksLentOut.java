package io.dcbstore.library;

import io.dcbstore.library.internal.Ordered;
import io.dcbstore.library.internal.Problems;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Every copy on loan now, with its borrower, ordered by when it was lent, then by book id.
 *
 * @param lendings the current lendings
 * @param sequenceNumber the highest sequence number of the events this result reflects (0 for none)
 */
public record BooksLentOut(List<Lending> lendings, long sequenceNumber) {
    private static final Comparator<Lending> ORDER =
            Ordered.byTimeThenId(Lending::lentAt, entry -> entry.bookId().value());

    /** Copies and orders the lendings; throws {@link InvalidLibraryInputException} for bad input. */
    public BooksLentOut {
        new Problems()
                .notNull("lendings", lendings)
                .check(sequenceNumber >= 0, "sequence number must not be negative")
                .throwIfAny();
        lendings = Ordered.copyOf(lendings, ORDER);
    }

    /**
     * A copy on loan.
     *
     * @param bookId the copy
     * @param readerId the borrower
     * @param lentAt when it was lent
     */
    public record Lending(BookId bookId, ReaderId readerId, Instant lentAt) {
        /** Requires every field. */
        public Lending {
            new Problems()
                    .notNull("book id", bookId)
                    .notNull("reader id", readerId)
                    .notNull("lentAt", lentAt)
                    .throwIfAny();
        }
    }
}
