package io.dcbstore;

import static io.dcbstore.PayloadPredicate.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcbstore.internal.Json;
import io.dcbstore.internal.Matching;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Filter#matches} and {@link FilterItem#matches} evaluated in memory. */
class FilterMatchingTest {
    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");

    private static StoredEvent event(String type, String payload) {
        return new StoredEvent(10, type, payload, "{}", NOON);
    }

    private static StoredEvent event(long sequenceNumber, Instant occurredAt) {
        return new StoredEvent(sequenceNumber, "BookLent", "{\"bookId\":\"b-1\"}", "{}", occurredAt);
    }

    private static JsonNode payload(String json) {
        return Json.parseObject("payload", json);
    }

    @Test
    void matchAllMatchesEveryEvent() {
        Filter all = Filter.matchAll();

        assertThat(all.matches(event("BookLent", "{}"))).isTrue();
        assertThat(all.matches(event("Anything.Else", "{\"x\":[1,2]}"))).isTrue();
    }

    @Test
    void anItemWithTypesMatchesOnlyEventsOfThoseTypes() {
        Filter filter = Filter.anyOf(FilterItem.types("BookLent", "BookReturned"));

        assertThat(filter.matches(event("BookLent", "{}"))).isTrue();
        assertThat(filter.matches(event("BookReturned", "{}"))).isTrue();
        assertThat(filter.matches(event("BookLost", "{}"))).isFalse();
        assertThat(filter.matches(event("booklent", "{}"))).isFalse();
    }

    @Test
    void anItemWithoutTypesMatchesEventsOfAnyTypeThatHaveTheField() {
        Filter filter = Filter.anyOf(FilterItem.payload(eq("bookId", "b-1")));

        assertThat(filter.matches(event("BookLent", "{\"bookId\":\"b-1\"}"))).isTrue();
        assertThat(filter.matches(event("MemberJoined", "{\"bookId\":\"b-1\",\"memberId\":\"m\"}")))
                .isTrue();
        assertThat(filter.matches(event("BookLent", "{\"bookId\":\"b-2\"}"))).isFalse();
        assertThat(filter.matches(event("BookLent", "{}"))).isFalse();
    }

    @Test
    void allOfRequiresEveryPredicateToHold() {
        Filter filter = Filter.anyOf(FilterItem.types("BookLent").allOf(eq("bookId", "b-1"), eq("memberId", "m-1")));

        assertThat(filter.matches(event("BookLent", "{\"bookId\":\"b-1\",\"memberId\":\"m-1\"}")))
                .isTrue();
        assertThat(filter.matches(event("BookLent", "{\"bookId\":\"b-1\",\"memberId\":\"m-2\"}")))
                .isFalse();
        assertThat(filter.matches(event("BookLent", "{\"bookId\":\"b-1\"}"))).isFalse();
    }

    @Test
    void anyOfRequiresAtLeastOnePredicateToHold() {
        Filter filter = Filter.anyOf(FilterItem.types("BookLent").anyOf(eq("bookId", "b-1"), eq("memberId", "m-1")));

        assertThat(filter.matches(event("BookLent", "{\"bookId\":\"b-1\",\"memberId\":\"m-9\"}")))
                .isTrue();
        assertThat(filter.matches(event("BookLent", "{\"bookId\":\"b-9\",\"memberId\":\"m-1\"}")))
                .isTrue();
        assertThat(filter.matches(event("BookLent", "{\"bookId\":\"b-9\",\"memberId\":\"m-9\"}")))
                .isFalse();
    }

    @Test
    void typesAndPredicatesOfOneItemMustBothHold() {
        Filter filter = Filter.anyOf(FilterItem.types("BookLent").allOf(eq("bookId", "b-1")));

        assertThat(filter.matches(event("BookLent", "{\"bookId\":\"b-1\"}"))).isTrue();
        assertThat(filter.matches(event("BookReturned", "{\"bookId\":\"b-1\"}")))
                .isFalse();
    }

    @Test
    void itemsAreCombinedWithOr() {
        Filter filter = Filter.anyOf(FilterItem.types("MemberJoined"), FilterItem.payload(eq("bookId", "b-1")));

        assertThat(filter.matches(event("MemberJoined", "{}"))).isTrue();
        assertThat(filter.matches(event("BookLent", "{\"bookId\":\"b-1\"}"))).isTrue();
        assertThat(filter.matches(event("BookLent", "{\"bookId\":\"b-2\"}"))).isFalse();
    }

