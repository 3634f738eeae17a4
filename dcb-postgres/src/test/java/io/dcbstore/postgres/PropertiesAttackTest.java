package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.InvalidInputException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Review: values users write into properties, each test a defect (they fail on main). */
class PropertiesAttackTest {
    private static final String URL = "jdbc:postgresql://db/app";

    /** Setting NOTIFY_INTERVAL's description says "0 for none"; the record Javadoc says zero turns them off. */
    @Test
    void notifyIntervalZeroAsDocumentedIsAccepted() {
        assertThatCode(() -> PostgresStoreConfig.fromProperties(Map.of("dcb.notify-interval", "0"), "dcb."))
                .doesNotThrowAnyException();
    }

    /** Setting.defaultValue() is "for documentation and CLI help": writing it back must give the default. */
    @Test
    void everyDocumentedDefaultReadsBackAsTheDefault() {
        for (PostgresStoreConfig.Setting setting : PostgresStoreConfig.Setting.values()) {
            assertThatCode(() -> assertThat(PostgresStoreConfig.fromProperties(
                                    Map.of("dcb." + setting.kebabKey(), setting.defaultValue()), "dcb."))
                            .isEqualTo(PostgresStoreConfig.defaults()))
                    .as(setting.kebabKey() + "=" + setting.defaultValue())
                    .doesNotThrowAnyException();
        }
    }

