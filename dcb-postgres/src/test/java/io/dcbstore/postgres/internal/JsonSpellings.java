package io.dcbstore.postgres.internal;

import java.math.BigDecimal;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generated JSON text in the many spellings JSON allows for one value: strings with every kind of
 * escape (short, {@code \}{@code u} in either case, surrogate pairs) or none, numbers with and
 * without fraction, trailing zeros, exponents in every form, negative zero, and numbers at the edges
 * of PostgreSQL's {@code numeric} range; payloads with repeated keys, nesting and odd white space.
 */
final class JsonSpellings {
    private JsonSpellings() {}

    /** Characters of generated strings; NUL and unpaired surrogates only with {@code invalid}. */
    private static final List<String> CHARACTERS = List.of(
            "a",
            "b",
            " ",
            "\"",
            "\\",
            "/",
            "\n",
            "\t",
            "\u0001",
            "\u001f",
            "é",
            "e\u0301",
            "日",
            "\uD83D\uDE00",
            "\u2028",
            "\uFFFF",
            "\uDBFF\uDFFF");

    /** Keys payloads and predicates share, so that they meet often. */
    static final List<String> KEYS = List.of("k", "é", "a\"b", "\uD83D\uDE00", "x\\y");

    /** Numbers payloads and predicates share, written in many ways. */
    static final List<BigDecimal> NUMBERS = List.of(
            new BigDecimal("0"),
            new BigDecimal("1"),
            new BigDecimal("-1"),
            new BigDecimal("10"),
            new BigDecimal("0.1"),
            new BigDecimal("2.5"),
            new BigDecimal("-2.5"),
            new BigDecimal("1E+20"),
            new BigDecimal("1E-20"),
            new BigDecimal("123456789012345678901234567890"),
            new BigDecimal("1E+300"),
            new BigDecimal("1E-300"),
            new BigDecimal("9.999E+1000"));

    /**
     * Numbers at and beyond the edges of {@code numeric}: 131,072 digits before the point and
     * 16,383 after it (trailing zeros count in PostgreSQL, as written), and exponents far beyond.
     */
    static final List<String> EDGE_NUMBERS = List.of(
            "1e131071",
            "9.9e131071",
            "1e131072",
            "1e-16383",
            "1.0e-16383",
            "1e-16384",
            "1.000e-16381",
            "0e-16383",
            "0e-16384",
            "0.0e999999999",
            "0e1073741823",
            "0e1073741824",
            "0.00e1073741824",
            "0e-999999999",
            "1e999999999",
            "-1e999999999",
            "1e-999999999",
            "1e+1000000000000");

    /** @return a string as a pair of its JSON spelling and its value */
    static Arbitrary<Spelled<String>> strings(boolean invalid) {
        Arbitrary<Spelled<String>> character = Arbitraries.of(CHARACTERS).flatMap(JsonSpellings::spellings);
        if (invalid) {
            character = Arbitraries.frequencyOf(
                    Tuple.of(20, character),
                    Tuple.of(
                            1,
                            Arbitraries.of(
                                    new Spelled<>("\\u0000", "\0"),
                                    new Spelled<>("\\ud83d", "\uD83D"),
                                    new Spelled<>("\\uDE00", "\uDE00"),
                                    new Spelled<>("\\ud83d\\u0041", "\uD83DA"))));
        }
        return character.list().ofMaxSize(3).map(parts -> {
            StringBuilder text = new StringBuilder("\"");
            StringBuilder value = new StringBuilder();
            for (Spelled<String> part : parts) {
                text.append(part.text());
                value.append(part.value());
            }
            return new Spelled<>(text.append('"').toString(), value.toString());
        });
    }

    /** @return the ways one character (or surrogate pair) can be written inside a JSON string */
    private static Arbitrary<Spelled<String>> spellings(String character) {
        int first = character.charAt(0);
        String escaped =
                character.chars().mapToObj(c -> String.format("\\u%04x", c)).reduce("", String::concat);
        String upper =
                character.chars().mapToObj(c -> String.format("\\u%04X", c)).reduce("", String::concat);
        String literal = switch (character) {
            case "\"" -> "\\\"";
            case "\\" -> "\\\\";
            case "\n" -> "\\n";
            case "\t" -> "\\t";
            case "/" -> "\\/";
            default -> first < 0x20 ? escaped : character;
        };
        return Arbitraries.of(literal, escaped, upper, character.equals("/") ? "/" : literal)
                .map(text -> new Spelled<>(text, character));
    }