    @Test
    void theNumberOneMatchesOnePointZeroAndOneEZeroInThePayload() {
        Filter filter = Filter.anyOf(FilterItem.payload(eq("copies", 1)));

        assertThat(filter.matches(event("A", "{\"copies\":1}"))).isTrue();
        assertThat(filter.matches(event("A", "{\"copies\":1.0}"))).isTrue();
        assertThat(filter.matches(event("A", "{\"copies\":1e0}"))).isTrue();
        assertThat(filter.matches(event("A", "{\"copies\":10E-1}"))).isTrue();
        assertThat(filter.matches(event("A", "{\"copies\":1.5}"))).isFalse();
    }

    @Test
    void aDecimalPredicateMatchesAnIntegerPayloadOfTheSameValue() {
        Filter filter = Filter.anyOf(FilterItem.payload(eq("copies", 2.0)));

        assertThat(filter.matches(event("A", "{\"copies\":2}"))).isTrue();
        assertThat(filter.matches(event("A", "{\"copies\":3}"))).isFalse();
    }

    @Test
    void theStringOneDoesNotMatchTheNumberOneAndViceVersa() {
        Filter text = Filter.anyOf(FilterItem.payload(eq("v", "1")));
        Filter number = Filter.anyOf(FilterItem.payload(eq("v", 1)));

        assertThat(text.matches(event("A", "{\"v\":1}"))).isFalse();
        assertThat(text.matches(event("A", "{\"v\":\"1\"}"))).isTrue();
        assertThat(number.matches(event("A", "{\"v\":\"1\"}"))).isFalse();
        assertThat(number.matches(event("A", "{\"v\":1}"))).isTrue();
    }

    @Test
    void booleansMatchOnlyTheSameBooleanNotItsTextOrANumber() {
        Filter filter = Filter.anyOf(FilterItem.payload(eq("active", true)));

        assertThat(filter.matches(event("A", "{\"active\":true}"))).isTrue();
        assertThat(filter.matches(event("A", "{\"active\":false}"))).isFalse();
        assertThat(filter.matches(event("A", "{\"active\":\"true\"}"))).isFalse();
        assertThat(filter.matches(event("A", "{\"active\":1}"))).isFalse();
    }

    @Test
    void aNullOrNestedFieldDoesNotMatchAScalarPredicate() {
        Filter filter = Filter.anyOf(FilterItem.payload(eq("id", "x")));

        assertThat(filter.matches(event("A", "{\"id\":null}"))).isFalse();
        assertThat(filter.matches(event("A", "{\"id\":[\"x\"]}"))).isFalse();
        assertThat(filter.matches(event("A", "{\"id\":{\"id\":\"x\"}}"))).isFalse();
        assertThat(filter.matches(event("A", "{\"outer\":{\"id\":\"x\"}}"))).isFalse();
    }

    @Test
    void keysWithQuotesBackslashesAndUnicodeMatchLiterally() {
        String key = "he said \"hi\" \\ ключ \uD83D\uDD11";
        String payload = Json.write(Json.toTree(Map.of(key, "café")));
        Filter filter = Filter.anyOf(FilterItem.payload(eq(key, "café")));

        assertThat(filter.matches(event("A", payload))).isTrue();
        assertThat(filter.matches(event("A", "{\"he said hi\":\"café\"}"))).isFalse();
        assertThat(Filter.anyOf(FilterItem.payload(eq(key, "cafe"))).matches(event("A", payload)))
                .isFalse();
    }

    @Test
    void escapedUnicodeInThePayloadMatchesTheDecodedText() {
        Filter filter = Filter.anyOf(FilterItem.payload(eq("naïve", "café")));

        assertThat(filter.matches(event("A", "{\"na\\u00efve\":\"caf\\u00e9\"}")))
                .isTrue();
    }

    @Test
    void largeIntegersMatchExactly() {
        Filter max = Filter.anyOf(FilterItem.payload(eq("n", Long.MAX_VALUE)));
        Filter beyondLong = Filter.anyOf(FilterItem.payload(eq("n", BigInteger.TWO.pow(70))));

        assertThat(max.matches(event("A", "{\"n\":9223372036854775807}"))).isTrue();
        assertThat(max.matches(event("A", "{\"n\":9223372036854775806}"))).isFalse();
        assertThat(beyondLong.matches(event("A", "{\"n\":1180591620717411303424}")))
                .isTrue();
        assertThat(beyondLong.matches(event("A", "{\"n\":1180591620717411303425}")))
                .isFalse();
    }

    @Test
    void occurredFromIsInclusive() {
        Filter filter = Filter.anyOf(FilterItem.types("BookLent")).occurredFrom(NOON);

        assertThat(filter.matches(event(1, NOON))).isTrue();
        assertThat(filter.matches(event(1, NOON.plusNanos(1)))).isTrue();
        assertThat(filter.matches(event(1, NOON.minusNanos(1000)))).isFalse();
    }

