package io.dcbstore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Json#scanObject}, {@link Json#parseObject} and the canonical scalar forms. */
class JsonTest {

    private static List<String> scalars(String json) {
        return Json.scanObject("payload", json, true);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                " { } ",
                "{\"a\":1}",
                "{\"a\":{\"b\":[1,{\"c\":null}]},\"d\":[]}",
                "\n{\"a\":\"\\u0001\"}\t"
            })
    void scanObjectAcceptsJsonObjects(String json) {
        assertThat(Json.scanObject("payload", json, false)).isEmpty();
    }

    @Test
    void scanObjectRejectsAnArrayNamingWhatItGot() {
        assertThatThrownBy(() -> Json.scanObject("payload", "[1,2]", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payload must be a JSON object, got an array");
    }

    @Test
    void scanObjectRejectsScalarsNamingWhatItGot() {
        assertThatThrownBy(() -> Json.scanObject("metadata", "\"text\"", false))
                .hasMessage("metadata must be a JSON object, got a string");
        assertThatThrownBy(() -> Json.scanObject("metadata", "42", false))
                .hasMessage("metadata must be a JSON object, got a number");
        assertThatThrownBy(() -> Json.scanObject("metadata", "4.2", false))
                .hasMessage("metadata must be a JSON object, got a number");
        assertThatThrownBy(() -> Json.scanObject("metadata", "true", false))
                .hasMessage("metadata must be a JSON object, got a boolean");
        assertThatThrownBy(() -> Json.scanObject("metadata", "null", false))
                .hasMessage("metadata must be a JSON object, got null");
    }

    @Test
    void scanObjectRejectsEmptyAndBlankText() {
        assertThatThrownBy(() -> Json.scanObject("payload", "", false))
                .hasMessage("payload must be a JSON object, got nothing");
        assertThatThrownBy(() -> Json.scanObject("payload", "  \n ", false))
                .hasMessage("payload must be a JSON object, got nothing");
    }

    @Test
    void scanObjectRejectsANullText() {
        assertThatThrownBy(() -> Json.scanObject("payload", null, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payload must not be null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}{}", "{} 1", "{} {\"a\":1}", "{\"a\":1}[]"})
    void scanObjectRejectsTrailingValuesAfterTheObject(String json) {
        assertThatThrownBy(() -> Json.scanObject("payload", json, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payload is not valid JSON: trailing content after the object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} x", "{}]", "{},"})
    void scanObjectRejectsTrailingGarbageAfterTheObject(String json) {
        assertThatThrownBy(() -> Json.scanObject("payload", json, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("payload is not valid JSON");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"a\":}",
                "{\"a\":1",
                "{'a':1}",
                "{a:1}",
                "{\"a\":1,}",
                "{\"a\":NaN}",
                "{\"a\" 1}",
                "{\"a\":\"unterminated}",
                "{\"a\":01}",
                "{\"a\":tru}"
            })
    void scanObjectRejectsInvalidJson(String json) {
        assertThatThrownBy(() -> Json.scanObject("payload", json, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("payload is not valid JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\\u0000\":1}", "{\"a\":{\"b\\u0000\":1}}", "{\"a\":[{\"b\":[{\"\\u0000\":true}]}]}"})
    void scanObjectRejectsANulCharacterInAKeyAtAnyDepth(String json) {
        assertThatThrownBy(() -> Json.scanObject("payload", json, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("payload contains a NUL character")
                .hasMessageContaining("in a key");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"{\"a\":\"x\\u0000\"}", "{\"a\":{\"b\":\"\\u0000\"}}", "{\"a\":[1,[\"ok\",\"bad\\u0000\"]]}"})
    void scanObjectRejectsANulCharacterInAStringValueAtAnyDepth(String json) {
        assertThatThrownBy(() -> Json.scanObject("payload", json, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("payload contains a NUL character")
                .hasMessageContaining("in a string value");
    }

    @Test
    void scanObjectCollectsNothingWhenNotAskedTo() {
        assertThat(Json.scanObject("payload", "{\"a\":1,\"b\":\"x\"}", false)).isEmpty();
    }

    @Test
    void scanObjectCollectsStringsWithTheirKeyANulAndAnSPrefix() {
        assertThat(scalars("{\"bookId\":\"b-1\",\"empty\":\"\"}")).containsExactly("bookId\u0000sb-1", "empty\u0000s");
    }

    @Test
    void scanObjectCollectsOneNumericFormForOneOnePointZeroAndOneEZero() {
        assertThat(scalars("{\"a\":1,\"b\":1.0,\"c\":1e0,\"d\":1.000,\"e\":10E-1,\"f\":0.1e1}"))
                .containsExactly("a\u0000n1", "b\u0000n1", "c\u0000n1", "d\u0000n1", "e\u0000n1", "f\u0000n1");
    }

    @Test
    void scanObjectWritesNumbersInPlainNotationWithoutTrailingZeros() {
        assertThat(scalars("{\"a\":1e2,\"b\":-1.50,\"c\":0.00100,\"d\":1E-7,\"e\":123456789012345678901234567890}"))
                .containsExactly(
                        "a\u0000n100",
                        "b\u0000n-1.5",
                        "c\u0000n0.001",
                        "d\u0000n0.0000001",
                        "e\u0000n123456789012345678901234567890");
    }

    @Test
    void scanObjectWritesEveryZeroAsZero() {
        assertThat(scalars("{\"a\":0,\"b\":-0,\"c\":0.0,\"d\":-0.0e5}"))
                .containsExactly("a\u0000n0", "b\u0000n0", "c\u0000n0", "d\u0000n0");
    }

    @Test
    void scanObjectCollectsBooleansAsBTrueAndBFalse() {
        assertThat(scalars("{\"yes\":true,\"no\":false}")).containsExactly("yes\u0000btrue", "no\u0000bfalse");
    }

    @Test
    void scanObjectDoesNotCollectNulls() {
        assertThat(scalars("{\"a\":null,\"b\":1}")).containsExactly("b\u0000n1");
    }

    @Test
    void scanObjectDoesNotCollectNestedObjectsArraysOrTheScalarsInsideThem() {
        assertThat(scalars("{\"o\":{\"x\":1,\"y\":\"s\"},\"l\":[1,\"s\",true,{\"z\":2}],\"after\":3}"))
                .containsExactly("after\u0000n3");
    }

    @Test
    void scanObjectUsesTheTopLevelKeyAgainAfterANestedObject() {
        assertThat(scalars("{\"first\":1,\"nested\":{\"inner\":{\"deep\":1}},\"second\":\"v\"}"))
                .containsExactly("first\u0000n1", "second\u0000sv");
    }

    @Test
    void scanObjectDecodesEscapesInKeysAndValues() {
        assertThat(scalars("{\"caf\\u00e9 \\\"q\\\"\":\"line\\nbreak \\\\ \\ud83d\\ude00\"}"))
                .containsExactly("café \"q\"\u0000sline\nbreak \\ \uD83D\uDE00");
    }

    private static final String OUT_OF_RANGE = "payload contains a number out of PostgreSQL's numeric range (at most"
            + " 131072 digits before and 16383 after the point as written, and an exponent of at most 1073741823)";

    @Test
    void scanObjectRejectsANumberWithAHugeExponentQuicklyAsPostgresqlDoes() {
        // PostgreSQL: select '{"a":1e999999999}'::jsonb fails with "value overflows numeric format".
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThatThrownBy(() -> scalars("{\"a\":1e999999999}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(OUT_OF_RANGE);
            assertThatThrownBy(() -> Json.scanObject("payload", "{\"a\":[-1E+999999999]}", false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(OUT_OF_RANGE);
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"1e131071", "9.9e131071", "1e-16383", "1.0e-16382", "0e-16383", "0e1073741823", "0.0e999999999"})
    void scanObjectAcceptsNumbersAtTheEdgesOfPostgresqlsNumericRangeAsWritten(String number) {
        assertThat(Json.scanObject("payload", "{\"a\":[" + number + "]}", false))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1e131072",
                "1e-16384",
                "1.000e-16381",
                "0e-16384",
                "0.00000e-16379",
                "0e1073741824",
                "0.00e1073741824",
                "0e-999999999",
                "1e+1000000000000",
                "0.0000000e1073741829",
                "0.0e+01073741824",
                "0.000000000e1073741830"
            })
    void scanObjectRejectsNumbersPostgresqlsNumericRefusesAsWrittenAtAnyDepth(String number) {
        // 0.0000000e1073741829 has scale -1073741822, which the numeric's range takes; only the
        // exponent as written is beyond it, and PostgreSQL refuses the number for that.
        assertThatThrownBy(() -> Json.scanObject("payload", "{\"a\":[" + number + "]}", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(OUT_OF_RANGE);
        assertThatThrownBy(() -> scalars("{\"a\":" + number + "}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(OUT_OF_RANGE);
    }

    @Test
    void canonicalNumberCountsTrailingZerosAfterThePointAsPostgresqlDoes() {
        assertThat(Json.canonicalNumber(new BigDecimal("1E-16381"))).isEqualTo("0." + "0".repeat(16_380) + "1");
        assertThatThrownBy(() -> Json.canonicalNumber(new BigDecimal("1.000E-16381")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a number out of PostgreSQL's numeric range");
        assertThatThrownBy(() -> Json.canonicalNumber(new BigDecimal(BigInteger.ZERO, -1_073_741_824)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a number out of PostgreSQL's numeric range");
    }

    @Test
    void aLoneSurrogateIsFoundWhereverItIsAndAPairIsNot() {
        assertThat(Json.hasLoneSurrogate("a\uD83D\uDE00b")).isFalse();
        assertThat(Json.hasLoneSurrogate("\uD83D\uDE00\uD83D\uDE01")).isFalse();
        assertThat(Json.hasLoneSurrogate("")).isFalse();
        assertThat(Json.hasLoneSurrogate("ab\uD83D")).isTrue();
        assertThat(Json.hasLoneSurrogate("\uD83D")).isTrue();
        assertThat(Json.hasLoneSurrogate("\uD83Dx")).isTrue();
        assertThat(Json.hasLoneSurrogate("\uD83D\uD83D\uDE00")).isTrue();
        assertThat(Json.hasLoneSurrogate("\uDE00")).isTrue();
        assertThat(Json.hasLoneSurrogate("x\uDE00\uD83D")).isTrue();
    }

    @Test
    void scanObjectRejectsAnUnpairedSurrogateInAKeyOrAStringValueAtAnyDepth() {
        // Jackson refuses an escaped lone surrogate in a key itself; one in the Java text gets here.
        assertThatThrownBy(() -> Json.scanObject("payload", "{\"a\uD83D\":1}", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payload contains an unpaired UTF-16 surrogate in a key, which has no UTF-8 form and"
                        + " would not be stored as given");
        assertThatThrownBy(() -> Json.scanObject("payload", "{\"a\":[{\"b\":\"\\ude00x\"}]}", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payload contains an unpaired UTF-16 surrogate in a string value, which has no UTF-8"
                        + " form and would not be stored as given");
        assertThat(scalars("{\"a\":\"\\ud83d\\ude00\"}")).containsExactly("a\u0000s\uD83D\uDE00");
    }

    @Test
    void parseObjectFindsANulCharacterAtTheStartOfAKeyOrAString() {
        assertThatThrownBy(() -> Json.parseObject("payload", "{\"\\u0000a\":1}"))
                .hasMessage("payload contains a NUL character (\\u0000) in a key, which PostgreSQL jsonb cannot store");
        assertThatThrownBy(() -> Json.parseObject("payload", "{\"a\":\"\\u0000\"}"))
                .hasMessage("payload contains a NUL character (\\u0000) in a string value, which PostgreSQL jsonb"
                        + " cannot store");
    }

    @Test
    void objectNodeGivesANewEmptyObjectEachTime() {
        var first = Json.objectNode();
        first.put("a", 1);

        assertThat(Json.objectNode().isEmpty()).isTrue();
        assertThat(Json.write(first)).isEqualTo("{\"a\":1}");
    }

    @Test
    void canonicalNumberTakesSixteenThousandThreeHundredAndEightyThreeDigitsAfterThePointAndNoMore() {
        assertThat(Json.canonicalNumber(new BigDecimal("1E-16383"))).isEqualTo("0." + "0".repeat(16_382) + "1");
        assertThatThrownBy(() -> Json.canonicalNumber(new BigDecimal("1E-16384")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a number out of PostgreSQL's numeric range");
    }

    @Test
    void canonicalNumberTakesAHundredAndThirtyOneThousandAndSeventyTwoDigitsBeforeThePointAndNoMore() {
        assertThat(Json.canonicalNumber(new BigDecimal("1E+131071"))).isEqualTo("1" + "0".repeat(131_071));
        assertThat(Json.canonicalNumber(new BigDecimal("-9.5E+131071"))).isEqualTo("-95" + "0".repeat(131_070));
        assertThatThrownBy(() -> Json.canonicalNumber(new BigDecimal("1E+131072")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a number out of PostgreSQL's numeric range");
    }

    @Test
    void canonicalNumberTakesAZeroWithAnExponentOfExactlyTheLargestPostgresqlReads() {
        assertThat(Json.canonicalNumber(new BigDecimal(BigInteger.ZERO, -1_073_741_823)))
                .isEqualTo("0");
    }

    @Test
    void parseObjectReturnsTheObject() {
        assertThat(Json.parseObject("payload", "{\"a\":[1],\"b\":\"x\"}")
                        .get("b")
                        .textValue())
                .isEqualTo("x");
    }

    @Test
    void parseObjectRejectsWhatScanObjectRejects() {
        assertThatThrownBy(() -> Json.parseObject("payload", "[1]"))
                .hasMessage("payload must be a JSON object, got array");
        assertThatThrownBy(() -> Json.parseObject("payload", ""))
                .hasMessageStartingWith("payload must be a JSON object, got ");
        assertThatThrownBy(() -> Json.parseObject("payload", null)).hasMessage("payload must not be null");
        assertThatThrownBy(() -> Json.parseObject("payload", "{}{}"))
                .hasMessageStartingWith("payload is not valid JSON");
        assertThatThrownBy(() -> Json.parseObject("payload", "{\"a\":[{\"b\\u0000\":1}]}"))
                .hasMessageContaining("NUL character")
                .hasMessageContaining("in a key");
        assertThatThrownBy(() -> Json.parseObject("payload", "{\"a\":[[\"\\u0000\"]]}"))
                .hasMessageContaining("NUL character")
                .hasMessageContaining("in a string value");
    }

    @Test
    void canonicalScalarDistinguishesStringsNumbersAndBooleans() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;

        assertThat(Json.canonicalScalar(nodes.textNode("1"))).isEqualTo("s1");
        assertThat(Json.canonicalScalar(nodes.numberNode(1))).isEqualTo("n1");
        assertThat(Json.canonicalScalar(nodes.numberNode(new BigDecimal("1.00"))))
                .isEqualTo("n1");
        assertThat(Json.canonicalScalar(nodes.numberNode(1.0d))).isEqualTo("n1");
        assertThat(Json.canonicalScalar(nodes.booleanNode(true))).isEqualTo("btrue");
    }

    @Test
    void canonicalScalarIsNullForNullsObjectsAndArrays() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;

        assertThat(Json.canonicalScalar(nodes.nullNode())).isNull();
        assertThat(Json.canonicalScalar(nodes.objectNode())).isNull();
        assertThat(Json.canonicalScalar(nodes.arrayNode().add(1))).isNull();
    }

    @Test
    void canonicalNumberAgreesWithBigDecimalsOwnStrippingOnTenThousandRandomNumbers() {
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            BigInteger unscaled = new BigInteger(1 + random.nextInt(200), random);
            if (random.nextBoolean()) {
                unscaled = unscaled.negate();
            }
            unscaled = unscaled.multiply(BigInteger.TEN.pow(random.nextInt(6)));
            BigDecimal number = new BigDecimal(unscaled, random.nextInt(120) - 60);
            String expected =
                    number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString();
            assertThat(Json.canonicalNumber(number)).as(number.toString()).isEqualTo(expected);
        }
    }

    @Test
    void canonicalNumberStripsTrailingZerosAndAvoidsExponents() {
        assertThat(Json.canonicalNumber(new BigDecimal("100.00"))).isEqualTo("100");
        assertThat(Json.canonicalNumber(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(Json.canonicalNumber(new BigDecimal("0.000"))).isEqualTo("0");
        assertThat(Json.canonicalNumber(new BigDecimal("-2.500"))).isEqualTo("-2.5");
    }

    @Test
    void aNormalisedNumberHasNoTrailingZerosAfterThePointAndNoExponentBeforeIt() {
        assertThat(Json.normalizedNumber(new BigDecimal("1.500"))).hasToString("1.5");
        assertThat(Json.normalizedNumber(new BigDecimal("-1.50"))).hasToString("-1.5");
        assertThat(Json.normalizedNumber(new BigDecimal("100.00"))).hasToString("100");
        assertThat(Json.normalizedNumber(new BigDecimal("1E+2"))).hasToString("100");
        assertThat(Json.normalizedNumber(new BigDecimal("0.00"))).hasToString("0");
        assertThat(Json.normalizedNumber(new BigDecimal(BigInteger.ZERO, -3))).hasToString("0");
        assertThat(Json.normalizedNumber(new BigDecimal("0.0000100"))).isEqualTo(new BigDecimal("0.00001"));
        assertThat(Json.normalizedNumber(new BigDecimal("1.25"))).hasToString("1.25");
        assertThat(Json.normalizedNumber(new BigDecimal("7"))).hasToString("7");
    }

    @Test
    void everySpellingOfANumberIsNormalisedToTheSameBigDecimal() {
        List<String> spellings = List.of("12.5", "12.50", "12.500000", "1.25E+1", "125E-1", "0.0125E3");

        assertThat(spellings)
                .map(spelling -> Json.normalizedNumber(new BigDecimal(spelling)))
                .containsOnly(new BigDecimal("12.5"));
    }

    @Test
    void theLongestNumbersInRangeAreNormalisedToo() {
        BigDecimal zeros = new BigDecimal("1." + "0".repeat(16_382));
        BigDecimal big = new BigDecimal("1" + "0".repeat(131_071) + ".0");

        assertThat(Json.normalizedNumber(zeros)).isEqualTo(BigDecimal.ONE);
        assertThat(Json.normalizedNumber(big).scale()).isZero();
        assertThat(Json.normalizedNumber(big).precision()).isEqualTo(131_072);
    }
}
