package io.dcbstore.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.InvalidInputException;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.internal.Json;
import io.dcbstore.testkit.TestDatabase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The in-memory matcher ({@link FilterItem#matches(String, String)}, which subscriptions, own
 * appends and decision states use) against PostgreSQL's own {@code payload @> document}, on
 * payloads written in every spelling JSON allows ({@link JsonSpellings}). Each try sends a batch
 * of pairs in one statement. The API must also accept exactly the payloads {@code jsonb} accepts,
 * refusing the others with its typed error before any SQL.
 */
class InMemoryMatchingAgreesWithPostgresTest {
    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");

    /** A predicate's key and value before the API checks them. */
    record PredicateSpec(String key, Object value) {}

    /** What PostgreSQL says of one payload and one containment document. */
    record Verdict(boolean valid, Boolean contains, String normalised) {}

    @Property(tries = 200)
    void aPayloadIsAcceptedExactlyWhenJsonbAcceptsItAndAPredicateMatchesExactlyWhenJsonbContainsIt(
            @ForAll("pairs") List<Pair> pairs) throws SQLException {
        List<String> payloads = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        List<PayloadPredicate> predicates = new ArrayList<>();
        for (Pair pair : pairs) {
            PayloadPredicate predicate =
                    PayloadPredicate.eq(pair.predicate().key(), pair.predicate().value());
            payloads.add(pair.payload());
            predicates.add(predicate);
            documents.add(documentOf(predicate));
        }

        List<Verdict> verdicts = askPostgres(payloads, documents);

        for (int i = 0; i < pairs.size(); i++) {
            String payload = payloads.get(i);
            Verdict verdict = verdicts.get(i);
            assertThat(apiAccepts(payload))
                    .as("the API accepts the payload %s", payload)
                    .isEqualTo(verdict.valid());
            Statistics.label("payload").collect(verdict.valid() ? "valid" : "refused");
            if (verdict.valid()) {
                FilterItem item = FilterItem.payload(predicates.get(i));
                assertThat(item.matches("Differential", payload))
                        .as("in memory: %s matches %s (PostgreSQL: %s)", payload, documents.get(i), verdict.contains())
                        .isEqualTo(verdict.contains());
                assertThat(item.matches("Differential", verdict.normalised()))
                        .as("in memory, as stored: %s matches %s", verdict.normalised(), documents.get(i))
                        .isEqualTo(verdict.contains());
                if (verdict.contains()) {
                    // The lock keys of an append come from these texts: a matching event must have its predicate's.
                    assertThat(Json.scanObject("payload", payload, true))
                            .as("the scalar fields of %s", payload)
                            .contains(predicates.get(i).canonical());
                }
                Statistics.label("contains").collect(verdict.contains());
            }
        }
        Statistics.label("contains").coverage(coverage -> coverage.check(true).count(count -> count > 50));
        Statistics.label("payload")
                .coverage(coverage -> coverage.check("refused").count(count -> count > 5));
    }

    @Property(tries = 100)
    void aFilterItemMatchesInMemoryExactlyTheEventsItsWhereClauseSelects(
            @ForAll("items") FilterItem item, @ForAll("events") List<TypedPayload> events) throws SQLException {
        List<TypedPayload> valid =
                events.stream().filter(event -> apiAccepts(event.payload())).toList();
        WhereClause where = WhereClause.of(Filter.anyOf(item), false);
        String sql = "SELECT " + where.sql() + " FROM (SELECT t AS event_type, p::jsonb AS payload, n"
                + " FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS u(t, p, n)) e ORDER BY n";

        List<Boolean> selected = new ArrayList<>();
        try (Connection connection = TestDatabase.get().unpooled().getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            // The condition's parameters come first in the text, then the two arrays.
            int next = where.bind(connection, statement, 1);
            statement.setArray(
                    next,
                    connection.createArrayOf(
                            "text", valid.stream().map(TypedPayload::type).toArray()));
            statement.setArray(
                    next + 1,
                    connection.createArrayOf(
                            "text", valid.stream().map(TypedPayload::payload).toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    selected.add(rows.getBoolean(1));
                }
            }
        }

        assertThat(selected).hasSameSizeAs(valid);
        for (int i = 0; i < valid.size(); i++) {
            TypedPayload event = valid.get(i);
            assertThat(item.matches(event.type(), event.payload()))
                    .as(
                            "in memory: %s %s against %s (SQL %s %s)",
                            event.type(), event.payload(), item, where.sql(), where.params())
                    .isEqualTo(selected.get(i));
            Statistics.label("selected").collect(selected.get(i));
        }
        Statistics.label("selected").coverage(coverage -> coverage.check(true).count(count -> count > 20));
    }

    @Property
    void aNumericPredicateIsAcceptedExactlyWhenPostgresqlTakesTheDocumentTheStoreWouldSend(
            @ForAll("edgeNumbers") BigDecimal number) throws SQLException {
        String written;
        boolean accepted;
        try {
            written = documentOf(PayloadPredicate.eq("k", number));
            accepted = true;
        } catch (InvalidInputException refused) {
            written = "{\"k\":" + number + "}";
            accepted = false;
        }

        assertThat(askPostgres(List.of(written), List.of("{}")).get(0).valid())
                .as("PostgreSQL takes %s", written.length() > 80 ? written.substring(0, 80) + "..." : written)
                .isEqualTo(accepted);
    }

    @Property
    void aPayloadWithANumberAtTheEdgeOfNumericIsAcceptedExactlyWhenJsonbAcceptsIt(
            @ForAll("edgeSpellings") String number) throws SQLException {
        String payload = "{\"n\":" + number + "}";

        assertThat(apiAccepts(payload))
                .as("the API accepts %s", payload)
                .isEqualTo(askPostgres(List.of(payload), List.of("{}")).get(0).valid());
    }

    @Provide
    Arbitrary<String> edgeSpellings() {
        return Arbitraries.of(JsonSpellings.EDGE_NUMBERS);
    }

    @Provide
    Arbitrary<BigDecimal> edgeNumbers() {
        return Arbitraries.of(
                new BigDecimal("1E+131071"),
                new BigDecimal("-9.9E+131071"),
                new BigDecimal("1E+131072"),
                new BigDecimal("1E-16383"),
                new BigDecimal("1E-16384"),
                new BigDecimal("1.000E-16381"),
                new BigDecimal("0E-16383"),
                new BigDecimal("0E-16384"),
                new BigDecimal(BigInteger.ZERO, -1_073_741_823),
                new BigDecimal(BigInteger.ZERO, -1_073_741_824),
                new BigDecimal(BigInteger.ONE, -999_999_999));
    }

    /** The containment document the store sends for a one-predicate filter, exactly as it sends it. */
    private static String documentOf(PayloadPredicate predicate) {
        WhereClause where = WhereClause.of(Filter.anyOf(FilterItem.payload(predicate)), false);
        assertThat(where.sql()).isEqualTo("payload @> ?::jsonb");
        return (String) where.params().get(0);
    }

    private static boolean apiAccepts(String payload) {
        try {
            new Event("Differential", payload, "{}", NOON);
            return true;
        } catch (InvalidInputException refused) {
            return false;
        }
    }

    private static List<Verdict> askPostgres(List<String> payloads, List<String> documents) throws SQLException {
        String sql = "SELECT pg_input_is_valid(p, 'jsonb'),"
                + " CASE WHEN pg_input_is_valid(p, 'jsonb') THEN p::jsonb @> d::jsonb END,"
                + " CASE WHEN pg_input_is_valid(p, 'jsonb') THEN p::jsonb::text END"
                + " FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS pair(p, d, n) ORDER BY n";
        List<Verdict> verdicts = new ArrayList<>();
        try (Connection connection = TestDatabase.get().unpooled().getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", payloads.toArray()));
            statement.setArray(2, connection.createArrayOf("text", documents.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    boolean contains = rows.getBoolean(2);
                    verdicts.add(new Verdict(rows.getBoolean(1), rows.wasNull() ? null : contains, rows.getString(3)));
                }
            }
        }
        assertThat(verdicts).hasSameSizeAs(payloads);
        return verdicts;
    }

    /**
     * A payload's text and a predicate on it.
     *
     * @param payload the payload, as written
     * @param predicate the predicate's key and value
     */
    record Pair(String payload, PredicateSpec predicate) {}

    /**
     * An event's type and payload.
     *
     * @param type the event type
     * @param payload the payload, as written
     */
    record TypedPayload(String type, String payload) {}

    @Provide
    Arbitrary<List<Pair>> pairs() {
        return pair().list().ofMinSize(20).ofMaxSize(80);
    }

    /** A payload and, half the time, a predicate on one of its own scalar fields, else any predicate. */
    private static Arbitrary<Pair> pair() {
        return JsonSpellings.fields(true).flatMap(fields -> {
            String payload = JsonSpellings.object(fields);
            List<JsonSpellings.Field> usable = fields.stream()
                    .filter(InMemoryMatchingAgreesWithPostgresTest::canBeAPredicate)
                    .toList();
            Arbitrary<PredicateSpec> independent = predicateSpecs();
            if (usable.isEmpty()) {
                return independent.map(predicate -> new Pair(payload, predicate));
            }
            Arbitrary<PredicateSpec> onAField = Arbitraries.of(usable)
                    .flatMap(field -> Arbitraries.oneOf(javaForms(field.value()), neighbours(field.value()))
                            .map(value -> new PredicateSpec(field.key(), value)));
            return Arbitraries.oneOf(independent, onAField).map(predicate -> new Pair(payload, predicate));
        });
    }

    private static boolean canBeAPredicate(JsonSpellings.Field field) {
        boolean keyAllowed = field.key() != null
                && !field.key().isEmpty()
                && field.key().indexOf('\0') < 0
                && !Json.hasLoneSurrogate(field.key());
        if (!keyAllowed || field.value() == null) {
            return false;
        }
        return !(field.value() instanceof String text) || (text.indexOf('\0') < 0 && !Json.hasLoneSurrogate(text));
    }

    /**
     * @return values close to the given one that a careless matcher could take for it: the string
     *         in other Unicode normal forms or case, a number as a string, a boolean as a string, a
     *         number a little off
     */
    private static Arbitrary<Object> neighbours(Object value) {
        List<Object> close = new ArrayList<>();
        if (value instanceof String text) {
            close.add(Normalizer.normalize(text, Normalizer.Form.NFC));
            close.add(Normalizer.normalize(text, Normalizer.Form.NFD));
            close.add(text.toUpperCase(Locale.ROOT));
            close.add(text + " ");
        } else if (value instanceof BigDecimal number) {
            close.add(number.toPlainString());
            close.add(number.add(new BigDecimal("1E-40")));
            close.add(number.negate());
        } else {
            close.add(value.toString());
            close.add(!((Boolean) value));
        }
        return Arbitraries.of(close);
    }

    /** @return the value as the Java types a caller may give: numbers as BigDecimal, BigInteger, long, int, double */
    private static Arbitrary<Object> javaForms(Object value) {
        if (!(value instanceof BigDecimal number)) {
            return Arbitraries.just(value);
        }
        List<Object> forms = new ArrayList<>(List.of(number, number.setScale(Math.max(number.scale(), 0) + 2)));
        if (Double.isFinite(number.doubleValue())) {
            forms.add(number.doubleValue());
        }
        if (number.stripTrailingZeros().scale() <= 0) {
            forms.add(number.toBigInteger());
            if (number.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
                forms.add(number.longValueExact());
            }
            if (number.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) {
                forms.add(number.intValueExact());
            }
        }
        return Arbitraries.of(forms);
    }

    @Provide
    Arbitrary<List<TypedPayload>> events() {
        return Combinators.combine(Arbitraries.of("A", "B"), JsonSpellings.payloads(false))
                .as(TypedPayload::new)
                .list()
                .ofMinSize(10)
                .ofMaxSize(40);
    }

    @Provide
    Arbitrary<FilterItem> items() {
        Arbitrary<Set<String>> types = Arbitraries.of("A", "B").set().ofMaxSize(2);
        Arbitrary<List<PayloadPredicate>> predicates = predicateSpecs()
                .map(spec -> PayloadPredicate.eq(spec.key(), spec.value()))
                .list()
                .ofMaxSize(3);
        return Combinators.combine(types, Arbitraries.of(FilterItem.Match.class), predicates)
                .filter((eventTypes, match, list) -> !eventTypes.isEmpty() || !list.isEmpty())
                .as(FilterItem::new);
    }

    /** Predicates on the shared keys, with values of every Java type the API takes. */
    private static Arbitrary<PredicateSpec> predicateSpecs() {
        Arbitrary<Object> numbers = Arbitraries.of(JsonSpellings.NUMBERS).flatMap(number -> javaForms(number));
        Arbitrary<Object> values = Arbitraries.oneOf(
                JsonSpellings.strings(false).map(JsonSpellings.Spelled::value),
                numbers,
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE));
        return Combinators.combine(Arbitraries.of(JsonSpellings.KEYS), values).as(PredicateSpec::new);
    }
}
