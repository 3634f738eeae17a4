package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.EventStore;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.Snapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshots are kept per projection type and filter hash: what wins at an equal sequence number
 * ({@link EventStore#saveSnapshot}: saved "unless one with a higher sequence number is already
 * saved", so the later save of an equal one replaces it), and what a delete leaves.
 */
class SnapshotKeysTest {
    private final EventStore store = StoreFixture.newStore(2, PostgresStoreConfig.defaults());
    private final Filter books = Filter.anyOf(FilterItem.types("BookAdded"));

    @AfterEach
    void closeStore() {
        store.close();
    }

    private String stateOf(String projectionType) {
        return store.loadSnapshot(projectionType, books.hash()).orElseThrow().state();
    }

    @Test
    void aSnapshotSavedAtAnEqualSequenceNumberReplacesTheSavedOne() {
        assertThat(store.saveSnapshot(Snapshot.of("count.v1", books, 7, "{\"count\": 1}")))
                .isTrue();

        assertThat(store.saveSnapshot(Snapshot.of("count.v1", books, 7, "{\"count\": 2}")))
                .as("an equal sequence number is not a higher one: this save wins")
                .isTrue();
        assertThat(stateOf("count.v1")).isEqualTo("{\"count\": 2}");
        assertThat(store.loadSnapshot("count.v1", books.hash()).orElseThrow().sequenceNumber())
                .isEqualTo(7);
    }

    @Test
    void deletingASnapshotThatIsNotSavedReturnsFalse() {
        assertThat(store.deleteSnapshot("never.v1", books.hash())).isFalse();

        store.saveSnapshot(Snapshot.of("once.v1", books, 3, "{}"));
        assertThat(store.deleteSnapshot("once.v1", books.hash())).isTrue();
        assertThat(store.deleteSnapshot("once.v1", books.hash()))
                .as("deleted already")
                .isFalse();
    }

    @Test
    void twoProjectionTypesWithTheSameFilterAreKeptApart() {
        store.saveSnapshot(Snapshot.of("count.v1", books, 10, "{\"count\": 10}"));
        store.saveSnapshot(Snapshot.of("titles.v1", books, 4, "{\"titles\": []}"));

        assertThat(store.saveSnapshot(Snapshot.of("titles.v1", books, 5, "{\"titles\": [\"Dune\"]}")))
                .as("the other type's higher sequence number does not stand in the way")
                .isTrue();
        assertThat(stateOf("count.v1")).isEqualTo("{\"count\": 10}");
        assertThat(stateOf("titles.v1")).isEqualTo("{\"titles\": [\"Dune\"]}");

        assertThat(store.deleteSnapshot("titles.v1", books.hash())).isTrue();
        assertThat(store.loadSnapshot("titles.v1", books.hash())).isEmpty();
        assertThat(stateOf("count.v1")).as("left by the other type's delete").isEqualTo("{\"count\": 10}");
    }

    @Test
    void loadingAfterADeleteFindsNothingAndALowerSequenceNumberCanBeSavedAgain() {
        store.saveSnapshot(Snapshot.of("count.v1", books, 9, "{\"count\": 9}"));
        assertThat(store.deleteSnapshot("count.v1", books.hash())).isTrue();

        assertThat(store.loadSnapshot("count.v1", books.hash())).isEmpty();
        assertThat(store.saveSnapshot(Snapshot.of("count.v1", books, 2, "{\"count\": 2}")))
                .as("nothing higher is saved any more")
                .isTrue();
        assertThat(stateOf("count.v1")).isEqualTo("{\"count\": 2}");
    }
}
