package io.dcbstore.library.internal;

import io.dcbstore.library.InvalidLibraryInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every validation problem of a value, so that one exception reports all of them.
 * Used by the compact constructors of the domain's records.
 */
public final class Problems {
    /** The longest identifier or text field accepted (payload predicates compare it literally). */
    public static final int MAX_TEXT_LENGTH = 500;

    private final List<String> found = new ArrayList<>();

    /**
     * Requires a value to be present.
     *
     * @param name the field, as the caller knows it
     * @param value the value
     * @return this, for chaining
     */
    public Problems notNull(String name, Object value) {
        if (value == null) {
            found.add(name + " must not be null");
        }
        return this;
    }

    /**
     * Requires text that is present, not blank, at most {@link #MAX_TEXT_LENGTH} characters and
     * without NUL characters (PostgreSQL cannot store them in JSON).
     *
     * @param name the field, as the caller knows it
     * @param value the text
     * @return this, for chaining
     */
    public Problems text(String name, String value) {
        if (value == null || value.isBlank()) {
            found.add(name + " must not be null or blank");
        } else {
            checkContent(name, value);
        }
        return this;
    }

    /**
     * Like {@link #text} but accepts the empty or blank string.
     *
     * @param name the field, as the caller knows it
     * @param value the text
     * @return this, for chaining
     */
    public Problems optionalText(String name, String value) {
        if (value == null) {
            found.add(name + " must not be null (use the empty string when unknown)");
        } else {
            checkContent(name, value);
        }
        return this;
    }

    /**
     * Records a problem when a condition does not hold.
     *
     * @param holds the condition
     * @param problem the sentence describing the problem
     * @return this, for chaining
     */
    public Problems check(boolean holds, String problem) {
        if (!holds) {
            found.add(problem);
        }
        return this;
    }

    /** @throws InvalidLibraryInputException listing every problem found, if any */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new InvalidLibraryInputException(found);
        }
    }

    private void checkContent(String name, String value) {
        if (value.length() > MAX_TEXT_LENGTH) {
            found.add(name + " must have at most " + MAX_TEXT_LENGTH + " characters, got " + value.length());
        }
        if (value.indexOf('\0') >= 0) {
            found.add(name + " must not contain a NUL character");
        }
    }
}
