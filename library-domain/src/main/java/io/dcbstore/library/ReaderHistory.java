package io.dcbstore.library;

import static io.dcbstore.PayloadPredicate.eq;

import io.dcbstore.FilterItem;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.LibraryEvent.ReaderContractCanceled;
import io.dcbstore.library.LibraryEvent.ReaderRegistered;
import io.dcbstore.library.internal.EntityStory;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the commands know about one reader from its events: the fold that {@link RegisterReader},
 * {@link CancelReaderContract} and {@link LendBookCopyToReader} share. Events of other readers are
 * ignored, so it can fold a boundary that spans several entities.
 *
 * @param everRegistered whether the reader ever registered
 * @param registered whether the reader's contract is current
 * @param loans the copies the reader has on loan
 */
record ReaderHistory(boolean everRegistered, boolean registered, Set<BookId> loans) {
    /** Keeps an unmodifiable copy of the loans. */
    ReaderHistory {
        loans = Set.copyOf(loans);
    }

    /**
     * @param readerId the reader
     * @return the reader's whole story: registered, canceled, lent and returned
     */
    static FilterItem wholeStory(ReaderId readerId) {
        return EntityStory.READER.item(readerId.value());
    }

    /**
     * @param readerId the reader
     * @return whether the contract is current: the registered and canceled events
     */
    static FilterItem contract(ReaderId readerId) {
        return FilterItem.types(ReaderRegistered.TYPE, ReaderContractCanceled.TYPE)
                .allOf(eq(PayloadKeys.READER_ID, readerId.value()));
    }

    /**
     * @param readerId the reader
     * @param history events in log order, of any entities
     * @return the reader's state after them
     */
    static ReaderHistory of(ReaderId readerId, List<LibraryEvent> history) {
        boolean everRegistered = false;
        boolean registered = false;
        Set<BookId> loans = new HashSet<>();
        for (LibraryEvent event : history) {
            if (event instanceof ReaderRegistered registeredEvent
                    && registeredEvent.readerId().equals(readerId)) {
                everRegistered = true;
                registered = true;
            } else if (event instanceof ReaderContractCanceled canceled
                    && canceled.readerId().equals(readerId)) {
                registered = false;
            } else if (event instanceof BookCopyLentToReader lent
                    && lent.readerId().equals(readerId)) {
                loans.add(lent.bookId());
            } else if (event instanceof BookCopyReturnedByReader returned
                    && returned.readerId().equals(readerId)) {
                loans.remove(returned.bookId());
            }
        }
        return new ReaderHistory(everRegistered, registered, loans);
    }
}
