package io.dcbstore.library.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.library.BooksLentOut.Lending;
import io.dcbstore.library.LibraryEvent;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.RecordedLibraryEvent;
import java.util.Map;

/** Every current lending, by book id. */
public final class BooksLentOutProjection extends KeyedProjection<Lending> {
    /** Creates the projection. */
    public BooksLentOutProjection() {
        super(
                "library.BooksLentOut.v1",
                Filter.anyOf(FilterItem.types(BookCopyLentToReader.TYPE, BookCopyReturnedByReader.TYPE)),
                new TypeReference<>() {});
    }

    @Override
    protected void apply(Map<String, Lending> lendings, RecordedLibraryEvent recorded) {
        LibraryEvent event = recorded.event();
        if (event instanceof BookCopyLentToReader lent) {
            lendings.put(lent.bookId().value(), new Lending(lent.bookId(), lent.readerId(), recorded.occurredAt()));
        } else if (event instanceof BookCopyReturnedByReader returned) {
            lendings.computeIfPresent(
                    returned.bookId().value(),
                    (id, lending) -> lending.readerId().equals(returned.readerId()) ? null : lending);
        }
    }
}
