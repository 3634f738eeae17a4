package io.dcbstore.library;

import io.dcbstore.Filter;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.LendingBookToReaderFailed;
import io.dcbstore.library.internal.Problems;
import java.util.List;

/**
 * Lends a copy to a reader. This is the example of a boundary spanning two entities: the decision
 * depends on the copy (in circulation? lent?) and on the reader (registered? how many loans?),
 * so one append condition guards both, and no lock or aggregate is needed.
 *
 * <p>Rules, checked in this order: a copy already lent to this reader is not lent again
 * (idempotent; a retried command that took effect reports so); the reader must be registered
 * ({@link FailureReason#READER_NOT_REGISTERED}); the copy must be in circulation
 * ({@link FailureReason#BOOK_NOT_IN_CIRCULATION}) and not lent to another reader
 * ({@link FailureReason#BOOK_LENT_TO_ANOTHER_READER}); the reader may hold at most
 * {@value #MAX_BOOKS_PER_READER} copies ({@link FailureReason#READER_HAS_TOO_MANY_BOOKS}).
 *
 * @param bookId the copy
 * @param readerId the reader
 */
public record LendBookCopyToReader(BookId bookId, ReaderId readerId) implements LibraryCommand {
    /** The most copies a reader may have on loan at once. */
    public static final int MAX_BOOKS_PER_READER = 10;

    /** Requires both ids; throws {@link InvalidLibraryInputException}. */
    public LendBookCopyToReader {
        new Problems().notNull("book id", bookId).notNull("reader id", readerId).throwIfAny();
    }

    /**
     * @return everything about the copy (added, removed, lent, returned) OR about the reader
     *     (registered, canceled, lent, returned)
     */
    @Override
    public Filter boundary() {
        return Filter.anyOf(BookCopyHistory.wholeStory(bookId), ReaderHistory.wholeStory(readerId));
    }

    @Override
    public Decision decide(List<LibraryEvent> history) {
        BookCopyHistory copy = BookCopyHistory.of(bookId, history);
        ReaderHistory reader = ReaderHistory.of(readerId, history);
        if (readerId.equals(copy.borrower())) {
            return Decision.idempotent("book copy is already lent to this reader");
        }
        if (!reader.registered()) {
            return fail(FailureReason.READER_NOT_REGISTERED);
        }
        if (!copy.inCirculation()) {
            return fail(FailureReason.BOOK_NOT_IN_CIRCULATION);
        }
        if (copy.borrower() != null) {
            return fail(FailureReason.BOOK_LENT_TO_ANOTHER_READER);
        }
        if (reader.loans().size() >= MAX_BOOKS_PER_READER) {
            return fail(FailureReason.READER_HAS_TOO_MANY_BOOKS);
        }
        return Decision.append(new BookCopyLentToReader(bookId, readerId));
    }

    private Decision fail(FailureReason reason) {
        return Decision.businessFailure(reason, new LendingBookToReaderFailed(bookId, readerId, reason.description()));
    }
}
