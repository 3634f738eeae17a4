package io.dcbstore.library;

import io.dcbstore.library.internal.Problems;
import java.time.Instant;
import java.util.List;

/**
 * Lendings that ended with the copy being returned, in the order asked for (by return time; equal
 * times in log order, reversed for {@link SortOrder#NEWEST_FIRST}), at most as many as asked for.
 *
 * @param lendings the finished lendings, in the order asked for
 * @param totalCount how many lendings finished in all, before the limit
 * @param sequenceNumber the highest sequence number of the events this result reflects (0 for none)
 */
public record FinishedLendings(List<Lending> lendings, int totalCount, long sequenceNumber) {
    /** Copies the lendings, keeping their order; throws {@link InvalidLibraryInputException} for bad input. */
    public FinishedLendings {
        new Problems()
                .notNull("lendings", lendings)
                .check(sequenceNumber >= 0, "sequence number must not be negative")
                .throwIfAny();
        lendings = List.copyOf(lendings);
        new Problems()
                .check(totalCount >= lendings.size(), "total count must be at least the number of lendings")
                .throwIfAny();
    }

    /**
     * A finished lending.
     *
     * @param bookId the copy
     * @param readerId the reader who borrowed it
     * @param lentAt when it was lent
     * @param returnedAt when it was returned
     */
    public record Lending(BookId bookId, ReaderId readerId, Instant lentAt, Instant returnedAt) {
        /** Requires every field. */
        public Lending {
            new Problems()
                    .notNull("book id", bookId)
                    .notNull("reader id", readerId)
                    .notNull("lentAt", lentAt)
                    .notNull("returnedAt", returnedAt)
                    .throwIfAny();
        }
    }
}
