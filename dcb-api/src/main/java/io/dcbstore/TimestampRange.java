package io.dcbstore;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The instants PostgreSQL's {@code timestamptz} holds: from 4713 BC (Julian day 0,
 * -4713-11-24T00:00:00Z in ISO years) up to, not including, 294277-01-01T00:00:00Z. An instant
 * outside is refused here, before any SQL, as the store would refuse it with a database error.
 */
final class TimestampRange {
    /** The earliest instant a {@code timestamptz} holds. */
    static final Instant EARLIEST = Instant.parse("-4713-11-24T00:00:00Z");

    /** The first instant after the last one a {@code timestamptz} holds, in microseconds. */
    static final Instant END = Instant.parse("+294277-01-01T00:00:00Z");

    private TimestampRange() {}

    /**
     * Adds a problem when the instant, in the microseconds the store keeps, is out of range.
     *
     * @param problems where the problem goes
     * @param what names the instant in the problem
     * @param instant the instant; null is left to the caller
     */
    static void check(List<String> problems, String what, Instant instant) {
        if (instant == null) {
            return;
        }
        Instant kept = instant.truncatedTo(ChronoUnit.MICROS);
        if (kept.isBefore(EARLIEST) || !kept.isBefore(END)) {
            problems.add(what + " " + instant + " is outside the range PostgreSQL's timestamptz holds (" + EARLIEST
                    + " to " + END + ", exclusive)");
        }
    }
}
