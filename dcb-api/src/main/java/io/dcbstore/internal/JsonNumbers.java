package io.dcbstore.internal;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * JSON numbers as PostgreSQL's {@code numeric} (and so {@code jsonb}) takes them: the range it
 * accepts, checked on the number as written, and one canonical text for numbers it holds as
 * equal. Not part of the API.
 */
final class JsonNumbers {
    /** PostgreSQL's numeric holds up to 131072 digits before the point and 16383 after. */
    private static final int MAX_DIGITS_BEFORE_POINT = 131_072;

    private static final int MAX_DIGITS_AFTER_POINT = 16_383;

    /** PostgreSQL's numeric input refuses a written exponent beyond this, whatever the digits. */
    private static final int MAX_EXPONENT = Integer.MAX_VALUE / 2;

    private JsonNumbers() {}

    /**
     * The range check of {@link #canonical} without building the canonical text, where only the
     * check is needed.
     */
    static void checkRange(String what, BigDecimal number) {
        boolean clearlyInRange = number.scale() <= MAX_DIGITS_AFTER_POINT
                && number.scale() >= -MAX_EXPONENT
                && (long) number.precision() - number.scale() <= MAX_DIGITS_BEFORE_POINT;
        if (!clearlyInRange) {
            canonicalIn(what, number);
        }
    }

    /** {@link #canonical}, its error naming the input. */
    static String canonicalIn(String what, BigDecimal number) {
        try {
            return canonical(number);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " contains " + e.getMessage());
        }
    }

    /**
     * Reads the number the parser is on, refusing what PostgreSQL's numeric refuses for its
     * exponent alone: beyond what a {@link BigDecimal} holds, or on a zero.
     *
     * @param what names the input in error messages
     * @param parser the parser, on a number
     * @return the number
     * @throws IOException from the parser
     */
    static BigDecimal read(String what, JsonParser parser) throws IOException {
        BigDecimal number;
        try {
            number = parser.getDecimalValue();
        } catch (NumberFormatException beyondBigDecimal) {
            // Jackson has checked the syntax; only an exponent beyond an int's range gets here.
            IllegalArgumentException refused = outOfRangeIn(what);
            refused.initCause(beyondBigDecimal);
            throw refused;
        }
        checkWrittenExponent(what, number, parser);
        return number;
    }

    /**
     * PostgreSQL refuses an exponent written beyond {@link #MAX_EXPONENT} even on a zero, which
     * {@link #canonical} would take; a zero's scale does not tell the exponent as written
     * ({@code 0.00e5} has scale -3), so the text is read, for such zeros only.
     *
     * @param what names the input in error messages
     * @param number the number the parser is on
     * @param parser the parser, on the number
     */
    private static void checkWrittenExponent(String what, BigDecimal number, JsonParser parser) throws IOException {
        if (number.signum() != 0 || number.scale() >= -MAX_DIGITS_BEFORE_POINT) {
            return;
        }
        String text = parser.getText();
        int marker = Math.max(text.indexOf('e'), text.indexOf('E'));
        long exponent = 0;
        for (int i = marker + 1; marker >= 0 && i < text.length() && exponent <= MAX_EXPONENT; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                exponent = exponent * 10 + (c - '0');
            }
        }
        if (exponent > MAX_EXPONENT) {
            throw outOfRangeIn(what);
        }
    }

    /**
     * @param number a number
     * @return the number without trailing zeros, in plain notation
     * @throws IllegalArgumentException for numbers PostgreSQL's numeric refuses as written, before
     *         building a huge string for them: more than 131,072 digits before the point, more than
     *         16,383 after it (trailing zeros count: PostgreSQL keeps the scale as written, so
     *         {@code 1.000e-16381} is refused although {@code 1e-16381} is not), or, as
     *         {@link BigDecimal#toString()} writes it, an exponent beyond 1,073,741,823 (even on zero)
     */
    static String canonical(BigDecimal number) {
        if (number.scale() > MAX_DIGITS_AFTER_POINT || number.scale() < -MAX_EXPONENT) {
            throw outOfRange();
        }
        if (number.signum() == 0) {
            return "0";
        }
        // Digits before the point do not change when trailing zeros go; check them first, so
        // that a number far out of range is refused before any work that grows with its length.
        long digitsBeforePoint = (long) number.precision() - number.scale();
        if (digitsBeforePoint > MAX_DIGITS_BEFORE_POINT) {
            throw outOfRange();
        }
        // stripTrailingZeros() divides by ten once per zero (quadratic in the length on JDK 17);
        // stripping the decimal digits as text is linear.
        String digits = number.unscaledValue().abs().toString();
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        long scale = (long) number.scale() - (digits.length() - end);
        digits = digits.substring(0, end);
        StringBuilder plain = new StringBuilder(digits.length() + (int) Math.abs(Math.min(scale, 0)) + 3);
        if (number.signum() < 0) {
            plain.append('-');
        }
        if (scale <= 0) {
            plain.append(digits).append("0".repeat((int) -scale));
        } else if (scale >= digits.length()) {
            plain.append("0.")
                    .append("0".repeat((int) (scale - digits.length())))
                    .append(digits);
        } else {
            int point = digits.length() - (int) scale;
            plain.append(digits, 0, point).append('.').append(digits, point, digits.length());
        }
        return plain.toString();
    }

    /**
     * One {@link BigDecimal} for every spelling of a number: no trailing zeros after the point, and
     * none written as an exponent before it ({@code 1.50} is {@code 1.5}; {@code 1E+2} and
     * {@code 100.0} are {@code 100}; every zero is {@code 0}). Equal numbers give equal results.
     * Call on a number {@link #canonical} accepts: only then is the plain number bounded.
     *
     * @param number a number in PostgreSQL's range
     * @return the same number, scale at least 0 and as small as the value allows
     */
    static BigDecimal normalized(BigDecimal number) {
        if (number.signum() == 0) {
            return BigDecimal.ZERO;
        }
        if (number.scale() <= 0) {
            return number.setScale(0, RoundingMode.UNNECESSARY);
        }
        // Only zeros after the point go, at most 16,383 of them, with one division (stripTrailingZeros
        // divides once per zero).
        String digits = number.unscaledValue().toString();
        int zeros = 0;
        while (zeros < number.scale() && digits.charAt(digits.length() - 1 - zeros) == '0') {
            zeros++;
        }
        return number.setScale(number.scale() - zeros, RoundingMode.UNNECESSARY);
    }

    private static IllegalArgumentException outOfRangeIn(String what) {
        return new IllegalArgumentException(what + " contains " + outOfRange().getMessage());
    }

    private static IllegalArgumentException outOfRange() {
        return new IllegalArgumentException("a number out of PostgreSQL's numeric range (at most "
                + MAX_DIGITS_BEFORE_POINT + " digits before and " + MAX_DIGITS_AFTER_POINT
                + " after the point as written, and an exponent of at most " + MAX_EXPONENT + ")");
    }
}
