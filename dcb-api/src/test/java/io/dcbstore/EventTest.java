package io.dcbstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Event}: what it accepts, and that it reports every problem at once. */
class EventTest {
    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");

    @Test
    void aValidEventKeepsItsFields() {
        Event event = new Event("BookLent", "{\"bookId\":\"b-1\"}", "{\"by\":\"me\"}", NOON);

        assertThat(event.type()).isEqualTo("BookLent");
        assertThat(event.payload()).isEqualTo("{\"bookId\":\"b-1\"}");
        assertThat(event.metadata()).isEqualTo("{\"by\":\"me\"}");
        assertThat(event.occurredAt()).isEqualTo(NOON);
    }

    @Test
    void ofGivesEmptyMetadataAndTheCurrentTime() {
        Instant before = Instant.now();

        Event event = Event.of("BookLent", "{}");

        assertThat(event.metadata()).isEqualTo("{}");
        assertThat(event.occurredAt()).isBetween(before, Instant.now());
    }

    @Test
    void ofAMapSerialisesItAsAJsonObject() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("bookId", "b-1");
        payload.put("copies", 2);
        payload.put("rare", true);

        assertThat(Event.of("BookLent", payload).payload())
                .isEqualTo("{\"bookId\":\"b-1\",\"copies\":2,\"rare\":true}");
    }

    @Test
    void ofANullMapIsRejected() {
        assertThatThrownBy(() -> Event.of("BookLent", (Map<String, ?>) null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("payload must not be null");
    }

    @Test
    void ofAMapWithANulCharacterIsRejected() {
        assertThatThrownBy(() -> Event.of("BookLent", Map.of("k", "a\u0000b")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("NUL character");
    }

    @Test
    void ofAMapThatCannotBeSerialisedThrowsInvalidInputException() {
        assertThatThrownBy(() -> Event.of("BookLent", Map.of("k", new Object())))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aNullTypeIsRejected() {
        assertThatThrownBy(() -> new Event(null, "{}", "{}", NOON))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("event type must not be null or empty");
    }

    @Test
    void anEmptyTypeIsRejected() {
        InvalidInputException error =
                catchThrowableOfType(InvalidInputException.class, () -> new Event("", "{}", "{}", NOON));

        assertThat(error.problems()).containsExactly("event type must not be null or empty");
    }

    @Test
    void aMalformedTypeIsRejectedNamingTheTypeAndThePattern() {
        InvalidInputException error =
                catchThrowableOfType(InvalidInputException.class, () -> new Event("9Lives", "{}", "{}", NOON));

        assertThat(error.problems())
                .singleElement()
                .asString()
                .contains("'9Lives'")
                .contains(Event.TYPE_PATTERN.pattern());
    }

    @Test
    void aTypeWithANulCharacterIsShownWithAnEscapeInTheMessage() {
        InvalidInputException error =
                catchThrowableOfType(InvalidInputException.class, () -> new Event("Bad\u0000Type", "{}", "{}", NOON));

        assertThat(error.getMessage()).contains("Bad\\u0000Type").doesNotContain("\u0000");
    }

    @Test
    void aVeryLongInvalidTypeIsShortenedInTheMessage() {
        String type = "A".repeat(300);

        InvalidInputException error =
                catchThrowableOfType(InvalidInputException.class, () -> new Event(type, "{}", "{}", NOON));

        assertThat(error.getMessage()).contains("A".repeat(60) + "...").doesNotContain("A".repeat(61));
    }

    @Test
    void anInvalidTypeOfSixtyCharactersIsShownWholeInTheMessage() {
        String type = "A".repeat(59) + "!";

        InvalidInputException error =
                catchThrowableOfType(InvalidInputException.class, () -> new Event(type, "{}", "{}", NOON));

        assertThat(error.getMessage()).contains("event type '" + type + "' must match");
    }

    @Test
    void aTypeOf200CharactersIsAcceptedAndOf201Rejected() {
        assertThat(new Event("A".repeat(200), "{}", "{}", NOON).type()).hasSize(200);
        assertThatThrownBy(() -> new Event("A".repeat(201), "{}", "{}", NOON))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aPayloadThatIsNotAnObjectIsRejectedSayingWhatItIs() {
        assertThatThrownBy(() -> new Event("A", "[1]", "{}", NOON))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("payload must be a JSON object, got an array");
        assertThatThrownBy(() -> new Event("A", "\"x\"", "{}", NOON))
                .hasMessageContaining("payload must be a JSON object, got a string");
    }

    @Test
    void aNullOrInvalidPayloadIsRejected() {
        assertThatThrownBy(() -> new Event("A", null, "{}", NOON))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("payload must not be null");
        assertThatThrownBy(() -> new Event("A", "{\"a\":", "{}", NOON))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("payload is not valid JSON");
    }

    @Test
    void aPayloadWithANulCharacterIsRejected() {
        assertThatThrownBy(() -> new Event("A", "{\"a\":{\"b\":\"\\u0000\"}}", "{}", NOON))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("payload contains a NUL character");
    }

    @Test
    void metadataThatIsNotAnObjectIsRejected() {
        assertThatThrownBy(() -> new Event("A", "{}", "[]", NOON))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("metadata must be a JSON object");
        assertThatThrownBy(() -> new Event("A", "{}", null, NOON))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("metadata must not be null");
    }

    @Test
    void aNullOccurredAtIsRejected() {
        assertThatThrownBy(() -> new Event("A", "{}", "{}", null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("occurredAt must not be null");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        InvalidInputException error =
                catchThrowableOfType(InvalidInputException.class, () -> new Event("", "[]", "{}", null));

        assertThat(error.problems())
                .containsExactly(
                        "event type must not be null or empty",
                        "payload must be a JSON object, got an array",
                        "occurredAt must not be null");
        assertThat(error.getMessage())
                .contains(
                        error.problems().get(0),
                        error.problems().get(1),
                        error.problems().get(2));
    }

    @Test
    void fourProblemsAreReportedWhenEveryFieldIsWrong() {
        InvalidInputException error =
                catchThrowableOfType(InvalidInputException.class, () -> new Event("-x", "nope", "42", null));

        assertThat(error.problems()).hasSize(4);
        assertThat(error.problems().get(0)).contains("'-x'");
        assertThat(error.problems().get(1)).startsWith("payload");
        assertThat(error.problems().get(2)).isEqualTo("metadata must be a JSON object, got a number");
        assertThat(error.problems().get(3)).isEqualTo("occurredAt must not be null");
    }

    @Test
    void copiesAreValidatedLikeNewEvents() {
        Event event = new Event("A", "{}", "{}", NOON);

        assertThat(event.withMetadata("{\"k\":1}").metadata()).isEqualTo("{\"k\":1}");
        assertThat(event.withOccurredAt(NOON.plusSeconds(1)).occurredAt()).isEqualTo(NOON.plusSeconds(1));
        assertThatThrownBy(() -> event.withMetadata("[]")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> event.withOccurredAt(null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aNumberPostgresqlCannotHoldIsRefusedWithATypedErrorNamingTheRange() {
        InvalidInputException refused = catchThrowableOfType(
                InvalidInputException.class,
                () -> new Event("Huge", "{\"n\":1e999999999}", "{\"m\":1.000e-16381}", NOON));

        assertThat(refused.problems())
                .containsExactly(
                        "payload contains a number out of PostgreSQL's numeric range (at most 131072 digits before"
                                + " and 16383 after the point as written, and an exponent of at most 1073741823)",
                        "metadata contains a number out of PostgreSQL's numeric range (at most 131072 digits before"
                                + " and 16383 after the point as written, and an exponent of at most 1073741823)");
    }
}