    /** @return a number as a pair of one of its JSON spellings and its value */
    static Arbitrary<Spelled<BigDecimal>> numbers() {
        Arbitrary<Spelled<BigDecimal>> spelled = Combinators.combine(
                        Arbitraries.of(NUMBERS),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(-4, 4),
                        Arbitraries.of("e", "E", "e+", "E+", ""),
                        Arbitraries.of(true, false))
                .as(JsonSpellings::spell);
        Arbitrary<Spelled<BigDecimal>> edge =
                Arbitraries.of(EDGE_NUMBERS).map(text -> new Spelled<BigDecimal>(text, null));
        return Arbitraries.frequencyOf(Tuple.of(30, spelled), Tuple.of(1, edge));
    }

    private static Spelled<BigDecimal> spell(
            BigDecimal value, int trailingZeros, int exponent, String marker, boolean negativeZero) {
        BigDecimal padded = value.setScale(Math.max(value.scale(), 0) + trailingZeros);
        String sign = value.signum() == 0 && negativeZero ? "-" : "";
        if (marker.isEmpty()) {
            return new Spelled<>(sign + padded.toPlainString(), value);
        }
        // The mantissa times ten to the exponent is the value; "1e+-3" is not JSON: "1e-3".
        String mantissa = sign + padded.movePointLeft(exponent).toPlainString();
        String written = exponent < 0 ? marker.charAt(0) + Integer.toString(exponent) : marker + exponent;
        return new Spelled<>(mantissa + written, value);
    }

    /** @return any JSON value: mostly scalars (with their value), sometimes null, an object or an array */
    static Arbitrary<Spelled<Object>> values(boolean invalid) {
        Arbitrary<Spelled<Object>> scalars = Arbitraries.oneOf(
                strings(invalid).map(string -> new Spelled<Object>(string.text(), string.value())),
                numbers().map(number -> new Spelled<Object>(number.text(), number.value())),
                Arbitraries.of(
                        new Spelled<Object>("true", Boolean.TRUE),
                        new Spelled<Object>("false", Boolean.FALSE),
                        new Spelled<Object>("null", null)));
        Arbitrary<Spelled<Object>> arrays = scalars.map(Spelled::text)
                .list()
                .ofMaxSize(3)
                .map(elements -> new Spelled<Object>("[" + String.join(",", elements) + "]", null));
        Arbitrary<Spelled<Object>> objects = Combinators.combine(keys(invalid), scalars)
                .as((key, value) -> key.text() + ":" + value.text())
                .list()
                .ofMaxSize(2)
                .map(fields -> new Spelled<Object>("{" + String.join(",", fields) + "}", null));
        return Arbitraries.frequencyOf(Tuple.of(8, scalars), Tuple.of(1, arrays), Tuple.of(1, objects));
    }

    /** @return a key of {@link #KEYS} in one of its spellings, or now and then another string */
    static Arbitrary<Spelled<String>> keys(boolean invalid) {
        Arbitrary<Spelled<String>> shared = Arbitraries.of(KEYS)
                .flatMap(key -> key.codePoints()
                        .mapToObj(Character::toString)
                        .map(JsonSpellings::spellings)
                        .reduce(
                                Arbitraries.just(""),
                                (left, right) ->
                                        Combinators.combine(left, right).as((a, b) -> a + b.text()),
                                (a, b) -> a)
                        .map(text -> new Spelled<>("\"" + text + "\"", key)));
        return Arbitraries.frequencyOf(Tuple.of(6, shared), Tuple.of(1, strings(invalid)));
    }

    /** @return the fields of a JSON object, with repeated keys now and then and white space anywhere */
    static Arbitrary<List<Field>> fields(boolean invalid) {
        Arbitrary<String> space = Arbitraries.of("", "", " ", "\n", "\t", "\r\n ");
        return Combinators.combine(space, keys(invalid), space, values(invalid), space)
                .as((before, key, middle, value, after) -> new Field(
                        before + key.text() + middle + ":" + value.text() + after, key.value(), value.value()))
                .list()
                .ofMaxSize(4);
    }

    /**
     * @param fields the fields
     * @return the text of the object of the fields
     */
    static String object(List<Field> fields) {
        return "{" + String.join(",", fields.stream().map(Field::text).toList()) + "}";
    }

    /** @return a JSON object's text, with repeated keys now and then and white space anywhere */
    static Arbitrary<String> payloads(boolean invalid) {
        return fields(invalid).map(JsonSpellings::object);
    }

    /**
     * One field of an object.
     *
     * @param text its JSON text, {@code "key":value}
     * @param key the key
     * @param value the value when it is a string, number or boolean, else {@code null}
     */
    record Field(String text, String key, Object value) {}

    /**
     * A value's JSON text and the value it means.
     *
     * @param text the JSON text
     * @param value the value, or {@code null} when it has no Java form here
     * @param <T> the value's type
     */
    record Spelled<T>(String text, T value) {}
}
