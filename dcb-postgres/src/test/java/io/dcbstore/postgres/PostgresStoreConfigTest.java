package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.InvalidInputException;
import io.dcbstore.JsonLimits;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration's catalogue of settings and its derived copies. */
class PostgresStoreConfigTest {

    @Test
    void theCatalogueNamesEveryFieldOnceAndReadsItsDefaultFromTheDefaults() {
        assertThat(Arrays.stream(PostgresStoreConfig.Setting.values()).map(PostgresStoreConfig.Setting::key))
                .containsExactlyElementsOf(Arrays.stream(PostgresStoreConfig.class.getRecordComponents())
                        .map(RecordComponent::getName)
                        .toList());
        assertThat(PostgresStoreConfig.Setting.DEFAULT_TIMEOUT.defaultValue()).isEqualTo("5s");
        assertThat(PostgresStoreConfig.Setting.EVENTS_TABLE.defaultValue()).isEqualTo("events");
    }

    @Test
    void aDerivedCopyChangesOnlyWhatItNamesAndIsValidatedLikeAnyConfiguration() {
        PostgresStoreConfig base = PostgresStoreConfig.defaults().withDefaultTimeout(Duration.ofSeconds(9));
        PostgresStoreConfig copy = base.withTables("ev", "ev_snap").withJsonLimits(new JsonLimits(5, 6, 7));
        for (PostgresStoreConfig.Setting setting : PostgresStoreConfig.Setting.values()) {
            switch (setting) {
                case EVENTS_TABLE -> assertThat(copy.eventsTable()).isEqualTo("ev");
                case SNAPSHOTS_TABLE -> assertThat(copy.snapshotsTable()).isEqualTo("ev_snap");
                case JSON_LIMITS -> assertThat(copy.jsonLimits()).isEqualTo(new JsonLimits(5, 6, 7));
                default -> assertThat(setting.valueIn(copy)).as(setting.key()).isEqualTo(setting.valueIn(base));
            }
        }
        assertThatThrownBy(() -> base.withTables("Bad Name", "ev").withStreamFetchSize(0))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("eventsTable");
    }

