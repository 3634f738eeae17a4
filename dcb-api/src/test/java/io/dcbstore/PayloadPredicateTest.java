package io.dcbstore;

import static io.dcbstore.PayloadPredicate.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dcbstore.internal.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link PayloadPredicate}: validation, number normalisation and canonical text. */
class PayloadPredicateTest {

    @Test
    void aNullOrEmptyKeyIsRejected() {
        assertThatThrownBy(() -> eq(null, "v"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("payload predicate key must not be null or empty");
        assertThatThrownBy(() -> eq("", "v"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("payload predicate key must not be null or empty");
    }

    @Test
    void aKeyWithANulCharacterIsRejected() {
        assertThatThrownBy(() -> eq("a\u0000b", "v"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("key must not contain a NUL character");
    }

    @Test
    void aNullValueIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> eq("bookId", null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'bookId' must not have a null value");
    }

    @Test
    void aNulCharacterIsRejectedEvenAsTheFirstCharacterOfTheKeyOrTheValue() {
        assertThatThrownBy(() -> eq("\u0000bookId", "v"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid input: payload predicate key must not contain a NUL character or an unpaired"
                        + " surrogate");
        assertThatThrownBy(() -> eq("bookId", "\u0000b"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid input: payload predicate 'bookId' value must not contain a NUL character or an"
                        + " unpaired surrogate");
    }

    @Test
    void anUnpairedSurrogateInTheKeyOrTheValueIsRejectedAndAPairIsNot() {
        assertThatThrownBy(() -> eq("book\uD83D", "v"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("key must not contain a NUL character or an unpaired surrogate");
        assertThatThrownBy(() -> eq("bookId", "\uDE00b"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'bookId' value must not contain a NUL character or an unpaired surrogate");
        assertThat(eq("\uD83D\uDE00", "\uD83D\uDE00").canonical()).isEqualTo("\uD83D\uDE00\u0000s\uD83D\uDE00");
    }

    @Test
    void aKeyOfSixtyCharactersIsShownWholeInAMessageAndALongerOneShortened() {
        String sixty = "k".repeat(60);

        assertThatThrownBy(() -> eq(sixty, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid input: payload predicate '" + sixty + "' must not have a null value");
        assertThatThrownBy(() -> eq(sixty + "k", null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid input: payload predicate '" + sixty + "...' must not have a null value");
    }

    @Test
    void aStringValueWithANulCharacterIsRejected() {
        assertThatThrownBy(() -> eq("bookId", "b\u0000"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'bookId' value must not contain a NUL character");
    }

    @Test
    void aValueThatIsNotAStringNumberOrBooleanIsRejectedNamingItsClass() {
        assertThatThrownBy(() -> eq("tags", List.of("a")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'tags' value must be a String, Number or Boolean")
                .hasMessageContaining("java.util.");
        assertThatThrownBy(() -> eq("initial", 'c'))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("java.lang.Character");
    }

    @Test
    void nonFiniteNumbersAreRejected() {
        assertThatThrownBy(() -> eq("x", Double.NaN))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'x' value must be a finite number");
        assertThatThrownBy(() -> eq("x", Double.POSITIVE_INFINITY)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> eq("x", Float.NEGATIVE_INFINITY)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void everyProblemOfAPredicateIsReportedAtOnce() {
        InvalidInputException error = catchThrowableOfType(InvalidInputException.class, () -> eq("", null));

        assertThat(error.problems()).hasSize(2);
    }

    @Test
    void everyKindOfNumberIsNormalisedToBigDecimal() {
        assertThat(eq("n", 1).value()).isEqualTo(BigDecimal.ONE);
        assertThat(eq("n", 1L).value()).isEqualTo(BigDecimal.ONE);
        assertThat(eq("n", (short) 1).value()).isEqualTo(BigDecimal.ONE);
        assertThat(eq("n", BigInteger.ONE).value()).isEqualTo(BigDecimal.ONE);
        assertThat(eq("n", new AtomicLong(7)).value()).isEqualTo(BigDecimal.valueOf(7));
        assertThat(eq("n", 1.5d).value()).isEqualTo(new BigDecimal("1.5"));
        assertThat(eq("n", 0.1d).value()).isEqualTo(new BigDecimal("0.1"));
    }

    @Test
    void stringsAndBooleansAreKeptAsGiven() {
        assertThat(eq("s", "text").value()).isEqualTo("text");
        assertThat(eq("b", true).value()).isEqualTo(Boolean.TRUE);
    }

    @Test
    void equalNumbersHaveOneCanonicalText() {
        String one = eq("n", 1).canonical();

        assertThat(eq("n", 1L).canonical()).isEqualTo(one);
        assertThat(eq("n", 1.0d).canonical()).isEqualTo(one);
        assertThat(eq("n", 1.0f).canonical()).isEqualTo(one);
        assertThat(eq("n", new BigDecimal("1.000")).canonical()).isEqualTo(one);
        assertThat(eq("n", new BigDecimal("1E+0")).canonical()).isEqualTo(one);
        assertThat(eq("n", BigInteger.ONE).canonical()).isEqualTo(one);
        assertThat(one).isEqualTo("n\u0000n1");
    }

    @Test
    void canonicalTextSeparatesTheKindsOfValue() {
        assertThat(eq("k", "1").canonical()).isEqualTo("k\u0000s1");
        assertThat(eq("k", 1).canonical()).isEqualTo("k\u0000n1");
        assertThat(eq("k", true).canonical()).isEqualTo("k\u0000btrue");
        assertThat(eq("k", "true").canonical()).isEqualTo("k\u0000strue");
    }

    @Test
    void theValueAsAJsonNodeHasTheJsonKindOfTheValue() {
        assertThat(Json.scalarNode(eq("k", "x").value()).isTextual()).isTrue();
        assertThat(Json.scalarNode(eq("k", 2).value()).isNumber()).isTrue();
        assertThat(Json.scalarNode(eq("k", false).value()).isBoolean()).isTrue();
    }

    @Test
    void predicatesSortByCanonicalTextAndEqualNumbersCompareAsEqual() {
        TreeSet<PayloadPredicate> sorted =
                new TreeSet<>(List.of(eq("b", 1), eq("a", "z"), eq("b", 1.0), eq("a", true)));

        assertThat(sorted)
                .extracting(PayloadPredicate::canonical)
                .containsExactly("a\u0000btrue", "a\u0000sz", "b\u0000n1");
        assertThat(eq("b", 1).compareTo(eq("b", new BigDecimal("1.00")))).isZero();
    }

    @Test
    void predicatesOnEqualNumbersAreEqualHoweverTheNumbersWereSpelled() {
        PayloadPredicate one = eq("n", 1);

        assertThat(List.of(
                        eq("n", 1.0d),
                        eq("n", 1.0f),
                        eq("n", new BigDecimal("1.00")),
                        eq("n", new BigDecimal("0.1E1")),
                        eq("n", BigInteger.ONE)))
                .allSatisfy(spelled -> assertThat(spelled)
                        .isEqualTo(one)
                        .hasSameHashCodeAs(one)
                        .hasToString(one.toString()));
        assertThat(eq("n", new BigDecimal("1E+2")).value()).isEqualTo(new BigDecimal("100"));
        assertThat(eq("n", 1.5d)).isNotEqualTo(one);
    }
}
