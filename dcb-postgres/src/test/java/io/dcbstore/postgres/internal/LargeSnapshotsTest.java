package io.dcbstore.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.Snapshot;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshots of states larger than a jsonb value may be (255 MB): the library's state of 2,000,000
 * book copies is about 480 MB of JSON, and its save failed with "total size of jsonb object
 * elements exceeds the maximum", so every start replayed the whole log (15 minutes at 50M events).
 */
class LargeSnapshotsTest {
    private static final Filter BOOKS = Filter.anyOf(FilterItem.types("BookAdded"));

    private String table;
    private HikariDataSource pool;
    private PostgresEventStore store;

    @BeforeEach
    void openStore() {
        table = TestDatabase.uniqueName("bigsnap");
        pool = TestDatabase.get().newPool(table, 2);
        store = PostgresEventStore.create(pool, config());
    }

    private PostgresStoreConfig config() {
        return PostgresStoreConfig.defaults()
                .withTables(table, table + "_snap")
                .withSnapshotTimeout(Duration.ofMinutes(2));
    }

    @AfterEach
    void closeStore() {
        store.close();
        pool.close();
    }

    /** About 280 MB of JSON: more than jsonb's 268,435,455 bytes. */
    private static String stateLargerThanJsonbAllows() {
        int entries = 1_250_000;
        StringBuilder json = new StringBuilder(entries * 230).append("{\"books\":{");
        for (int i = 0; i < entries; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("\"book-")
                    .append(i)
                    .append("\":{\"bookId\":\"book-")
                    .append(i)
                    .append("\",\"details\":{\"isbn\":\"978-")
                    .append(1_000_000_000L + i)
                    .append("\",\"title\":\"Title ")
                    .append(i)
                    .append("\",\"authors\":\"Author ")
                    .append(i % 5000)
                    .append("\",\"edition\":\"2\",\"publisher\":\"Publisher ")
                    .append(i % 200)
                    .append("\",\"publicationYear\":1999},\"addedAt\":\"2026-11-05T07:42:37.123Z\",\"lent\":false}");
        }
        return json.append("}}").toString();
    }

    @Test
    void aStateLargerThanAJsonbValueMayBeIsSavedCompressedAndLoadedExactly() throws Exception {
        String state = stateLargerThanJsonbAllows();
        assertThat(state.length()).isGreaterThan(268_435_455);

        assertThat(store.saveSnapshot(Snapshot.of("books.v1", BOOKS, 42, state)))
                .isTrue();
        Optional<Snapshot> loaded = store.loadSnapshot("books.v1", BOOKS.hash());

        assertThat(loaded).isPresent();
        assertThat(loaded.get().sequenceNumber()).isEqualTo(42);
        assertThat(loaded.get().state().length()).isEqualTo(state.length());
        assertThat(loaded.get().state()).isEqualTo(state);
        assertThat(storedAs("books.v1")).isEqualTo("compressed");
    }

    @Test
    void aSmallStateStaysReadableJsonbAndALargerOneReplacesItCompressed() throws Exception {
        store.saveSnapshot(Snapshot.of("books.v1", BOOKS, 1, "{\"books\":{}}"));
        assertThat(storedAs("books.v1")).isEqualTo("jsonb");

        String large = "{\"k\":\"" + "x".repeat(SnapshotCompression.COMPRESS_FROM_CHARS) + "\"}";
        store.saveSnapshot(Snapshot.of("books.v1", BOOKS, 2, large));

        assertThat(storedAs("books.v1")).isEqualTo("compressed");
        assertThat(store.loadSnapshot("books.v1", BOOKS.hash()).orElseThrow().state())
                .isEqualTo(large);
        store.saveSnapshot(Snapshot.of("books.v1", BOOKS, 3, "{\"books\":{\"b\":1}}"));
        assertThat(storedAs("books.v1")).isEqualTo("jsonb");
        assertThat(store.loadSnapshot("books.v1", BOOKS.hash()).orElseThrow().state())
                .isEqualTo("{\"books\": {\"b\": 1}}");
    }

    @Test
    void aSnapshotsTableOfSchemaFourIsUpgradedAndItsSnapshotsStillLoad() throws Exception {
        store.saveSnapshot(Snapshot.of("books.v1", BOOKS, 7, "{\"old\":true}"));
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            // The table as schema 4 made it, and the version mark of schema 4.
            statement.execute("ALTER TABLE " + table + "_snap DROP CONSTRAINT " + table + "_snap_one_state");
            statement.execute("ALTER TABLE " + table + "_snap DROP COLUMN state_gzip");
            statement.execute("ALTER TABLE " + table + "_snap ALTER COLUMN state SET NOT NULL");
            statement.execute("ALTER TABLE " + table + " RESET (autovacuum_freeze_min_age)");
            statement.execute(
                    "COMMENT ON FUNCTION " + table + "_safe_mark(bigint[], bigint[], bigint[]) IS 'dcb schema 4'");
        }
        store.close();

        store = PostgresEventStore.create(pool, config());

        assertThat(store.loadSnapshot("books.v1", BOOKS.hash()).orElseThrow().state())
                .isEqualTo("{\"old\": true}");
        String large = "{\"k\":\"" + "y".repeat(SnapshotCompression.COMPRESS_FROM_CHARS) + "\"}";
        assertThat(store.saveSnapshot(Snapshot.of("books.v1", BOOKS, 8, large))).isTrue();
        assertThat(store.loadSnapshot("books.v1", BOOKS.hash()).orElseThrow().state())
                .isEqualTo(large);
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = ?::regclass")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                assertThat(rows.getString(1)).contains("autovacuum_freeze_min_age=0");
            }
        }
    }

    private String storedAs(String projectionType) throws Exception {
        try (Connection connection = pool.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT state IS NOT NULL, state_gzip IS NOT NULL FROM " + table
                                + "_snap WHERE projection_type = ?")) {
            statement.setString(1, projectionType);
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                boolean json = rows.getBoolean(1);
                boolean compressed = rows.getBoolean(2);
                assertThat(json).isNotEqualTo(compressed);
                return json ? "jsonb" : "compressed";
            }
        }
    }
}
