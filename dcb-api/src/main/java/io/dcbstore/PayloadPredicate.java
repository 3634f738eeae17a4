package io.dcbstore;

import io.dcbstore.internal.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code key = value} on a top-level field of the payload, matched like PostgreSQL's
 * {@code payload @> {"key": value}}: a string, a number (1 equals 1.0) or a boolean. Keys and
 * values are matched literally, whatever characters they contain.
 *
 * @param key the top-level payload field; not empty
 * @param value a {@link String}, {@link Number} or {@link Boolean}; not null
 */
public record PayloadPredicate(String key, Object value) implements Comparable<PayloadPredicate> {
    /**
     * Validates key and value; normalises numbers to one {@link BigDecimal} per value (no trailing
     * zeros after the point, scale at least 0), so that predicates on equal numbers are equal:
     * {@code eq("n", 1)}, {@code eq("n", 1.0)} and {@code eq("n", new BigDecimal("1.00"))} are one predicate.
     *
     * @param key the top-level payload field; not empty
     * @param value a {@link String}, {@link Number} or {@link Boolean}; not null
     */
    public PayloadPredicate {
        List<String> problems = new ArrayList<>();
        String shown = key == null ? "null" : Event.printable(key);
        if (key == null || key.isEmpty()) {
            problems.add("payload predicate key must not be null or empty");
        } else if (key.indexOf('\0') >= 0 || Json.hasLoneSurrogate(key)) {
            problems.add("payload predicate key must not contain a NUL character or an unpaired surrogate");
        }
        if (value == null) {
            problems.add("payload predicate '" + shown + "' must not have a null value");
        } else if (value instanceof String text) {
            if (text.indexOf('\0') >= 0 || Json.hasLoneSurrogate(text)) {
                problems.add("payload predicate '" + shown
                        + "' value must not contain a NUL character or an unpaired surrogate");
            }
        } else if (value instanceof Number number) {
            try {
                BigDecimal decimal = toDecimal(shown, number);
                Json.canonicalNumber(decimal);
                value = Json.normalizedNumber(decimal);
            } catch (InvalidInputException e) {
                problems.addAll(e.problems());
            } catch (IllegalArgumentException e) {
                problems.add("payload predicate '" + shown + "': " + e.getMessage());
            }
        } else if (!(value instanceof Boolean)) {
            problems.add("payload predicate '" + shown + "' value must be a String, Number or Boolean, got "
                    + value.getClass().getName());
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    /**
     * @param key the top-level payload field
     * @param value a string, number or boolean
     * @return the predicate {@code key = value}
     */
    public static PayloadPredicate eq(String key, Object value) {
        return new PayloadPredicate(key, value);
    }

    /** @return a canonical text of key and value, equal for predicates that match the same events */
    public String canonical() {
        return key + "\u0000" + Json.canonicalScalar(Json.scalarNode(value));
    }

    @Override
    public int compareTo(PayloadPredicate other) {
        return canonical().compareTo(other.canonical());
    }

    private static BigDecimal toDecimal(String key, Number number) {
        if (number instanceof BigDecimal decimal) {
            return decimal;
        }
        if (number instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        if (number instanceof Double || number instanceof Float) {
            double d = number.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new InvalidInputException(
                        "payload predicate '" + Event.printable(key) + "' value must be a finite number");
            }
            return BigDecimal.valueOf(d);
        }
        return BigDecimal.valueOf(number.longValue());
    }
}
