package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.InvalidInputException;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.StoredEvent;
import io.dcbstore.internal.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile input through event types, payload keys and values, and filter values: everything is
 * stored and matched literally, or refused with a typed error before any SQL, and nothing else
 * happens (no other event matches, nothing is written by a refused append).
 */
class InjectionCorpusTest {
    /** The API's own reader: PostgreSQL's nesting limit, not Jackson's default of 1,000 levels. */

    /** Strings that mean something to SQL, to JSON, to regular expressions, to LIKE, or to a shell. */
    private static final List<String> STRINGS = List.of(
            "'",
            "''",
            "\"",
            "\\",
            "\\\\",
            "\\\"",
            "$$",
            "$tag$ x $tag$",
            "'; DROP TABLE events; --",
            "' OR '1'='1",
            "\") OR true --",
            "$1",
            "?",
            ":name",
            "%",
            "_",
            "*",
            ".*",
            "\\u0041",
            "\\u0000",
            "{\"Key\": \"x\"}",
            "[1,2]",
            "null",
            "true",
            "1",
            "é",
            "e\u0301",
            "日本語",
            "😀",
            "\u2028\u2029",
            "\t\n\r",
            "<script>alert(1)</script>",
            "a".repeat(100_000));

    private final StoreFixture.ClosingStore store =
            (StoreFixture.ClosingStore) StoreFixture.newStore(3, PostgresStoreConfig.defaults());

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static Filter keyEquals(String key, Object value) {
        return Filter.anyOf(FilterItem.types("Note").allOf(PayloadPredicate.eq(key, value)));
    }

    private static JsonNode payloadOf(StoredEvent event) throws Exception {
        return Json.parseObject("payload", event.payload());
    }

    @Test
    void everyHostileStringIsStoredAndMatchedLiterallyAndMatchesNothingElse() throws Exception {
        for (int i = 0; i < STRINGS.size(); i++) {
            store.append(Event.of("Note", Map.of("Key", STRINGS.get(i), "Index", i)));
        }
        for (int i = 0; i < STRINGS.size(); i++) {
            List<StoredEvent> found =
                    store.query(keyEquals("Key", STRINGS.get(i))).events();
            assertThat(found).as("events matching string %d", i).hasSize(1);
            assertThat(payloadOf(found.get(0)).get("Index").asInt()).isEqualTo(i);
            assertThat(payloadOf(found.get(0)).get("Key").asText()).isEqualTo(STRINGS.get(i));
        }
        assertThat(store.query(Filter.matchAll()).events()).hasSize(STRINGS.size());
    }

    @Test
    void hostileKeysAreMatchedLiterally() throws Exception {
        List<String> keys = List.of("'", "\"", "\\", "$$", "a b", "a.b", "a->b", "{x}", "é", "😀", "Key'); --");
        for (String key : keys) {
            store.append(Event.of("Note", Map.of(key, "v", "Which", key)));
        }
        for (String key : keys) {
            List<StoredEvent> found = store.query(keyEquals(key, "v")).events();
            assertThat(found).as("events with key %s", key).hasSize(1);
            assertThat(payloadOf(found.get(0)).get("Which").asText()).isEqualTo(key);
        }
    }

    @Test
    void aNulCharacterIsRefusedWithATypedErrorAndNothingIsWritten() {
        assertThatThrownBy(() -> store.append(Event.of("Note", Map.of("Key", "a\u0000b"))))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> store.append(Event.of("Note", "{\"Key\": \"a\\u0000b\"}")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> store.append(
                        Event.of("Note", Map.of("Key", "fine")), Event.of("Note", Map.of("K\u0000ey", "v"))))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> store.query(keyEquals("Key", "a\u0000b"))).isInstanceOf(InvalidInputException.class);
        assertThat(store.query(Filter.matchAll()).events()).isEmpty();
    }

    @Test
    void eventTypesOutsideTheirAlphabetAreRefusedAndTheValidOnesAreMatchedExactly() {
        List<String> refused = List.of(
                "",
                " ",
                "Note ",
                "No te",
                "Note'",
                "Note\"",
                "Note;",
                "1Note",
                "_Note",
                "Nöte",
                "Note\u0000",
                "Note)",
                "N".repeat(201));
        for (String type : refused) {
            assertThatThrownBy(() -> store.append(Event.of(type, "{}")))
                    .as("type %s", type)
                    .isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> FilterItem.types(type)).isInstanceOf(InvalidInputException.class);
        }
        List<String> accepted = List.of("N", "Note.v2", "a:b", "a-b_c", "Note--", "Note" + "x".repeat(196));
        for (String type : accepted) {
            store.append(Event.of(type, "{}"));
        }
        for (String type : accepted) {
            assertThat(store.query(Filter.anyOf(FilterItem.types(type))).events())
                    .as("events of type %s", type)
                    .singleElement()
                    .extracting(StoredEvent::type)
                    .isEqualTo(type);
        }
        assertThat(store.query(Filter.matchAll()).events()).hasSize(accepted.size());
    }

    @Test
    void everySpellingOfANumberMatchesTheSameNumberAndNoOther() {
        Map<String, BigDecimal> spellings = new LinkedHashMap<>();
        for (String one : List.of("1", "1.0", "1.00", "1e0", "1E+0", "10e-1", "0.1e1", "100E-2")) {
            spellings.put(one, BigDecimal.ONE);
        }
        for (String zero : List.of("0", "-0", "0.0", "0e10", "-0.0e-5")) {
            spellings.put(zero, BigDecimal.ZERO);
        }
        spellings.put("123456789012345678901234567890.5", new BigDecimal("123456789012345678901234567890.5"));
        spellings.put("1e-20", new BigDecimal("1e-20"));
        spellings.put("1.000000000000000000001", new BigDecimal("1.000000000000000000001"));
        for (String spelling : spellings.keySet()) {
            store.append(Event.of("Note", "{\"Num\": " + spelling + "}"));
        }
        Map<BigDecimal, Integer> expected = new LinkedHashMap<>();
        spellings.values().forEach(value -> expected.merge(value.stripTrailingZeros(), 1, Integer::sum));
        for (Map.Entry<BigDecimal, Integer> number : expected.entrySet()) {
            List<Object> asked = new ArrayList<>(List.of(number.getKey()));
            if (number.getKey().scale() <= 0 && number.getKey().abs().compareTo(BigDecimal.TEN.pow(15)) < 0) {
                asked.add(number.getKey().longValueExact());
                asked.add(number.getKey().doubleValue());
            }
            for (Object value : asked) {
                assertThat(store.query(keyEquals("Num", value)).events())
                        .as(
                                "events with Num equal to %s (%s)",
                                value, value.getClass().getSimpleName())
                        .hasSize(number.getValue());
            }
        }
        assertThat(store.query(keyEquals("Num", "1")).events())
                .as("the string \"1\" is not the number 1")
                .isEmpty();
    }

    @Test
    void deeplyNestedAndLongValuesAreStoredWhole() throws Exception {
        String nested = "[".repeat(2_000) + "\"deep\"" + "]".repeat(2_000);
        store.append(Event.of("Note", "{\"Key\": \"nested\", \"Tree\": " + nested + "}"));
        StoredEvent stored = store.query(keyEquals("Key", "nested")).events().get(0);
        JsonNode tree = payloadOf(stored).get("Tree");
        int depth = 0;
        while (tree.isArray()) {
            tree = tree.get(0);
            depth++;
        }
        assertThat(depth).isEqualTo(2_000);
        assertThat(tree.asText()).isEqualTo("deep");
    }
}
