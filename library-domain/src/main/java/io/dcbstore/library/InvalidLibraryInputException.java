package io.dcbstore.library;

import java.util.List;

/**
 * A command, identifier, event or setting was rejected before anything was read or written.
 * Carries every problem found, not only the first.
 */
public final class InvalidLibraryInputException extends LibraryException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    /** @param problems one human-readable sentence per problem; at least one */
    public InvalidLibraryInputException(List<String> problems) {
        super("invalid library input: " + String.join("; ", problems), null);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InvalidLibraryInputException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** @return every problem found, in the order found */
    public List<String> problems() {
        return problems;
    }
}
