package io.dcbstore.simulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations on the command line: a number with a unit ({@code 250ms}, {@code 20s}, {@code 10m},
 * {@code 1h}, {@code 1.5s}), or a bare number in the option's own unit, so that the values people
 * wrote before units existed keep their meaning ({@code --duration 60} is 60 seconds,
 * {@code --timeout 1000} is 1,000 milliseconds).
 */
final class DurationOption {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private DurationOption() {}

    /**
     * @param text what the user wrote
     * @param bareUnit the unit of a number without one
     * @return the duration, rounded down to a whole millisecond
     * @throws TypeConversionException when the text is not a duration, saying what would be
     */
    static Duration parse(String text, ChronoUnit bareUnit) {
        Matcher matcher = DURATION.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new TypeConversionException(
                    "'" + text + "' is not a duration: write a number with a unit (ms, s, m, h),"
                            + " e.g. 250ms, 20s, 10m, 1h, or a bare number of " + unitName(bareUnit));
        }
        ChronoUnit unit = matcher.group(2) == null ? bareUnit : unitOf(matcher.group(2));
        BigDecimal millis = new BigDecimal(matcher.group(1))
                .multiply(BigDecimal.valueOf(unit.getDuration().toMillis()))
                .setScale(0, RoundingMode.DOWN);
        if (millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new TypeConversionException("'" + text + "' is too long a duration");
        }
        return Duration.ofMillis(millis.longValueExact());
    }

    private static ChronoUnit unitOf(String suffix) {
        return switch (suffix) {
            case "ms" -> ChronoUnit.MILLIS;
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            default -> ChronoUnit.HOURS;
        };
    }

    private static String unitName(ChronoUnit unit) {
        return unit == ChronoUnit.MILLIS ? "milliseconds" : unit.toString().toLowerCase(Locale.ROOT);
    }

    /** A duration whose bare numbers are seconds ({@code --duration}, {@code --warmup}). */
    static final class Seconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parse(value, ChronoUnit.SECONDS);
        }
    }

    /** A duration whose bare numbers are milliseconds ({@code --timeout}, {@code --max-p99}, {@code --max-staleness}). */
    static final class Millis implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parse(value, ChronoUnit.MILLIS);
        }
    }
}
