package io.dcbstore.library;

import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyRemovedFromCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.LibraryEvent.ReaderContractCanceled;
import io.dcbstore.library.LibraryEvent.ReaderRegistered;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/** Ids, book details and event factories that make test histories read like sentences. */
final class LibraryFixtures {
    static final BookId BOOK = BookId.of("book-1");
    static final BookId OTHER_BOOK = BookId.of("book-2");
    static final ReaderId READER = ReaderId.of("reader-1");
    static final ReaderId OTHER_READER = ReaderId.of("reader-2");
    static final BookDetails DETAILS = new BookDetails(
            "978-0-13-468599-1",
            "The Pragmatic Programmer",
            "David Thomas, Andrew Hunt",
            "2nd",
            "Addison-Wesley",
            2019);

    private LibraryFixtures() {}

    static BookCopyAddedToCirculation added(BookId book) {
        return new BookCopyAddedToCirculation(book, DETAILS);
    }

    static BookCopyRemovedFromCirculation removed(BookId book) {
        return new BookCopyRemovedFromCirculation(book);
    }

    static ReaderRegistered registered(ReaderId reader) {
        return new ReaderRegistered(reader, "Reader " + reader.value());
    }

    static ReaderContractCanceled canceled(ReaderId reader) {
        return new ReaderContractCanceled(reader);
    }

    static BookCopyLentToReader lent(BookId book, ReaderId reader) {
        return new BookCopyLentToReader(book, reader);
    }

    static BookCopyReturnedByReader returned(BookId book, ReaderId reader) {
        return new BookCopyReturnedByReader(book, reader);
    }

    /** @return {@code count} distinct book ids other than {@link #BOOK} and {@link #OTHER_BOOK} */
    static List<BookId> books(int count) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(index -> BookId.of("stack-book-" + index))
                .toList();
    }

    /** @return events that add each book and lend it to the reader */
    static List<LibraryEvent> addedAndLent(List<BookId> books, ReaderId reader) {
        List<LibraryEvent> events = new ArrayList<>();
        for (BookId book : books) {
            events.add(added(book));
            events.add(lent(book, reader));
        }
        return events;
    }

    /** @return the events, in order, as one history */
    static List<LibraryEvent> history(Object... eventsOrLists) {
        List<LibraryEvent> history = new ArrayList<>();
        for (Object item : eventsOrLists) {
            if (item instanceof LibraryEvent event) {
                history.add(event);
            } else if (item instanceof List<?> list) {
                list.forEach(element -> history.add((LibraryEvent) element));
            } else {
                throw new IllegalArgumentException("not an event or a list of events: " + Arrays.asList(item));
            }
        }
        return List.copyOf(history);
    }
}
