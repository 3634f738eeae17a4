package io.dcbstore.library;

import static io.dcbstore.library.PayloadKeys.AUTHORS;
import static io.dcbstore.library.PayloadKeys.BOOK_ID;
import static io.dcbstore.library.PayloadKeys.EDITION;
import static io.dcbstore.library.PayloadKeys.FAILURE_INFO;
import static io.dcbstore.library.PayloadKeys.ISBN;
import static io.dcbstore.library.PayloadKeys.NAME;
import static io.dcbstore.library.PayloadKeys.PUBLICATION_YEAR;
import static io.dcbstore.library.PayloadKeys.PUBLISHER;
import static io.dcbstore.library.PayloadKeys.READER_ID;
import static io.dcbstore.library.PayloadKeys.TITLE;

import io.dcbstore.library.internal.Problems;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An event of the library domain. Each event names its store event type ({@code TYPE}) and its
 * JSON payload, whose keys ({@link PayloadKeys}) follow the Go DCB reference implementation.
 *
 * <p>The {@link Failure} events record that a command was refused by a business rule. They are
 * facts for reporting, not state: no command's decision depends on them, so no boundary contains
 * them, and appending one never conflicts with a command that changes the library.
 */
public sealed interface LibraryEvent {
    /** Every library event type, state-changing events first. */
    List<String> ALL_TYPES = List.of(
            BookCopyAddedToCirculation.TYPE,
            BookCopyRemovedFromCirculation.TYPE,
            ReaderRegistered.TYPE,
            ReaderContractCanceled.TYPE,
            BookCopyLentToReader.TYPE,
            BookCopyReturnedByReader.TYPE,
            LendingBookToReaderFailed.TYPE,
            ReturningBookFromReaderFailed.TYPE,
            RemovingBookFromCirculationFailed.TYPE,
            CancelingReaderContractFailed.TYPE);

    /** @return the store event type, this event's {@code TYPE} */
    String eventType();

    /** @return the JSON payload's fields, in a stable order; values are strings and integers */
    Map<String, Object> payload();

    /** An event recording that a command was refused by a business rule. */
    sealed interface Failure extends LibraryEvent {
        /** @return why the command was refused ({@code FailureInfo}) */
        String failureInfo();
    }

    /**
     * A copy of a book was added to circulation and can be lent out.
     *
     * @param bookId the copy
     * @param details the book it is a copy of
     */
    record BookCopyAddedToCirculation(BookId bookId, BookDetails details) implements LibraryEvent {
        /** The event type. */
        public static final String TYPE = "BookCopyAddedToCirculation";

        /** Requires both fields. */
        public BookCopyAddedToCirculation {
            new Problems()
                    .notNull("book id", bookId)
                    .notNull("book details", details)
                    .throwIfAny();
        }

        @Override
        public String eventType() {
            return TYPE;
        }

        @Override
        public Map<String, Object> payload() {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put(BOOK_ID, bookId.value());
            payload.put(ISBN, details.isbn());
            payload.put(TITLE, details.title());
            payload.put(AUTHORS, details.authors());
            payload.put(EDITION, details.edition());
            payload.put(PUBLISHER, details.publisher());
            payload.put(PUBLICATION_YEAR, details.publicationYear());
            return payload;
        }
    }

    /**
     * A copy was removed from circulation; it can no longer be lent out.
     *
     * @param bookId the copy
     */
    record BookCopyRemovedFromCirculation(BookId bookId) implements LibraryEvent {
        /** The event type. */
        public static final String TYPE = "BookCopyRemovedFromCirculation";

        /** Requires the book id. */
        public BookCopyRemovedFromCirculation {
            new Problems().notNull("book id", bookId).throwIfAny();
        }

        @Override
        public String eventType() {
            return TYPE;
        }

        @Override
        public Map<String, Object> payload() {
            return Map.of(BOOK_ID, bookId.value());
        }
    }

    /**
     * A reader registered and may borrow books.
     *
     * @param readerId the reader
     * @param name the reader's name
     */
    record ReaderRegistered(ReaderId readerId, String name) implements LibraryEvent {
        /** The event type. */
        public static final String TYPE = "ReaderRegistered";

        /** Requires the reader id and a name. */
        public ReaderRegistered {
            new Problems()
                    .notNull("reader id", readerId)
                    .text("reader name", name)
                    .throwIfAny();
        }

        @Override
        public String eventType() {
            return TYPE;
        }

        @Override
        public Map<String, Object> payload() {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put(READER_ID, readerId.value());
            payload.put(NAME, name);
            return payload;
        }
    }

    /**
     * A reader's contract was canceled; the reader may no longer borrow books.
     *
     * @param readerId the reader
     */
    record ReaderContractCanceled(ReaderId readerId) implements LibraryEvent {
        /** The event type. */
        public static final String TYPE = "ReaderContractCanceled";

        /** Requires the reader id. */
        public ReaderContractCanceled {
            new Problems().notNull("reader id", readerId).throwIfAny();
        }

