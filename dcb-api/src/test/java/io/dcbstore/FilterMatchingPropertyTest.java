package io.dcbstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.internal.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The in-memory match of a single predicate agrees with the canonical field texts that
 * {@link Json#scanObject} collects from the payload. The store's lock keys rely on this: an event
 * that matches a condition's predicate must produce the predicate's text among its own fields.
 *
 * <p>Both sides use the same canonical forms, so a mistake in them would pass here; that the
 * matcher agrees with PostgreSQL's own {@code @>} is checked in dcb-postgres, against the
 * database ({@code InMemoryMatchingAgreesWithPostgresTest}).
 */
class FilterMatchingPropertyTest {
    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");

    @Property(tries = 500)
    void aPredicateMatchesAPayloadExactlyWhenThePayloadHasAFieldWithTheSameCanonicalText(
            @ForAll("payloads") Map<String, Object> fields, @ForAll("predicates") PayloadPredicate predicate) {
        String payload = Json.write(Json.toTree(fields));
        StoredEvent event = new StoredEvent(1, "Something", payload, "{}", NOON);

        boolean matches = Filter.anyOf(FilterItem.payload(predicate)).matches(event);
        boolean sharesFieldText = Json.scanObject("payload", payload, true).contains(predicate.canonical());

        Statistics.label("matches").collect(matches);
        Statistics.label("matches").coverage(coverage -> coverage.check(true).count(count -> count > 0));
        assertThat(matches).as("payload %s, predicate %s", payload, predicate).isEqualTo(sharesFieldText);
    }

    @Provide
    Arbitrary<Map<String, Object>> payloads() {
        return Arbitraries.maps(keys(), values().injectNull(0.1)).ofMaxSize(4).map(LinkedHashMap::new);
    }

    @Provide
    Arbitrary<PayloadPredicate> predicates() {
        return Combinators.combine(keys(), values()).as(PayloadPredicate::eq);
    }

    private static Arbitrary<String> keys() {
        return Arbitraries.of("id", "ключ", "a \"b\"", "x\\y");
    }

    private static Arbitrary<Object> values() {
        return Arbitraries.oneOf(
                Arbitraries.of("1", "1.0", "true", "", "é"),
                Arbitraries.longs().between(-1, 2),
                Arbitraries.of(
                        new BigDecimal("1.0"), new BigDecimal("1E+0"), new BigDecimal("-0.00"), new BigDecimal("2.50")),
                Arbitraries.of(true, false));
    }
}
