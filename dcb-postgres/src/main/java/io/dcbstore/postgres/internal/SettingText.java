package io.dcbstore.postgres.internal;

import io.dcbstore.JsonLimits;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the text of a configuration property into its value: the one place that knows how
 * durations, numbers, booleans and JSON limits are written in properties. Every method throws
 * {@link IllegalArgumentException} with a sentence that says what was expected.
 */
public final class SettingText {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Pattern LIMITS = Pattern.compile("nesting=(\\d+),number=(\\d+),key=(\\d+)");

    private SettingText() {}

    /**
     * @param text {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}, {@code 0}, or ISO-8601 ({@code PT2S})
     * @return the duration
     */
    public static Duration duration(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = DURATION.matcher(trimmed);
        if (matcher.matches()) {
            try {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("the duration '" + text + "' is out of range");
            }
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "expected a duration with a unit (500ms, 2s, 1m, 1h) or ISO-8601 (PT2S), got '" + text + "'");
        }
    }

    /**
     * @param text a whole number
     * @return the number
     */
    public static int integer(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number, got '" + text + "'");
        }
    }

    /**
     * @param text {@code true} or {@code false}
     * @return the value
     */
    public static boolean bool(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("true") || trimmed.equals("false")) {
            return Boolean.parseBoolean(trimmed);
        }
        throw new IllegalArgumentException("expected true or false, got '" + text + "'");
    }

    /**
     * @param text {@code postgresql} (what jsonb accepts) or {@code nesting=N,number=N,key=N}
     * @return the limits
     */
    public static JsonLimits jsonLimits(String text) {
        String trimmed = text.replace(" ", "").toLowerCase(Locale.ROOT);
        if (trimmed.equals("postgresql")) {
            return JsonLimits.POSTGRESQL;
        }
        Matcher matcher = LIMITS.matcher(trimmed);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "expected postgresql or nesting=N,number=N,key=N (depth, number length, key length), got '" + text
                            + "'");
        }
        return new JsonLimits(integer(matcher.group(1)), integer(matcher.group(2)), integer(matcher.group(3)));
    }

    /** An indexed payload key: it is written into the index's expression and into statements. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,19}");

    /**
     * Validates the indexed keys of a configuration.
     *
     * @param problems where each problem is added
     * @param keys the keys as given
     * @return the valid keys, sorted and distinct; empty when none were given
     */
    public static List<String> indexedKeys(List<String> problems, List<String> keys) {
        if (keys == null) {
            problems.add("indexedKeys must not be null");
            return List.of();
        }
        TreeSet<String> valid = new TreeSet<>();
        for (String key : keys) {
            if (key == null || !KEY.matcher(key).matches()) {
                problems.add("indexed key must match " + KEY.pattern() + ", got '" + key + "'");
            } else {
                valid.add(key);
            }
        }
        if (valid.size() > 8) {
            problems.add("at most 8 indexed keys (each index slows every append), got " + valid.size());
        }
        return List.copyOf(valid);
    }

    /**
     * @param text comma-separated values; blank for none
     * @return the values, trimmed
     */
    public static List<String> list(String text) {
        return text.isBlank()
                ? List.of()
                : Arrays.stream(text.split(",")).map(String::trim).toList();
    }

    /**
     * @param value a setting's value
     * @return it as a property would write it: durations in the largest whole unit ({@code 5s},
     *     {@code 200ms}), JSON limits as {@code postgresql} or {@code nesting=N,number=N,key=N}
     */
    public static String text(Object value) {
        if (value instanceof Duration duration) {
            if (duration.isZero()) {
                return "0";
            }
            if (duration.toMillis() % 3_600_000 == 0) {
                return duration.toHours() + "h";
            }
            if (duration.toMillis() % 60_000 == 0) {
                return duration.toMinutes() + "m";
            }
            return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
        }
        if (value instanceof JsonLimits limits) {
            return limits.equals(JsonLimits.POSTGRESQL)
                    ? "postgresql"
                    : "nesting=" + limits.maxNestingDepth() + ",number=" + limits.maxNumberLength() + ",key="
                            + limits.maxKeyLength();
        }
        if (value instanceof List<?> values) {
            return String.join(",", values.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    /**
     * @param camelCase a setting's name, {@code eventsTable}
     * @return the same in kebab case, {@code events-table}, as Spring-style properties write it
     */
    public static String kebab(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