        @Override
        public String eventType() {
            return TYPE;
        }

        @Override
        public Map<String, Object> payload() {
            return Map.of(READER_ID, readerId.value());
        }
    }

    /**
     * A copy was lent to a reader.
     *
     * @param bookId the copy
     * @param readerId the reader
     */
    record BookCopyLentToReader(BookId bookId, ReaderId readerId) implements LibraryEvent {
        /** The event type. */
        public static final String TYPE = "BookCopyLentToReader";

        /** Requires both ids. */
        public BookCopyLentToReader {
            new Problems()
                    .notNull("book id", bookId)
                    .notNull("reader id", readerId)
                    .throwIfAny();
        }

        @Override
        public String eventType() {
            return TYPE;
        }

        @Override
        public Map<String, Object> payload() {
            return bookAndReader(bookId, readerId);
        }
    }

    /**
     * A reader returned a copy lent to them.
     *
     * @param bookId the copy
     * @param readerId the reader
     */
    record BookCopyReturnedByReader(BookId bookId, ReaderId readerId) implements LibraryEvent {
        /** The event type. */
        public static final String TYPE = "BookCopyReturnedByReader";

        /** Requires both ids. */
        public BookCopyReturnedByReader {
            new Problems()
                    .notNull("book id", bookId)
                    .notNull("reader id", readerId)
                    .throwIfAny();
        }

        @Override
        public String eventType() {
            return TYPE;
        }

        @Override
        public Map<String, Object> payload() {
            return bookAndReader(bookId, readerId);
        }
    }

    /**
     * Lending a copy to a reader was refused.
     *
     * @param bookId the copy
     * @param readerId the reader
     * @param failureInfo why
     */
    record LendingBookToReaderFailed(BookId bookId, ReaderId readerId, String failureInfo) implements Failure {
        /** The event type. */
        public static final String TYPE = "LendingBookToReaderFailed";

        /** Requires every field. */
        public LendingBookToReaderFailed {
            new Problems()
                    .notNull("book id", bookId)
                    .notNull("reader id", readerId)
                    .text("failure info", failureInfo)
                    .throwIfAny();
        }

        @Override
        public String eventType() {
            return TYPE;
        }

        @Override
        public Map<String, Object> payload() {
            Map<String, Object> payload = bookAndReader(bookId, readerId);
            payload.put(FAILURE_INFO, failureInfo);
            return payload;
        }
    }

    /**
     * Returning a copy from a reader was refused.
     *
     * @param bookId the copy
     * @param readerId the reader
     * @param failureInfo why
     */
    record ReturningBookFromReaderFailed(BookId bookId, ReaderId readerId, String failureInfo) implements Failure {
        /** The event type. */
        public static final String TYPE = "ReturningBookFromReaderFailed";

        /** Requires every field. */
        public ReturningBookFromReaderFailed {
            new Problems()
                    .notNull("book id", bookId)
                    .notNull("reader id", readerId)
                    .text("failure info", failureInfo)
                    .throwIfAny();
        }

        @Override
        public String eventType() {
            return TYPE;
        }

        @Override
        public Map<String, Object> payload() {
            Map<String, Object> payload = bookAndReader(bookId, readerId);
            payload.put(FAILURE_INFO, failureInfo);
            return payload;
        }
    }

    /**
     * Removing a copy from circulation was refused.
     *
     * @param bookId the copy
     * @param failureInfo why
     */
    record RemovingBookFromCirculationFailed(BookId bookId, String failureInfo) implements Failure {
        /** The event type. */
        public static final String TYPE = "RemovingBookFromCirculationFailed";

        /** Requires every field. */
        public RemovingBookFromCirculationFailed {
            new Problems()
                    .notNull("book id", bookId)
                    .text("failure info", failureInfo)
                    .throwIfAny();
        }

        @Override
        public String eventType() {
            return TYPE;
        }

        @Override
        public Map<String, Object> payload() {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put(BOOK_ID, bookId.value());
            payload.put(FAILURE_INFO, failureInfo);
            return payload;
        }
    }

    /**
     * Canceling a reader's contract was refused.
     *
     * @param readerId the reader
     * @param failureInfo why
     */
    record CancelingReaderContractFailed(ReaderId readerId, String failureInfo) implements Failure {
        /** The event type. */
        public static final String TYPE = "CancelingReaderContractFailed";

        /** Requires every field. */
        public CancelingReaderContractFailed {
            new Problems()
                    .notNull("reader id", readerId)
                    .text("failure info", failureInfo)
                    .throwIfAny();
        }

        @Override
        public String eventType() {
            return TYPE;
        }

        @Override
        public Map<String, Object> payload() {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put(READER_ID, readerId.value());
            payload.put(FAILURE_INFO, failureInfo);
            return payload;
        }
    }

    private static Map<String, Object> bookAndReader(BookId bookId, ReaderId readerId) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put(BOOK_ID, bookId.value());
        payload.put(READER_ID, readerId.value());
        return payload;
    }
}
