package io.dcbstore.library.internal;

import static io.dcbstore.PayloadPredicate.eq;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.library.BooksLentByReader.Book;
import io.dcbstore.library.LibraryEvent;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.PayloadKeys;
import io.dcbstore.library.ReaderId;
import io.dcbstore.library.RecordedLibraryEvent;
import java.util.Map;

/**
 * The copies one reader has on loan, by book id. Uses no store snapshots: it reads only the
 * reader's own events (see {@link Projection#usesStoreSnapshots()}); the memory cache keeps it.
 */
public final class BooksLentByReaderProjection extends KeyedProjection<Book> {
    private final ReaderId readerId;

    /** @param readerId the reader */
    public BooksLentByReaderProjection(ReaderId readerId) {
        super(
                "library.BooksLentByReader.v1",
                Filter.anyOf(FilterItem.types(BookCopyLentToReader.TYPE, BookCopyReturnedByReader.TYPE)
                        .allOf(eq(PayloadKeys.READER_ID, readerId.value()))),
                new TypeReference<>() {});
        this.readerId = readerId;
    }

    @Override
    public boolean usesStoreSnapshots() {
        return false;
    }

    @Override
    protected void apply(Map<String, Book> books, RecordedLibraryEvent recorded) {
        LibraryEvent event = recorded.event();
        if (event instanceof BookCopyLentToReader lent && lent.readerId().equals(readerId)) {
            books.put(lent.bookId().value(), new Book(lent.bookId(), recorded.occurredAt()));
        } else if (event instanceof BookCopyReturnedByReader returned
                && returned.readerId().equals(readerId)) {
            books.remove(returned.bookId().value());
        }
    }
}