    @Test
    void indexedKeysAreSortedWithoutDuplicatesAndEveryInvalidOneIsNamed() {
        assertThat(PostgresStoreConfig.defaults().indexedKeys()).isEmpty();
        assertThat(PostgresStoreConfig.defaults()
                        .withIndexedKeys("ReaderID", "BookID", "ReaderID")
                        .indexedKeys())
                .containsExactly("BookID", "ReaderID");
        assertThatThrownBy(() ->
                        PostgresStoreConfig.defaults().withIndexedKeys("Book ID", "x'y", null, "A23456789012345678901"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("got 'Book ID'")
                .hasMessageContaining("got 'x'y'")
                .hasMessageContaining("got 'null'")
                .hasMessageContaining("got 'A23456789012345678901'");
        assertThatThrownBy(() ->
                        PostgresStoreConfig.defaults().withIndexedKeys("a", "b", "c", "d", "e", "f", "g", "h", "i"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at most 8 indexed keys");
        assertThatThrownBy(() -> PostgresStoreConfig.defaults().withIndexedKeys((String[]) null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("indexedKeys must not be null");
        assertThat(PostgresStoreConfig.Setting.INDEXED_KEYS.defaultValue()).isEmpty();
    }

    @Test
    void everySettingIsReadFromPropertiesInCamelOrKebabCaseAndTheOthersKeepTheirDefaults() {
        Map<String, String> properties = new HashMap<>();
        properties.put("dcb.events-table", "my_events");
        properties.put("dcb.snapshotsTable", "my_snapshots");
        properties.put("dcb.max-payload-bytes", "2048");
        properties.put("dcb.default-timeout", "1500ms");
        properties.put("dcb.stream-fetch-size", "50");
        properties.put("dcb.create-schema", "false");
        properties.put("dcb.max-replica-lag", "3s");
        properties.put("dcb.read-your-writes-wait", "PT0.5S");
        properties.put("dcb.health-check-interval", "1m");
        properties.put("dcb.snapshot-timeout", "1h");
        properties.put("dcb.json-limits", "nesting=10,number=20,key=30");
        properties.put("dcb.notify-interval", "0ms");
        properties.put("dcb.indexed-keys", "ReaderID, BookID");
        properties.put("other.default-timeout", "9s");

        PostgresStoreConfig config = PostgresStoreConfig.fromProperties(properties, "dcb.");

        assertThat(config)
                .isEqualTo(new PostgresStoreConfig(
                        "my_events",
                        "my_snapshots",
                        2048,
                        Duration.ofMillis(1500),
                        50,
                        false,
                        Duration.ofSeconds(3),
                        Duration.ofMillis(500),
                        Duration.ofMinutes(1),
                        Duration.ofHours(1),
                        new JsonLimits(10, 20, 30),
                        Duration.ZERO,
                        List.of("BookID", "ReaderID")));
        assertThat(properties.keySet().stream().filter(key -> key.startsWith("dcb.")))
                .as("the test sets every setting of the catalogue")
                .hasSize(PostgresStoreConfig.Setting.values().length);
        assertThat(PostgresStoreConfig.fromProperties(Map.of(), "dcb.")).isEqualTo(PostgresStoreConfig.defaults());
    }

    @Test
    void everyPropertyThatCannotBeReadIsReportedTogetherNamingItsKey() {
        Map<String, String> properties = Map.of(
                "dcb.default-timeout", "5",
                "dcb.stream-fetch-size", "many",
                "dcb.create-schema", "yes",
                "dcb.json-limits", "deep",
                "dcb.eventsTable", "a",
                "dcb.events-table", "b");

        assertThatThrownBy(() -> PostgresStoreConfig.fromProperties(properties, "dcb."))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.problems())
                                .hasSize(5)
                                .anySatisfy(problem ->
                                        assertThat(problem).startsWith("dcb.default-timeout: expected a duration"))
                                .anySatisfy(problem ->
                                        assertThat(problem).startsWith("dcb.stream-fetch-size: expected a whole"))
                                .anySatisfy(problem ->
                                        assertThat(problem).startsWith("dcb.create-schema: expected true or"))
                                .anySatisfy(problem ->
                                        assertThat(problem).startsWith("dcb.json-limits: expected postgresql"))
                                .anySatisfy(problem -> assertThat(problem).contains("given twice")));
    }

    @Test
    void valuesThatParseButBreakTheRulesAreRefusedByTheSameValidationAsInCode() {
        assertThatThrownBy(() -> PostgresStoreConfig.fromProperties(
                        Map.of("dcb.events-table", "Events; DROP TABLE x", "dcb.stream-fetch-size", "0"), "dcb."))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.problems())
                                .hasSize(2)
                                .anySatisfy(problem -> assertThat(problem).startsWith("dcb.events-table must match"))
                                .anySatisfy(problem ->
                                        assertThat(problem).startsWith("dcb.stream-fetch-size must be positive")));
    }

    @Test
    void aConnectorFromPropertiesRefusesUnknownKeysUnderItsPrefixAndAMissingUrlBeforeConnecting() {
        Map<String, String> properties = Map.of(
                "dcb.user", "app",
                "dcb.defualt-timeout", "2s",
                "dcb.pool-size", "zero",
                "dcb.replicas.r1.url", "jdbc:postgresql://replica/app",
                "spring.datasource.url", "ignored");

        assertThatThrownBy(() -> PostgresStoreConnector.fromProperties(properties, "dcb."))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.problems())
                                .hasSize(3)
                                .anySatisfy(problem ->
                                        assertThat(problem).startsWith("unknown property dcb.defualt-timeout"))
                                .anySatisfy(problem -> assertThat(problem).startsWith("dcb.url is missing"))
                                .anySatisfy(
                                        problem -> assertThat(problem).startsWith("dcb.pool-size: expected a whole")));
        assertThatThrownBy(() -> PostgresStoreConnector.fromProperties(
                        Map.of("dcb.url", "jdbc:postgresql://db/app", "dcb.replicas.r1.url", "http://replica"), "dcb."))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dcb.replicas.r1.url must start with jdbc:postgresql:");
    }
}