    /** Overflow in the unit conversion escapes as ArithmeticException, losing the other problems. */
    @Test
    void aHugeDurationIsReportedAsAProblemNotAnArithmeticException() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("dcb.default-timeout", "9223372036854775807h");
        properties.put("dcb.stream-fetch-size", "many");
        assertThatThrownBy(() -> PostgresStoreConfig.fromProperties(properties, "dcb."))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dcb.default-timeout")
                .hasMessageContaining("dcb.stream-fetch-size");
    }

    /** Accepted, but every operation then computes System.nanoTime() + timeout.toNanos() (DatabaseCall). */
    @Test
    void aTimeoutNoOperationCanUseIsRefused() {
        assertThatThrownBy(
                        () -> PostgresStoreConfig.fromProperties(Map.of("dcb.default-timeout", "9999999999s"), "dcb."))
                .isInstanceOf(InvalidInputException.class);
    }

    /** JsonLimits' own InvalidInputException escapes the parser: no property name, other problems lost. */
    @Test
    void outOfRangeJsonLimitsAreReportedWithThePropertyAndTheOtherProblems() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("dcb.json-limits", "nesting=0,number=1,key=1");
        properties.put("dcb.stream-fetch-size", "many");
        assertThatThrownBy(() -> PostgresStoreConfig.fromProperties(properties, "dcb."))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dcb.json-limits")
                .hasMessageContaining("dcb.stream-fetch-size");
    }

    /** @throws says "naming every property that ... is out of range": range problems name the field only. */
    @Test
    void anOutOfRangeValueNamesThePropertyTheUserWrote() {
        assertThatThrownBy(() -> PostgresStoreConfig.fromProperties(Map.of("dcb.default-timeout", "0s"), "dcb."))
                .hasMessageContaining("dcb.default-timeout");
    }

    /** A libpq/Heroku-style DATABASE_URL pasted into dcb.url: the message carries the password. */
    @Test
    void aWrongPrimaryUrlDoesNotLeakThePassword() {
        assertThatThrownBy(() -> PostgresStoreConnector.fromProperties(
                        Map.of("dcb.url", "postgres://app:s3cret@db:5432/app"), "dcb."))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aWrongReplicaUrlDoesNotLeakThePassword() {
        assertThatThrownBy(() -> PostgresStoreConnector.fromProperties(
                        Map.of("dcb.url", URL, "dcb.replicas.r1.url", "postgresql://app:s3cret@replica/app"), "dcb."))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageNotContaining("s3cret");
    }

    /** "every missing, unknown or invalid property" together: url, pool size and replica checks come later, one at a time. */
    @Test
    void everyConnectorProblemIsReportedTogetherWithItsProperty() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("dcb.url", "postgres://db/app");
        properties.put("dcb.pool-size", "0");
        properties.put("dcb.replicas.r1.url", "postgres://replica/app");
        assertThatThrownBy(() -> PostgresStoreConnector.fromProperties(properties, "dcb."))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dcb.url")
                .hasMessageContaining("dcb.pool-size")
                .hasMessageContaining("dcb.replicas.r1.url");
    }

    /** Settings refuse camel+kebab duplicates; the connector's own pool size silently takes pool-size. */
    @Test
    void poolSizeGivenTwiceIsRefusedLikeTheSettings() {
        assertThatThrownBy(() -> PostgresStoreConnector.fromProperties(
                        Map.of("dcb.url", URL, "dcb.pool-size", "5", "dcb.poolSize", "50"), "dcb."))
                .isInstanceOf(InvalidInputException.class);
    }

    /** The builder refuses a replica named "primary" only in connect(), after both pools connected. */
    @Test
    void aReplicaNamedPrimaryIsRefusedByFromProperties() {
        assertThatThrownBy(() -> PostgresStoreConnector.fromProperties(
                        Map.of("dcb.url", URL, "dcb.replicas.primary.url", "jdbc:postgresql://replica/app"), "dcb."))
                .isInstanceOf(InvalidInputException.class);
    }

    /** Prefix "dcb" (no dot) with keys written dcb.url: every key refused, and "dcburl is missing". */
    @Test
    void aPrefixWithoutTheDotIsUnderstoodOrRefusedClearly() {
        Map<String, String> properties = Map.of("dcb.url", URL, "dcb.default-timeout", "2s");
        assertThatCode(() -> PostgresStoreConnector.fromProperties(properties, "dcb"))
                .doesNotThrowAnyException();
    }

    /** An empty prefix would make every unrelated property (java.version...) an unknown key: refused in one clear sentence. */
    @Test
    void anEmptyPrefixIsRefusedInOneSentenceInsteadOfOneProblemPerUnrelatedProperty() {
        Map<String, String> properties = new HashMap<>();
        System.getProperties().forEach((key, value) -> properties.put(key.toString(), value.toString()));
        properties.put("url", URL);
        assertThatThrownBy(() -> PostgresStoreConnector.fromProperties(properties, ""))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.problems()).singleElement().asString().contains("non-empty prefix"));
    }

    /** Settings are trimmed; the URL and user are not (a trailing newline from a secret file). */
    @Test
    void theUrlIsTrimmedLikeTheSettings() {
        assertThatCode(() -> PostgresStoreConnector.fromProperties(Map.of("dcb.url", " " + URL + "\n"), "dcb."))
                .doesNotThrowAnyException();
    }

    /** What held up (passes on main). */
    @Test
    void heldUp() {
        PostgresStoreConfig config = PostgresStoreConfig.fromProperties(
                Map.of(
                        "dcb.default-timeout",
                        " 2S ",
                        "dcb.snapshot-timeout",
                        "PT1.5S",
                        "dcb.create-schema",
                        "TRUE",
                        "dcb.maxReplicaLag",
                        "500 ms"),
                "dcb.");
        assertThat(config.defaultTimeout()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(config.snapshotTimeout()).isEqualTo(java.time.Duration.ofMillis(1500));
        assertThat(config.maxReplicaLag()).isEqualTo(java.time.Duration.ofMillis(500));
        for (String bad : new String[] {"1.5s", "-1s", "PT-1S", "", "2 sec", "2147483648"}) {
            assertThatThrownBy(() -> PostgresStoreConfig.fromProperties(
                            Map.of("dcb.default-timeout", bad, "dcb.stream-fetch-size", "2147483648"), "dcb."))
                    .as(bad)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("stream-fetch-size");
        }
        assertThatThrownBy(() -> PostgresStoreConfig.fromProperties(
                        Map.of("dcb.default-timeout", "1s", "dcb.defaultTimeout", "2s"), "dcb."))
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> PostgresStoreConnector.fromProperties(
                        Map.of("dcb.url", URL, "dcb.password", "s3cret", "dcb.pasword", "s3cret"), "dcb."))
                .hasMessageContaining("dcb.pasword")
                .hasMessageNotContaining("s3cret");
    }
}
