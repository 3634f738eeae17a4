package io.dcbstore.library.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.library.BooksLentByReader.Book;
import io.dcbstore.library.LibraryEvent;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.RecordedLibraryEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every reader's loans, by reader id: the shared form of {@link BooksLentByReaderProjection},
 * which answers a reader's loans under bounded staleness without a read of that reader's events
 * (see {@code QuerySettings#maxStaleness}). Reads the same events as the lent-out projection.
 */
public final class LoansByReaderProjection extends KeyedProjection<LoansByReaderProjection.Loans> {
    /**
     * One reader's copies on loan, in the order they were lent.
     *
     * @param books the copies; never empty in a state
     */
    public record Loans(List<Book> books) {
        /** Copies the list. */
        public Loans {
            books = List.copyOf(books);
        }
    }

    /** Creates the projection. */
    public LoansByReaderProjection() {
        super(
                "library.LoansByReader.v1",
                Filter.anyOf(FilterItem.types(BookCopyLentToReader.TYPE, BookCopyReturnedByReader.TYPE)),
                new TypeReference<>() {});
    }

    @Override
    protected void apply(Map<String, Loans> readers, RecordedLibraryEvent recorded) {
        LibraryEvent event = recorded.event();
        if (event instanceof BookCopyLentToReader lent) {
            Loans loans = readers.get(lent.readerId().value());
            List<Book> books = new ArrayList<>(loans == null ? List.of() : loans.books());
            books.removeIf(book -> book.bookId().equals(lent.bookId()));
            books.add(new Book(lent.bookId(), recorded.occurredAt()));
            readers.put(lent.readerId().value(), new Loans(books));
        } else if (event instanceof BookCopyReturnedByReader returned) {
            Loans loans = readers.get(returned.readerId().value());
            if (loans == null) {
                return;
            }
            List<Book> books = new ArrayList<>(loans.books());
            books.removeIf(book -> book.bookId().equals(returned.bookId()));
            if (books.isEmpty()) {
                readers.remove(returned.readerId().value());
            } else {
                readers.put(returned.readerId().value(), new Loans(books));
            }
        }
    }
}
