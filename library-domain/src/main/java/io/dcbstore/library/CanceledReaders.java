package io.dcbstore.library;

import io.dcbstore.library.internal.Ordered;
import io.dcbstore.library.internal.Problems;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The readers whose contract is canceled now (a reader who registered again is not), ordered by
 * when their contract was canceled, then by reader id.
 *
 * @param readers the readers
 * @param sequenceNumber the highest sequence number of the events this result reflects (0 for none)
 */
public record CanceledReaders(List<Reader> readers, long sequenceNumber) {
    private static final Comparator<Reader> ORDER =
            Ordered.byTimeThenId(Reader::canceledAt, entry -> entry.readerId().value());

    /** Copies and orders the readers; throws {@link InvalidLibraryInputException} for bad input. */
    public CanceledReaders {
        new Problems()
                .notNull("readers", readers)
                .check(sequenceNumber >= 0, "sequence number must not be negative")
                .throwIfAny();
        readers = Ordered.copyOf(readers, ORDER);
    }

    /**
     * A reader whose contract is canceled.
     *
     * @param readerId the reader
     * @param canceledAt when the contract was canceled
     */
    public record Reader(ReaderId readerId, Instant canceledAt) {
        /** Requires every field. */
        public Reader {
            new Problems()
                    .notNull("reader id", readerId)
                    .notNull("canceledAt", canceledAt)
                    .throwIfAny();
        }
    }
}
