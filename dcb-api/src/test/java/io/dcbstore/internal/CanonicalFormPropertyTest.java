package io.dcbstore.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcbstore.PayloadPredicate;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * An event's top-level field and a condition's predicate with the same key and value produce the
 * same canonical text: {@link Json#scanObject} on the payload and {@link PayloadPredicate#canonical()}.
 * The store derives its lock keys from these texts, so they must agree exactly.
 */
class CanonicalFormPropertyTest {

    private static String scannedField(ObjectNode payload) {
        return Json.scanObject("payload", Json.write(payload), true).get(0);
    }

    private static String scannedFieldWithEscapedNonAscii(ObjectNode payload) throws Exception {
        String escaped =
                Json.MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(payload);
        return Json.scanObject("payload", escaped, true).get(0);
    }

    private static String scannedRawNumber(String key, String number) {
        String json = "{" + Json.write(Json.MAPPER.getNodeFactory().textNode(key)) + ":" + number + "}";
        return Json.scanObject("payload", json, true).get(0);
    }

    @Property
    void aStringFieldAndAStringPredicateHaveTheSameCanonicalText(
            @ForAll("keys") String key, @ForAll("texts") String value) throws Exception {
        ObjectNode payload = Json.MAPPER.createObjectNode().put(key, value);
        String predicate = PayloadPredicate.eq(key, value).canonical();

        assertThat(scannedField(payload)).isEqualTo(predicate);
        assertThat(scannedFieldWithEscapedNonAscii(payload)).isEqualTo(predicate);
    }

    @Property
    void aLongFieldAndANumberPredicateHaveTheSameCanonicalTextHoweverTheNumberIsWritten(
            @ForAll("keys") String key, @ForAll long value) {
        String predicate = PayloadPredicate.eq(key, value).canonical();

        assertThat(scannedField(Json.MAPPER.createObjectNode().put(key, value))).isEqualTo(predicate);
        assertThat(scannedRawNumber(key, value + ".0")).isEqualTo(predicate);
        assertThat(scannedRawNumber(key, value + ".000e0")).isEqualTo(predicate);
        assertThat(scannedRawNumber(key, value + "E+0")).isEqualTo(predicate);
        assertThat(PayloadPredicate.eq(key, BigInteger.valueOf(value)).canonical())
                .isEqualTo(predicate);
        assertThat(PayloadPredicate.eq(key, new BigDecimal(value).setScale(3)).canonical())
                .isEqualTo(predicate);
    }

    @Property
    void anIntegerPredicateEqualsALongPredicateAndAnExactDoublePredicate(
            @ForAll("keys") String key, @ForAll int value) {
        String predicate = PayloadPredicate.eq(key, (long) value).canonical();

        assertThat(PayloadPredicate.eq(key, value).canonical()).isEqualTo(predicate);
        assertThat(PayloadPredicate.eq(key, (double) value).canonical()).isEqualTo(predicate);
    }

    @Property
    void aDoubleFieldAndADoublePredicateHaveTheSameCanonicalText(@ForAll("keys") String key, @ForAll double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return;
        }
        assertThat(scannedField(Json.MAPPER.createObjectNode().put(key, value)))
                .isEqualTo(PayloadPredicate.eq(key, value).canonical());
    }

    @Property(tries = 100)
    void aBooleanFieldAndABooleanPredicateHaveTheSameCanonicalText(@ForAll("keys") String key, @ForAll boolean value) {
        String predicate = PayloadPredicate.eq(key, value).canonical();

        assertThat(scannedField(Json.MAPPER.createObjectNode().put(key, value))).isEqualTo(predicate);
        assertThat(predicate).isEqualTo(key + "\u0000b" + value);
    }

    @Property
    void valuesOfDifferentKindsNeverShareACanonicalText(@ForAll("keys") String key, @ForAll long value) {
        String number = PayloadPredicate.eq(key, value).canonical();
        String text = PayloadPredicate.eq(key, Long.toString(value)).canonical();

        assertThat(number).isNotEqualTo(text);
        assertThat(PayloadPredicate.eq(key, true).canonical())
                .isNotEqualTo(PayloadPredicate.eq(key, "true").canonical());
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.oneOf(
                wellFormedText(1, 20),
                pieces("a", "b", "\"", "\\", "/", " ", "é", "中", "\uD83D\uDE00", "\t", "\n", "\u0001")
                        .list()
                        .ofMinSize(1)
                        .ofMaxSize(8)
                        .map(CanonicalFormPropertyTest::joined));
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                wellFormedText(0, 40),
                pieces(
                                "0",
                                "1",
                                ".",
                                "-",
                                "+",
                                "e",
                                "E",
                                " ",
                                "\"",
                                "\\",
                                "/",
                                "é",
                                "中",
                                "\uD83D\uDE00",
                                "\u0001",
                                "\u001f",
                                "\u007f",
                                "\u2028")
                        .list()
                        .ofMaxSize(10)
                        .map(CanonicalFormPropertyTest::joined));
    }

    /**
     * Any characters but NUL, surrogate pairs only whole: JSON text written by an application is
     * well-formed UTF-16, and an escaped lone surrogate is not valid JSON.
     */
    private static Arbitrary<String> wellFormedText(int minLength, int maxLength) {
        Arbitrary<String> single = Arbitraries.chars().range('\u0001', '\uD7FF').map(String::valueOf);
        Arbitrary<String> upper = Arbitraries.chars().range('\uE000', '\uFFFF').map(String::valueOf);
        Arbitrary<String> supplementary = Arbitraries.integers()
                .between(0x10000, 0x10FFFF)
                .map(codePoint -> new String(Character.toChars(codePoint)));
        return Arbitraries.oneOf(single, upper, supplementary)
                .list()
                .ofMinSize(minLength)
                .ofMaxSize(maxLength)
                .map(CanonicalFormPropertyTest::joined);
    }

    private static Arbitrary<String> pieces(String... pieces) {
        return Arbitraries.of(pieces);
    }

    private static String joined(List<String> pieces) {
        return String.join("", pieces);
    }
}
