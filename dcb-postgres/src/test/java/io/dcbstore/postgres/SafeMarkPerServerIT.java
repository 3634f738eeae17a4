package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendOptions;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.ReadOptions;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.embedded.ServerSettings;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One data source that leads to several servers (a load-balanced replica URL, a proxy in front of
 * two standbys): the store keeps a safe position per server, so a read that lands on the other
 * server does not start its walk over.
 */
@Tag("replication")
class SafeMarkPerServerIT {

    @Test
    void aDataSourceAlternatingBetweenTwoServersReadsEverythingFromEachWhileOldTransactionsAreOpen() throws Exception {
        try (EmbeddedPostgres first = EmbeddedPostgres.start(ServerSettings.forTests());
                EmbeddedPostgres second = EmbeddedPostgres.start(ServerSettings.forTests());
                HikariDataSource firstPool =
                        PostgresPools.newPool("first", first.jdbcUrl("postgres"), EmbeddedPostgres.USER, "", 2);
                HikariDataSource secondPool =
                        PostgresPools.newPool("second", second.jdbcUrl("postgres"), EmbeddedPostgres.USER, "", 2);
                Connection oldOnFirst = firstPool.getConnection();
                Connection oldOnSecond = secondPool.getConnection()) {
            PostgresStoreConfig config = PostgresStoreConfig.defaults().withDefaultTimeout(Duration.ofSeconds(10));
            try (PostgresEventStore firstStore = PostgresEventStore.create(firstPool, config);
                    PostgresEventStore secondStore = PostgresEventStore.create(secondPool, config)) {
                // On each server a transaction older than every event stays open: reads must walk.
                holdATransactionId(oldOnFirst);
                holdATransactionId(oldOnSecond);
                for (int batch = 0; batch < 12; batch++) {
                    List<Event> events = new ArrayList<>();
                    for (int i = 0; i < 1000; i++) {
                        events.add(Event.of("Tick", Map.of("n", batch * 1000 + i)));
                    }
                    firstStore.append(events, null, AppendOptions.DEFAULT);
                    secondStore.append(events, null, AppendOptions.DEFAULT);
                }
            }
            DataSource alternating = new Alternating(firstPool, secondPool);
            try (PostgresEventStore store = PostgresEventStore.create(
                    alternating,
                    PostgresStoreConfig.defaults()
                            .withCreateSchema(false)
                            .withDefaultTimeout(Duration.ofSeconds(10)))) {
                for (int read = 0; read < 6; read++) {
                    assertThat(store.query(Filter.anyOf(FilterItem.types("Tick")), ReadOptions.STRONG)
                                    .events())
                            .as("read " + read + ", more than one window of the walk behind on either server")
                            .hasSize(12_000);
                }
            }
            oldOnFirst.rollback();
            oldOnSecond.rollback();
        }
    }

    private static void holdATransactionId(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_current_xact_id()");
        }
    }

    /** Hands out connections of two pools in turn. */
    private static final class Alternating implements DataSource {
        private final DataSource[] sources;
        private final AtomicInteger next = new AtomicInteger();

        Alternating(DataSource... sources) {
            this.sources = sources;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return sources[Math.floorMod(next.getAndIncrement(), sources.length)].getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            throw new SQLException("not supported");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // Not used.
        }

        @Override
        public void setLoginTimeout(int seconds) {
            // Not used.
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
