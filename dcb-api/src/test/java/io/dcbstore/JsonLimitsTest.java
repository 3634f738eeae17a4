package io.dcbstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.internal.Json;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limits on a document's shape: what PostgreSQL accepts passes, beyond it a typed error names the limit. */
class JsonLimitsTest {
    private static String nested(int levels) {
        return "{\"a\":".repeat(levels) + "1" + "}".repeat(levels);
    }

    @Test
    void anEventNestedFarDeeperThanJacksonsDefaultButWithinPostgresqlIsAccepted() {
        Event event = Event.of("Deep", nested(5_000));
        assertThat(event.payload()).hasSize(nested(5_000).length());
        assertThat(Json.parseObject("payload", event.payload())
                        .path("a")
                        .path("a")
                        .isObject())
                .isTrue();
    }

    @Test
    void anEventAtTheNestingCeilingCanBeParsedAndMatchedOnASmallThreadStack() throws Exception {
        Throwable[] failure = new Throwable[1];
        boolean[] matched = new boolean[1];
        Thread small = new Thread(
                null,
                () -> {
                    try {
                        Event event = Event.of("Deep", "{\"Copy\": \"c\", \"a\":" + nested(9_999) + "}");
                        matched[0] = Filter.anyOf(FilterItem.payload(PayloadPredicate.eq("Copy", "c")))
                                .matches(new StoredEvent(1, "Deep", event.payload(), "{}", Instant.now()));
                    } catch (Throwable e) {
                        failure[0] = e;
                    }
                },
                "small-stack",
                256 * 1024);
        small.start();
        small.join();
        assertThat(failure[0]).isNull();
        assertThat(matched[0]).isTrue();
    }

    @Test
    void aMapThatContainsItselfIsRefusedWithATypedError() {
        Map<String, Object> cyclic = new HashMap<>();
        cyclic.put("self", cyclic);
        assertThatThrownBy(() -> Event.of("Cyclic", cyclic))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("refers to itself");
    }

    @Test
    void aHundredThousandDigitNumberOutOfRangeIsRefusedAndOneInRangeIsCanonical() {
        assertThatThrownBy(() -> Event.of("Big", "{\"n\": 1" + "0".repeat(140_000) + "}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("numeric range");
        assertThat(Json.scanObject("payload", "{\"n\": 1" + "0".repeat(100_000) + ".000}", true))
                .containsExactly("n\u0000n1" + "0".repeat(100_000));
    }

    @Test
    void anEventNestedDeeperThanPostgresqlAcceptsIsRefusedNamingTheLimit() {
        assertThatThrownBy(() -> Event.of("Deep", nested(10_001)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("nests deeper than 10000 levels, the JSON limit maxNestingDepth");
    }

    @Test
    void numbersAndKeysLongerThanJacksonsDefaultsAreAccepted() {
        String longNumber = "1" + "0".repeat(2_000);
        String longKey = "k".repeat(60_000);
        Event event = Event.of("Long", "{\"n\": " + longNumber + ", \"" + longKey + "\": 1}");
        assertThat(Json.scanObject("payload", event.payload(), true)).hasSize(2);
    }

    @Test
    void lowerLimitsRefuseADocumentOverAnyOfThemNamingEach() {
        JsonLimits tight = new JsonLimits(3, 10, 5);
        assertThatThrownBy(() -> Json.scanObject("payload", nested(4), false, tight))
                .hasMessageContaining("maxNestingDepth");
        assertThatThrownBy(() -> Json.scanObject("payload", "{\"n\": 12345678901}", false, tight))
                .hasMessageContaining("a number of 11 characters, over the JSON limit maxNumberLength of 10");
        assertThatThrownBy(() -> Json.scanObject("payload", "{\"longer\": 1}", false, tight))
                .hasMessageContaining("a key of 6 characters, over the JSON limit maxKeyLength of 5");
        assertThat(Json.scanObject("payload", nested(3), false, tight)).isEmpty();
    }

    @Test
    void aKeyOrANumberExactlyAsLongAsItsLimitIsAccepted() {
        JsonLimits tight = new JsonLimits(3, 10, 5);

        assertThat(Json.scanObject("payload", "{\"fives\": 1234567890}", true, tight))
                .containsExactly("fives\u0000n1234567890");
    }

    @Test
    void limitsOfOneAndLimitsAtWhatPostgresqlAcceptsAreAccepted() {
        assertThat(new JsonLimits(1, 1, 1)).isEqualTo(new JsonLimits(1, 1, 1));
        assertThat(new JsonLimits(10_000, 150_000, 255 * 1024 * 1024)).isEqualTo(JsonLimits.POSTGRESQL);
    }

    @Test
    void limitsJustBeyondWhatPostgresqlAcceptsAreRefusedNamingTheCeiling() {
        assertThatThrownBy(() -> new JsonLimits(10_001, 1, 255 * 1024 * 1024 + 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid input: JSON limit maxNestingDepth must be between 1 and 10000 (what PostgreSQL"
                        + " accepts), got 10001; JSON limit maxKeyLength must be between 1 and 267386880 (what"
                        + " PostgreSQL accepts), got 267386881");
    }

    @Test
    void limitsBeyondWhatPostgresqlAcceptsAreRefusedWithEveryProblem() {
        assertThatThrownBy(() -> new JsonLimits(0, 150_001, -1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("maxNestingDepth")
                .hasMessageContaining("maxNumberLength")
                .hasMessageContaining("maxKeyLength");
    }
}
