package io.dcbstore.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With an indexed key, the append's check and a read of an entity's events after a position find
 * them through the key's index in order, with the plans the store uses (the check's generic plan,
 * the read's custom one), instead of visiting the entity's whole history.
 */
class KeyIndexPlansTest {
    private static final List<String> KEYS = List.of("ReaderID");
    private static final FilterItem READER_STORY =
            FilterItem.types("Lent", "Returned").allOf(PayloadPredicate.eq("ReaderID", "r-7"));

    private static String table;
    private static HikariDataSource pool;
    private static PostgresEventStore store;

    @BeforeAll
    static void createALogOfAThousandReadersWithAHundredEventsEach() throws SQLException {
        table = TestDatabase.uniqueName("keyplans");
        pool = TestDatabase.get().newPool(table, 2);
        store = PostgresEventStore.create(
                pool,
                PostgresStoreConfig.defaults()
                        .withTables(table, table + "_snap")
                        .withIndexedKeys("ReaderID"));
        execute("INSERT INTO " + table + " (event_type, payload, occurred_at)"
                + " SELECT CASE WHEN g % 2 = 0 THEN 'Lent' ELSE 'Returned' END,"
                + " jsonb_build_object('ReaderID', 'r-' || (g % 1000), 'BookID', 'b-' || g), now()"
                + " FROM generate_series(1, 100000) AS g");
        execute("ANALYZE " + table);
    }

    @AfterAll
    static void closeStore() {
        store.close();
        pool.close();
    }

    @Test
    void theStoreCreatedTheKeysIndex() throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('\""
                        + table + "_k_ReaderID\"')")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getBoolean(1)).isTrue();
        }
    }

    @Test
    void theChecksGenericPlanFindsTheEventsAfterTheExpectedPositionThroughTheKeysIndex() throws SQLException {
        Filter boundary = Filter.anyOf(READER_STORY);

        String keyed = explain(check(WhereClause.of(boundary, false, KEYS)), WhereClause.of(boundary, false, KEYS));
        String plain = explain(check(WhereClause.of(boundary, false)), WhereClause.of(boundary, false));

        // The key's index bounds the events before the table is visited (PostgreSQL may AND it
        // with the GIN index, whose posting list is cheap to read: only the table's rows cost).
        assertThat(keyed)
                .contains("Index Scan on \"" + table + "_k_ReaderID\"")
                .contains("Index Cond: ((\"left\"((payload ->> 'ReaderID'::text), 200) = \"left\"($")
                .containsPattern("Index Cond: .*AND \\(sequence_number > \\$\\d+\\)\\)");
        assertThat(plain)
                .as("without the key: every event of the reader from the GIN index, and no bitmap of the primary key")
                .contains(table + "_payload_idx")
                .doesNotContain("_k_ReaderID")
                .doesNotContain(table + "_pkey");
    }

    @Test
    void aReadOfAStoryAfterItsOwnStartUsesTheKeysIndex() throws SQLException {
        Filter tail = Filter.anyOf(READER_STORY.after(90_000));
        WhereClause where = WhereClause.of(tail, true, KEYS);

        String plan = explainRead(where);

        assertThat(plan).contains(table + "_k_ReaderID");
    }

    private String check(WhereClause where) {
        return new Statements(table, table + "_snap").check(where);
    }

    /** EXPLAIN of the check as a prepared statement under the append's plan cache mode. */
    private String explain(String check, WhereClause where) throws SQLException {
        List<String> arguments = new ArrayList<>();
        arguments.add("99000");
        arguments.addAll(literals(where));
        if (where.keyBounded()) {
            arguments.add("99000");
        }
        return explainPrepared(check, arguments, Statements.planCacheMode(where));
    }

    private String explainRead(WhereClause where) throws SQLException {
        return explainPrepared(
                "SELECT sequence_number FROM " + table + " WHERE " + where.sql(),
                literals(where),
                Statements.planCacheMode(where));
    }

    private static List<String> literals(WhereClause where) {
        List<String> arguments = new ArrayList<>();
        for (Object param : where.params()) {
            arguments.add(
                    param instanceof String[] texts
                            ? "'{" + String.join(",", texts) + "}'"
                            : "'" + String.valueOf(param).replace("'", "''") + "'");
        }
        return arguments;
    }

    private String explainPrepared(String sql, List<String> arguments, String planCacheMode) throws SQLException {
        StringBuilder numbered = new StringBuilder();
        int parameters = 0;
        for (char c : sql.toCharArray()) {
            if (c == '?') {
                numbered.append('$').append(++parameters);
            } else {
                numbered.append(c);
            }
        }
        assertThat(arguments).hasSize(parameters);
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                statement.execute("SELECT set_config('plan_cache_mode', '" + planCacheMode + "', true)");
                statement.execute("PREPARE key_plan AS " + numbered);
                List<String> lines = new ArrayList<>();
                try (var rows = statement.executeQuery(
                        "EXPLAIN (COSTS OFF) EXECUTE key_plan(" + String.join(", ", arguments) + ")")) {
                    while (rows.next()) {
                        lines.add(rows.getString(1));
                    }
                }
                return String.join("\n", lines);
            } finally {
                connection.rollback();
                statement.execute("DEALLOCATE ALL");
                connection.setAutoCommit(true);
            }
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
