package io.dcbstore.library;

import io.dcbstore.library.internal.Ordered;
import io.dcbstore.library.internal.Problems;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The readers registered now (a reader whose contract was canceled and who registered again is
 * registered), ordered by when they (last) registered, then by reader id.
 *
 * @param readers the readers
 * @param sequenceNumber the highest sequence number of the events this result reflects (0 for none)
 */
public record RegisteredReaders(List<Reader> readers, long sequenceNumber) {
    private static final Comparator<Reader> ORDER =
            Ordered.byTimeThenId(Reader::registeredAt, entry -> entry.readerId().value());

    /** Copies and orders the readers; throws {@link InvalidLibraryInputException} for bad input. */
    public RegisteredReaders {
        new Problems()
                .notNull("readers", readers)
                .check(sequenceNumber >= 0, "sequence number must not be negative")
                .throwIfAny();
        readers = Ordered.copyOf(readers, ORDER);
    }

    /**
     * A registered reader.
     *
     * @param readerId the reader
     * @param name the name given at registration
     * @param registeredAt when the reader (last) registered
     */
    public record Reader(ReaderId readerId, String name, Instant registeredAt) {
        /** Requires every field. */
        public Reader {
            new Problems()
                    .notNull("reader id", readerId)
                    .notNull("name", name)
                    .notNull("registeredAt", registeredAt)
                    .throwIfAny();
        }
    }
}
