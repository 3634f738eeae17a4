package io.dcbstore;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** {@link Event#isValidType} is a faster {@link Event#TYPE_PATTERN}: they must always agree. */
class EventTypePropertyTest {
    private static final String ALLOWED = "abcXYZ09_.:-";

    @Property(tries = 2000)
    void isValidTypeAgreesWithTypePattern(@ForAll("candidateTypes") String type) {
        boolean valid = Event.isValidType(type);

        Statistics.label("valid").collect(valid);
        Statistics.label("valid").coverage(coverage -> {
            coverage.check(true).percentage(percent -> percent > 15);
            coverage.check(false).percentage(percent -> percent > 15);
        });
        assertThat(valid)
                .as("isValidType(\"%s\")", type)
                .isEqualTo(Event.TYPE_PATTERN.matcher(type).matches());
    }

    @Example
    void edgeCasesAreJudgedAsTheDocumentationSaysAndAgreeWithThePattern() {
        assertAgreement("", false);
        assertAgreement("A", true);
        assertAgreement("z", true);
        assertAgreement("A".repeat(200), true);
        assertAgreement("A".repeat(201), false);
        assertAgreement("a" + "_.:-9".repeat(39) + "xyzw", true);
        assertAgreement("1Type", false);
        assertAgreement("_Type", false);
        assertAgreement(".Type", false);
        assertAgreement("Order.Placed:v2-final_1", true);
        assertAgreement("Ärger", false);
        assertAgreement("Typeé", false);
        assertAgreement("Тип", false);
        assertAgreement("Type Name", false);
        assertAgreement("Type/Name", false);
        assertAgreement("Type\n", false);
        assertAgreement("Type\u0000", false);
        assertAgreement("Type\uD83D\uDE00", false);
        assertAgreement("\uFF21", false);
    }

    private static void assertAgreement(String type, boolean expected) {
        assertThat(Event.isValidType(type)).as("isValidType(\"%s\")", type).isEqualTo(expected);
        assertThat(Event.TYPE_PATTERN.matcher(type).matches())
                .as("TYPE_PATTERN on \"%s\"", type)
                .isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> candidateTypes() {
        Arbitrary<String> validStart = Arbitraries.strings()
                .withCharRange('a', 'z')
                .withCharRange('A', 'Z')
                .ofLength(1);
        Arbitrary<String> allowedTail = Arbitraries.strings().withChars(ALLOWED).ofMaxLength(205);
        Arbitrary<String> wellFormed = validStart.flatMap(start -> allowedTail.map(tail -> start + tail));
        Arbitrary<String> nearLimit =
                Arbitraries.integers().between(198, 202).map(length -> "T" + "x".repeat(length - 1));
        Arbitrary<String> oneBadCharacter = wellFormed.flatMap(base -> Arbitraries.strings()
                .all()
                .ofLength(1)
                .flatMap(bad -> Arbitraries.integers()
                        .between(0, base.length())
                        .map(position -> base.substring(0, position) + bad + base.substring(position))));
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(12);
        Arbitrary<String> unicodeLetters = Arbitraries.strings()
                .withCharRange('\u00c0', '\u024f')
                .withCharRange('\u0400', '\u04ff')
                .withChars(ALLOWED)
                .ofMinLength(1)
                .ofMaxLength(10);
        return Arbitraries.oneOf(wellFormed, nearLimit, oneBadCharacter, anything, unicodeLetters);
    }
}
