package io.dcbstore.library;

import static io.dcbstore.PayloadPredicate.eq;

import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.LibraryEvent.CancelingReaderContractFailed;
import io.dcbstore.library.LibraryEvent.ReaderContractCanceled;
import io.dcbstore.library.LibraryEvent.ReaderRegistered;
import io.dcbstore.library.internal.Problems;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Cancels a reader's contract; the reader may no longer borrow books.
 *
 * <p>Rules: a reader who never registered has no contract to cancel
 * ({@link FailureReason#READER_NEVER_REGISTERED}); a canceled contract is not canceled again
 * (idempotent); a reader with books on loan keeps the contract
 * ({@link FailureReason#READER_HAS_OUTSTANDING_LOANS}).
 *
 * @param readerId the reader
 */
public record CancelReaderContract(ReaderId readerId) implements LibraryCommand {
    /** Requires the reader id; throws {@link InvalidLibraryInputException}. */
    public CancelReaderContract {
        new Problems().notNull("reader id", readerId).throwIfAny();
    }

    /** @return the reader's registered, canceled, lent and returned events */
    @Override
    public Filter boundary() {
        return Filter.anyOf(FilterItem.types(ReaderRegistered.TYPE, ReaderContractCanceled.TYPE,
                BookCopyLentToReader.TYPE, BookCopyReturnedByReader.TYPE).allOf(eq(PayloadKeys.READER_ID, readerId.value())));
    }

    @Override
    public Decision decide(List<LibraryEvent> history) {
        State state = State.of(readerId, history);
        if (!state.everRegistered) {
            return fail(FailureReason.READER_NEVER_REGISTERED);
        }
        if (!state.registered) {
            return Decision.idempotent("reader's contract is already canceled");
        }
        if (!state.booksOnLoan.isEmpty()) {
            return fail(FailureReason.READER_HAS_OUTSTANDING_LOANS);
        }
        return Decision.append(new ReaderContractCanceled(readerId));
    }

    private Decision fail(FailureReason reason) {
        return Decision.businessFailure(reason, new CancelingReaderContractFailed(readerId, reason.description()));
    }

    /** What the decision needs to know about the reader. */
    private static final class State {
        private final Set<BookId> booksOnLoan = new HashSet<>();
        private boolean everRegistered;
        private boolean registered;

        static State of(ReaderId readerId, List<LibraryEvent> history) {
            State state = new State();
            for (LibraryEvent event : history) {
                if (event instanceof ReaderRegistered registeredEvent && registeredEvent.readerId().equals(readerId)) {
                    state.everRegistered = true;
                    state.registered = true;
                } else if (event instanceof ReaderContractCanceled canceled && canceled.readerId().equals(readerId)) {
                    state.registered = false;
                } else if (event instanceof BookCopyLentToReader lent && lent.readerId().equals(readerId)) {
                    state.booksOnLoan.add(lent.bookId());
                } else if (event instanceof BookCopyReturnedByReader returned && returned.readerId().equals(readerId)) {
                    state.booksOnLoan.remove(returned.bookId());
                }
            }
            return state;
        }
    }
}
