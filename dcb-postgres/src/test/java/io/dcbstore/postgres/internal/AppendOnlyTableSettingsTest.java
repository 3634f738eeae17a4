package io.dcbstore.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.testkit.TestDatabase;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The events table is created with the storage settings of an append-only log that grows to tens
 * of millions of rows (docs/performance.md, issue 17): autovacuum freezes appended rows on its
 * first visit, so no aggressive vacuum has to read and freeze the whole history later.
 */
class AppendOnlyTableSettingsTest {

    @Test
    void theEventsTableIsCreatedSoThatAutovacuumFreezesAppendedRowsOnItsFirstVisit() throws Exception {
        String table = TestDatabase.uniqueName("frozen");
        try (HikariDataSource pool = TestDatabase.get().newPool(table, 2);
                PostgresEventStore store = PostgresEventStore.create(
                        pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap"))) {
            List<String> options = reloptions(pool, table);

            assertThat(options)
                    .contains(
                            "autovacuum_freeze_min_age=0",
                            "fillfactor=100",
                            "autovacuum_vacuum_insert_scale_factor=0.2",
                            "autovacuum_vacuum_insert_threshold=50000");
            assertThat(store.config().eventsTable()).isEqualTo(table);
        }
    }

    private static List<String> reloptions(HikariDataSource pool, String table) throws Exception {
        try (Connection connection = pool.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT reloptions FROM pg_class WHERE oid = ?::regclass")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                Array array = rows.getArray(1);
                return List.of((String[]) array.getArray());
            }
        }
    }
}
