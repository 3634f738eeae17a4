package io.dcbstore;

import java.util.List;

/**
 * Input was rejected before any SQL was sent: an invalid event, filter, payload, identifier or
 * option. Nothing was written. Not retryable. Carries every problem found, not only the first.
 */
public final class InvalidInputException extends EventStoreException {
    private static final long serialVersionUID = 1L;
    /** One sentence per problem. */
    private final List<String> problems;

    /** @param problems one human-readable sentence per problem; at least one */
    public InvalidInputException(List<String> problems) {
        super("invalid input: " + String.join("; ", problems), null);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InvalidInputException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** @param problem one human-readable sentence */
    public InvalidInputException(String problem) {
        this(List.of(problem));
    }

    /** @return every problem found, in the order found */
    public List<String> problems() {
        return problems;
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
