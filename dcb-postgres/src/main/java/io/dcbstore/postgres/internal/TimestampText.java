package io.dcbstore.postgres.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * An instant as text PostgreSQL's {@code timestamptz} input reads, over the whole range the API
 * accepts: {@link Instant#toString()} for years 1 to 9999, and otherwise the year without a sign
 * ({@code 294276-12-31 ...}) or with {@code BC} ({@code 4714-11-24 ... BC}), which PostgreSQL
 * reads where it refuses {@code +294276-...} and {@code -4713-...}.
 */
final class TimestampText {
    private TimestampText() {}

    /**
     * @param instant an instant in the range of {@code timestamptz}
     * @return the instant, truncated to microseconds, as PostgreSQL text
     */
    static String of(Instant instant) {
        Instant kept = instant.truncatedTo(ChronoUnit.MICROS);
        LocalDateTime utc = LocalDateTime.ofInstant(kept, ZoneOffset.UTC);
        int year = utc.getYear();
        if (year >= 1 && year <= 9999) {
            return kept.toString();
        }
        return String.format(
                Locale.ROOT,
                "%04d-%02d-%02d %02d:%02d:%02d.%06d+00%s",
                year >= 1 ? year : 1 - year,
                utc.getMonthValue(),
                utc.getDayOfMonth(),
                utc.getHour(),
                utc.getMinute(),
                utc.getSecond(),
                utc.getNano() / 1_000,
                year >= 1 ? "" : " BC");
    }
}
