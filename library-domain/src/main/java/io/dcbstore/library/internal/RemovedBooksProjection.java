package io.dcbstore.library.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.library.LibraryEvent;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyRemovedFromCirculation;
import io.dcbstore.library.RecordedLibraryEvent;
import io.dcbstore.library.RemovedBooks.Book;
import java.util.Map;

/** The copies removed from circulation and not added again, by book id. */
public final class RemovedBooksProjection extends KeyedProjection<Book> {
    /** Creates the projection. */
    public RemovedBooksProjection() {
        super(
                "library.RemovedBooks.v1",
                Filter.anyOf(FilterItem.types(BookCopyAddedToCirculation.TYPE, BookCopyRemovedFromCirculation.TYPE)),
                new TypeReference<>() {});
    }

    @Override
    protected void apply(Map<String, Book> books, RecordedLibraryEvent recorded) {
        LibraryEvent event = recorded.event();
        if (event instanceof BookCopyRemovedFromCirculation removed) {
            books.put(removed.bookId().value(), new Book(removed.bookId(), recorded.occurredAt()));
        } else if (event instanceof BookCopyAddedToCirculation added) {
            books.remove(added.bookId().value());
        }
    }
}
