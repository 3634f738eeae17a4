package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.InvalidInputException;
import io.dcbstore.JsonLimits;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The configuration's catalogue of settings and its derived copies. */
class PostgresStoreConfigTest {

    @Test
    void theCatalogueNamesEveryFieldOnceAndReadsItsDefaultFromTheDefaults() {
        assertThat(Arrays.stream(PostgresStoreConfig.Setting.values()).map(PostgresStoreConfig.Setting::key))
                .containsExactlyElementsOf(Arrays.stream(PostgresStoreConfig.class.getRecordComponents())
                        .map(RecordComponent::getName)
                        .toList());
        assertThat(PostgresStoreConfig.Setting.DEFAULT_TIMEOUT.defaultValue()).isEqualTo("PT5S");
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
}
