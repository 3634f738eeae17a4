package io.dcbstore.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.PayloadPredicate;
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

    @Test
    void aSubscriptionPageOfARareBoundaryIsPlannedWithItsValuesAndReadsTheGinIndexNotTheWholeWindow()
            throws SQLException {
        execute("INSERT INTO " + table + " (event_type, payload, occurred_at)"
                + " SELECT 'Tick', jsonb_build_object('id', 'n' || g), now() FROM generate_series(1, 150000) AS g");
        store.append(Event.of("Tick", Map.of("id", "x"))); // a common type, a rare value
        execute("ANALYZE " + table);
        WhereClause where =
                WhereClause.of(Filter.anyOf(FilterItem.types("Tick").allOf(PayloadPredicate.eq("id", "x"))), true);
        String[] pipeline =
                new Statements(table, table + "_snap").readPage(where).split(";\n");
        String page = pipeline[pipeline.length - 1];

        String asRead = String.join("\n", explainPage(page, where, Statements.PAGE_PLAN_CACHE_MODE));
        String generic = String.join("\n", explainPage(page, where, "force_generic_plan"));

        assertThat(asRead)
                .as("the page as the store plans it: the GIN index, not a walk of the window's primary key")
                .contains(table + "_payload_idx")
                .doesNotContain("Index Scan using " + table + "_pkey");
        assertThat(generic)
                .as("what a generic plan of the same page does (the trap the page's mode avoids)")
                .contains("Index Scan using " + table + "_pkey");
    }

    /**
     * EXPLAIN ANALYZE of the page as a prepared statement (PREPARE and EXECUTE, so that the plan
     * cache, and with it the plan cache mode, decides between a generic and a custom plan, as for
     * the store's statements), with the filter's values, no commit token, a window ending at
     * 200,000 and a limit of 500.
     */
    private List<String> explainPage(String page, WhereClause where, String planCacheMode) throws SQLException {
        StringBuilder numbered = new StringBuilder();
        int parameters = 0;
        for (char c : page.toCharArray()) {
            if (c == '?') {
                numbered.append('$').append(++parameters);
            } else {
                numbered.append(c);
            }
        }
        List<String> arguments = new ArrayList<>();
        for (Object param : where.params()) {
            arguments.add(
                    param instanceof String[] texts
                            ? "'{" + String.join(",", texts) + "}'"
                            : "'" + String.valueOf(param).replace("'", "''") + "'");
        }
        arguments.addAll(List.of("0", "200000", "500"));
        assertThat(arguments).hasSize(parameters);
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                statement.execute("SELECT set_config('dcb.mark', '1000000', true), set_config('plan_cache_mode', '"
                        + planCacheMode + "', true)");
                statement.execute("PREPARE page_plan AS " + numbered);
                List<String> lines = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery(
                        "EXPLAIN (ANALYZE, COSTS OFF) EXECUTE page_plan(" + String.join(", ", arguments) + ")")) {
                    while (rows.next()) {
                        lines.add(rows.getString(1));
                    }
                }
                return lines;
            } finally {
                connection.rollback();
                statement.execute("DEALLOCATE ALL");
                connection.setAutoCommit(true);
            }
        }
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
