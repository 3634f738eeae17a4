package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.Snapshot;
import io.dcbstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store under an application role that may only read and insert events and keep snapshots
 * (ops/sql/roles.sql): it works, and the database itself, not only the append-only trigger,
 * refuses that role any UPDATE, DELETE or TRUNCATE of events.
 */
class LeastPrivilegeTest {
    private static final String PASSWORD = "app-password";

    private final String table = TestDatabase.uniqueName("lp");
    private final String snapshots = table + "_snap";
    private final String app = TestDatabase.uniqueName("app");
    private HikariDataSource ownerPool;
    private HikariDataSource appPool;

    @BeforeEach
    void createTheSchemaAsOwnerAndGrantTheAppRoleWhatItNeeds() {
        ownerPool = TestDatabase.get().newPool(table, 2);
        PostgresEventStore.create(ownerPool, PostgresStoreConfig.defaults().withTables(table, snapshots))
                .close();
        TestDatabase database = TestDatabase.get();
        database.execute("CREATE ROLE " + app + " LOGIN PASSWORD '" + PASSWORD + "'");
        database.execute("GRANT SELECT, INSERT ON " + table + " TO " + app);
        database.execute("GRANT USAGE ON SEQUENCE " + table + "_sequence_number_seq TO " + app);
        database.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON " + snapshots + " TO " + app);
        appPool = PostgresPools.newPool("app", database.jdbcUrl(), app, PASSWORD, 2);
    }

    @AfterEach
    void dropTheRole() {
        appPool.close();
        ownerPool.close();
        TestDatabase.get().execute("DROP OWNED BY " + app);
        TestDatabase.get().execute("DROP ROLE " + app);
    }

    @Test
    void theStoreAppendsQueriesAndKeepsSnapshotsUnderTheApplicationRole() {
        try (PostgresEventStore store = PostgresEventStore.create(
                appPool,
                PostgresStoreConfig.defaults().withTables(table, snapshots).withCreateSchema(false))) {
            Filter notes = Filter.anyOf(FilterItem.types("Note"));
            store.append(notes, 0, Event.of("Note", Map.of("Text", "hello")));
            assertThat(store.query(notes).events()).hasSize(1);
            Snapshot snapshot = new Snapshot("p.v1", notes.hash(), 1, "{}", Instant.parse("2026-12-04T00:00:00Z"));
            assertThat(store.saveSnapshot(snapshot)).isTrue();
            assertThat(store.loadSnapshot("p.v1", notes.hash())).isPresent();
            assertThat(store.deleteSnapshot("p.v1", notes.hash())).isTrue();
        }
    }

    @Test
    void theDatabaseRefusesTheApplicationRoleAnyChangeToEvents() throws SQLException {
        try (Connection connection =
                        DriverManager.getConnection(TestDatabase.get().jdbcUrl(), app, PASSWORD);
                Statement statement = connection.createStatement()) {
            for (String change : new String[] {
                "UPDATE " + table + " SET event_type = 'Forged'",
                "DELETE FROM " + table,
                "TRUNCATE " + table,
                "DROP TABLE " + table
            }) {
                assertThatThrownBy(() -> statement.execute(change))
                        .as(change)
                        .isInstanceOf(SQLException.class)
                        .satisfies(failure -> assertThat(((SQLException) failure).getSQLState())
                                .as("SQLSTATE of " + change)
                                .isIn("42501", "42809"));
            }
        }
    }
}