    @Test
    void occurredUntilIsInclusive() {
        Filter filter = Filter.anyOf(FilterItem.types("BookLent")).occurredUntil(NOON);

        assertThat(filter.matches(event(1, NOON))).isTrue();
        assertThat(filter.matches(event(1, NOON.minusNanos(1)))).isTrue();
        assertThat(filter.matches(event(1, NOON.plusNanos(1000)))).isFalse();
    }

    @Test
    void aRangeOfASingleInstantMatchesOnlyThatInstant() {
        Filter filter = Filter.matchAll().occurredFrom(NOON).occurredUntil(NOON);

        assertThat(filter.matches(event(1, NOON))).isTrue();
        assertThat(filter.matches(event(1, NOON.plusMillis(1)))).isFalse();
        assertThat(filter.matches(event(1, NOON.minusMillis(1)))).isFalse();
    }

    @Test
    void sequenceNumberAfterIsExclusive() {
        Filter filter = Filter.anyOf(FilterItem.types("BookLent")).sequenceNumberAfter(5);

        assertThat(filter.matches(event(5, NOON))).isFalse();
        assertThat(filter.matches(event(6, NOON))).isTrue();
    }

    @Test
    void matchAllStillHonoursTheRangeRestrictions() {
        Filter filter = Filter.matchAll().sequenceNumberAfter(3).occurredFrom(NOON);

        assertThat(filter.matches(event(4, NOON))).isTrue();
        assertThat(filter.matches(event(3, NOON))).isFalse();
        assertThat(filter.matches(event(4, NOON.minusSeconds(1)))).isFalse();
    }

    @Test
    void matchesTypeAndPayloadIgnoresTheRanges() {
        Filter filter = Filter.anyOf(FilterItem.types("BookLent"))
                .sequenceNumberAfter(100)
                .occurredFrom(NOON);

        assertThat(Matching.matches(filter, 1, "BookLent", payload("{}"))).isTrue();
        assertThat(Matching.matches(filter, 1, "BookReturned", payload("{}"))).isFalse();
    }

    @Test
    void eachItemMatchesOnlyEventsAfterItsOwnStart() {
        Filter filter = Filter.anyOf(
                FilterItem.types("BookLent").allOf(eq("bookId", "b-1")).after(5),
                FilterItem.types("BookLent").allOf(eq("bookId", "b-2")));

        assertThat(filter.matches(new StoredEvent(5, "BookLent", "{\"bookId\":\"b-1\"}", "{}", NOON)))
                .isFalse();
        assertThat(filter.matches(new StoredEvent(6, "BookLent", "{\"bookId\":\"b-1\"}", "{}", NOON)))
                .isTrue();
        assertThat(filter.matches(new StoredEvent(1, "BookLent", "{\"bookId\":\"b-2\"}", "{}", NOON)))
                .isTrue();
        assertThat(Matching.matches(filter, 5, "BookLent", payload("{\"bookId\":\"b-1\"}")))
                .isFalse();
        // the item alone checks its types and predicates; its start is the filter's to check
        assertThat(filter.items().get(0).matches("BookLent", "{\"bookId\":\"b-1\"}"))
                .isTrue();
    }

    @Test
    void filterItemMatchesOnTypeAndPayloadDirectly() {
        FilterItem item = FilterItem.types("BookLent").anyOf(eq("bookId", "b-1"), eq("copies", 2));

        assertThat(item.matches("BookLent", "{\"copies\":2.00}")).isTrue();
        assertThat(item.matches("BookLent", "{\"bookId\":\"b-1\"}")).isTrue();
        assertThat(item.matches("BookLent", "{\"bookId\":\"b-2\",\"copies\":3}"))
                .isFalse();
        assertThat(item.matches("BookReturned", "{\"bookId\":\"b-1\"}")).isFalse();
    }

    @Test
    void aFilterItemRefusesAPayloadThatIsNotAJsonObject() {
        FilterItem item = FilterItem.types("BookLent");

        assertThatThrownBy(() -> item.matches("BookLent", "[1]")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> item.matches("BookLent", "{")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aTypesOnlyItemMatchesAnyPayload() {
        FilterItem item = FilterItem.types("BookLent");

        assertThat(item.matches("BookLent", "{}")).isTrue();
        assertThat(item.matches("BookLent", "{\"a\":{\"b\":[1]}}")).isTrue();
        assertThat(item.matches("Other", "{}")).isFalse();
    }
}
