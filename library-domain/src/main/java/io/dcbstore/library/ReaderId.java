package io.dcbstore.library;

import io.dcbstore.library.internal.Problems;
import java.util.UUID;

/**
 * Identifies a reader (the payload key {@code ReaderID}).
 *
 * @param value the identifier: not blank, at most 500 characters, no NUL character
 */
public record ReaderId(String value) {
    /** Validates the identifier; throws {@link InvalidLibraryInputException}. */
    public ReaderId {
        new Problems().text("reader id", value).throwIfAny();
    }

    /**
     * @param value the identifier
     * @return the reader id
     */
    public static ReaderId of(String value) {
        return new ReaderId(value);
    }

    /** @return a new random reader id (a UUID) */
    public static ReaderId random() {
        return new ReaderId(UUID.randomUUID().toString());
    }

    /** @return the identifier itself */
    @Override
    public String toString() {
        return value;
    }
}
