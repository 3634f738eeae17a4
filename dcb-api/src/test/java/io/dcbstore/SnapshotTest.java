package io.dcbstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Snapshot}: validation. */
class SnapshotTest {
    private static final String HASH = "0123456789abcdef".repeat(4);
    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");

    @Test
    void ofKeysTheSnapshotByTheFilterHash() {
        Filter filter = Filter.anyOf(FilterItem.types("BookLent"));

        Snapshot snapshot = Snapshot.of("LoanCount", filter, 12, "{\"count\":3}");

        assertThat(snapshot.filterHash()).isEqualTo(filter.hash());
        assertThat(snapshot.sequenceNumber()).isEqualTo(12);
        assertThat(snapshot.savedAt()).isNotNull();
    }

    @Test
    void aSnapshotWithoutSavedAtAndAtSequenceNumberZeroIsAccepted() {
        Snapshot snapshot = new Snapshot("LoanCount", HASH, 0, "{}", null);

        assertThat(snapshot.savedAt()).isNull();
        assertThat(snapshot.sequenceNumber()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1Projection", "has space", "Ünicode"})
    void anInvalidProjectionTypeIsRejected(String projectionType) {
        assertThatThrownBy(() -> new Snapshot(projectionType, HASH, 1, "{}", NOON))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("projection type must match " + Event.TYPE_PATTERN.pattern());
    }

    @Test
    void aNullProjectionTypeIsRejected() {
        assertThatThrownBy(() -> new Snapshot(null, HASH, 1, "{}", NOON))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("projection type");
    }

    @Test
    void aFilterHashThatIsNotSixtyFourLowercaseHexCharactersIsRejected() {
        for (String hash :
                new String[] {null, "", HASH.substring(1), HASH + "0", HASH.toUpperCase(), "g" + HASH.substring(1)}) {
            assertThatThrownBy(() -> new Snapshot("LoanCount", hash, 1, "{}", NOON))
                    .as("hash %s", hash)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("filter hash must be 64 lowercase hex characters");
        }
    }

    @Test
    void aNegativeSequenceNumberIsRejected() {
        assertThatThrownBy(() -> new Snapshot("LoanCount", HASH, -1, "{}", NOON))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("snapshot sequence number must not be negative");
    }

    @Test
    void aStateThatIsNotAJsonObjectIsRejected() {
        assertThatThrownBy(() -> new Snapshot("LoanCount", HASH, 1, "[]", NOON))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("snapshot state must be a JSON object, got an array");
        assertThatThrownBy(() -> new Snapshot("LoanCount", HASH, 1, null, NOON))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("snapshot state must not be null");
        assertThatThrownBy(() -> new Snapshot("LoanCount", HASH, 1, "{\"a\":\"\\u0000\"}", NOON))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("NUL character");
    }

    @Test
    void everyProblemOfASnapshotIsReportedAtOnce() {
        InvalidInputException error =
                catchThrowableOfType(InvalidInputException.class, () -> new Snapshot("", "nope", -1, "[]", NOON));

        assertThat(error.problems()).hasSize(4);
    }
}
