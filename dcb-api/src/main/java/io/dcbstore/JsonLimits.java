package io.dcbstore;

import java.util.ArrayList;
import java.util.List;

/**
 * Limits on the shape of a JSON payload or metadata document, beyond its size. An event over a
 * limit is refused before any SQL with an {@link InvalidInputException} that names the limit.
 *
 * <p>{@link #POSTGRESQL} is what PostgreSQL's {@code jsonb} itself accepts, and what
 * {@link Event} checks, so that no event the database could store is refused by this library's
 * JSON parser (whose own defaults are far lower: 1,000 levels, numbers of 1,000 characters, keys
 * of 50,000). A store may set lower limits ({@code PostgresStoreConfig.withJsonLimits}); the size
 * limit ({@code maxPayloadBytes}) applies in any case.
 *
 * @param maxNestingDepth deepest nesting of objects and arrays, the outer object counting as 1
 * @param maxNumberLength longest number, in characters as written
 * @param maxKeyLength longest key, in characters
 */
public record JsonLimits(int maxNestingDepth, int maxNumberLength, int maxKeyLength) {
    /**
     * What PostgreSQL's {@code jsonb} accepts, measured on the embedded PostgreSQL 17 with its
     * default {@code max_stack_depth} of 2MB: nesting of arrays and objects worked up to about
     * 16,300 levels (deeper: "stack depth limit exceeded"; the limit moves with that setting), so
     * 10,000 here; numbers of up to 131,072 digits before and 16,383 after the decimal point (the
     * {@code numeric} range, checked separately) fit in 150,000 characters however they are
     * written; keys of 10 MB worked (a {@code jsonb} entry holds up to 255 MB).
     */
    public static final JsonLimits POSTGRESQL = new JsonLimits(10_000, 150_000, 255 * 1024 * 1024);

    /**
     * Checks each limit is positive, reporting every problem together.
     *
     * @param maxNestingDepth deepest nesting of objects and arrays, the outer object counting as 1
     * @param maxNumberLength longest number, in characters as written
     * @param maxKeyLength longest key, in characters
     */
    public JsonLimits {
        List<String> problems = new ArrayList<>();
        check(problems, "maxNestingDepth", maxNestingDepth, POSTGRESQL_NESTING);
        check(problems, "maxNumberLength", maxNumberLength, POSTGRESQL_NUMBER);
        check(problems, "maxKeyLength", maxKeyLength, POSTGRESQL_KEY);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    private static final int POSTGRESQL_NESTING = 10_000;
    private static final int POSTGRESQL_NUMBER = 150_000;
    private static final int POSTGRESQL_KEY = 255 * 1024 * 1024;

    private static void check(List<String> problems, String name, int value, int ceiling) {
        if (value < 1 || value > ceiling) {
            problems.add("JSON limit " + name + " must be between 1 and " + ceiling + " (what PostgreSQL accepts), got "
                    + value);
        }
    }
}
