package io.dcbstore.library.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.library.BooksInCirculation.Book;
import io.dcbstore.library.LibraryEvent;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyRemovedFromCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.RecordedLibraryEvent;
import java.util.Map;

/** The copies in circulation, by book id, with whether each is lent now. */
public final class BooksInCirculationProjection extends KeyedProjection<Book> {
    /** Creates the projection. */
    public BooksInCirculationProjection() {
        super(
                "library.BooksInCirculation.v1",
                Filter.anyOf(FilterItem.types(
                        BookCopyAddedToCirculation.TYPE,
                        BookCopyRemovedFromCirculation.TYPE,
                        BookCopyLentToReader.TYPE,
                        BookCopyReturnedByReader.TYPE)),
                new TypeReference<>() {});
    }

    @Override
    protected void apply(Map<String, Book> books, RecordedLibraryEvent recorded) {
        LibraryEvent event = recorded.event();
        if (event instanceof BookCopyAddedToCirculation added) {
            books.put(added.bookId().value(), new Book(added.bookId(), added.details(), recorded.occurredAt(), false));
        } else if (event instanceof BookCopyRemovedFromCirculation removed) {
            books.remove(removed.bookId().value());
        } else if (event instanceof BookCopyLentToReader lent) {
            books.computeIfPresent(lent.bookId().value(), (id, book) -> withLent(book, true));
        } else if (event instanceof BookCopyReturnedByReader returned) {
            books.computeIfPresent(returned.bookId().value(), (id, book) -> withLent(book, false));
        }
    }

    private static Book withLent(Book book, boolean lent) {
        return new Book(book.bookId(), book.details(), book.addedAt(), lent);
    }
}
