package io.dcbstore.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.Event;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The plans of the store's statements stay sound when the table's statistics are out of date. */
class PlansTest {
    private String table;
    private HikariDataSource pool;
    private PostgresEventStore store;

    @BeforeEach
    void createStore() {
        table = TestDatabase.uniqueName("plans");
        pool = TestDatabase.get().newPool(table, 2);
        store = PostgresEventStore.create(pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap"));
    }

    @AfterEach
    void closeStore() {
        store.close();
        pool.close();
    }

    @Test
    void lookingUpAResentAppendProbesTheIdIndexEvenWhenTheStatisticsSayItIsEmpty() throws SQLException {
        execute("ALTER TABLE " + table + " SET (autovacuum_enabled = off)");
        for (int batch = 0; batch < 4; batch++) {
            store.append(events(500, false)); // a log seeded without ids...
        }
        execute("ANALYZE " + table);
        for (int batch = 0; batch < 6; batch++) {
            store.append(events(500, true)); // ...then appended to with ids, not analyzed since
        }

        List<String> plan = explainAnalyze(
                new Statements(table, table + "_snap").storedUnderIds(), UUID.randomUUID(), UUID.randomUUID());

        assertThat(String.join("\n", plan))
                .as("one index probe per id, not a scan of every id for each")
                .contains("Index Cond: (event_id = x.i)")
                .doesNotContain("Rows Removed by Join Filter");
    }

    private static Event[] events(int count, boolean withIds) {
        Event[] events = new Event[count];
        for (int i = 0; i < count; i++) {
            Event event = Event.of("Planned", Map.of("n", i));
            events[i] = withIds ? event.withId(UUID.randomUUID()) : event;
        }
        return events;
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private List<String> explainAnalyze(String sql, UUID... ids) throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement("EXPLAIN (ANALYZE, COSTS OFF) " + sql)) {
            statement.setArray(1, connection.createArrayOf("uuid", ids));
            statement.setArray(2, connection.createArrayOf("text", new String[] {"Planned", "Planned"}));
            statement.setArray(3, connection.createArrayOf("text", new String[] {"{}", "{}"}));
            List<String> lines = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    lines.add(rows.getString(1));
                }
            }
            return lines;
        }
    }
}
