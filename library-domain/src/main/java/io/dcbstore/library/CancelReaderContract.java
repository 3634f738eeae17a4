package io.dcbstore.library;

import io.dcbstore.Filter;
import io.dcbstore.library.LibraryEvent.CancelingReaderContractFailed;
import io.dcbstore.library.LibraryEvent.ReaderContractCanceled;
import io.dcbstore.library.internal.Problems;
import java.util.List;

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
        return Filter.anyOf(ReaderHistory.wholeStory(readerId));
    }

    @Override
    public Decision decide(List<LibraryEvent> history) {
        ReaderHistory reader = ReaderHistory.of(readerId, history);
        if (!reader.everRegistered()) {
            return fail(FailureReason.READER_NEVER_REGISTERED);
        }
        if (!reader.registered()) {
            return Decision.idempotent("reader's contract is already canceled");
        }
        if (!reader.loans().isEmpty()) {
            return fail(FailureReason.READER_HAS_OUTSTANDING_LOANS);
        }
        return Decision.append(new ReaderContractCanceled(readerId));
    }

    private Decision fail(FailureReason reason) {
        return Decision.businessFailure(reason, new CancelingReaderContractFailed(readerId, reason.description()));
    }
}
