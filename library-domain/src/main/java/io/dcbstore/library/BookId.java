package io.dcbstore.library;

import io.dcbstore.library.internal.Problems;
import java.util.UUID;

/**
 * Identifies one physical copy of a book (the payload key {@code BookID}).
 *
 * @param value the identifier: not blank, at most 500 characters, no NUL character
 */
public record BookId(String value) {
    /** Validates the identifier; throws {@link InvalidLibraryInputException}. */
    public BookId {
        new Problems().text("book id", value).throwIfAny();
    }

    /**
     * @param value the identifier
     * @return the book id
     */
    public static BookId of(String value) {
        return new BookId(value);
    }

    /** @return a new random book id (a UUID) */
    public static BookId random() {
        return new BookId(UUID.randomUUID().toString());
    }

    /** @return the identifier itself */
    @Override
    public String toString() {
        return value;
    }
}
