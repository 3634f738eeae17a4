package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendOptions;
import io.dcbstore.Event;
import io.dcbstore.EventStream;
import io.dcbstore.Filter;
import io.dcbstore.OperationTimeoutException;
import io.dcbstore.ReadOptions;
import io.dcbstore.testkit.TestDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stream that times out after its first page: the store's own timeout bounds a stream's first
 * page (as {@code EventStore.stream} documents), so a later page is bounded by the server's
 * {@code statement_timeout}, here set on the caller's pool. The later page is held up on the
 * server: the events after the first page have payloads stored out of line (TOAST), and another
 * session holds the TOAST index's lock (an uncommitted {@code REINDEX}), which reading them needs.
 * The stream must fail with the store's timeout, end its transaction on the server and give its
 * connection back, and the pool must serve its maximum again.
 */
class StreamTimeoutMidwayTest {
    private static final int FETCH_SIZE = 10;
    private static final int POOL_SIZE = 2;
    private static final int SERVER_TIMEOUT_MILLIS = 1_000;

    private final TestDatabase database = TestDatabase.get();
    private final String table = TestDatabase.uniqueName("stm");
    private HikariDataSource pool;
    private PostgresEventStore store;
    private Connection blocker;

    @BeforeEach
    void openAStoreOnAPoolWithAServerStatementTimeout() throws SQLException {
        // The session's settings: the statement timeout, and a plan that reads the events in
        // sequence order as they are fetched (the primary key's index), not all of them at the
        // first fetch to sort them (which leaves nothing for a later fetch to wait for).
        String options = "-c statement_timeout=" + SERVER_TIMEOUT_MILLIS + " -c enable_sort=off";
        String url = database.jdbcUrl()
                + (database.jdbcUrl().contains("?") ? "&" : "?")
                + "options="
                + URLEncoder.encode(options, StandardCharsets.UTF_8).replace("+", "%20");
        pool = PostgresPools.newPool(table, url, database.user(), database.password(), POOL_SIZE);
        store = PostgresEventStore.create(
                pool,
                PostgresStoreConfig.defaults()
                        .withTables(table, table + "_snap")
                        .withStreamFetchSize(FETCH_SIZE)
                        .withNotifyInterval(Duration.ZERO));
        blocker = database.unpooled().getConnection();
        blocker.setAutoCommit(false);
    }

    @AfterEach
    void closeEverything() throws SQLException {
        blocker.rollback();
        blocker.close();
        store.close();
        pool.close();
    }

    /** Appends one page of small events, then a page whose payloads are stored out of line. */
    private void appendASmallPageThenALargeOne() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < FETCH_SIZE; i++) {
            events.add(Event.of("Tick", Map.of("n", i)));
        }
        Random random = new Random(19);
        for (int i = 0; i < FETCH_SIZE; i++) {
            StringBuilder blob = new StringBuilder();
            while (blob.length() < 16_384) {
                blob.append(Long.toHexString(random.nextLong()));
            }
            events.add(Event.of("Tick", Map.of("n", FETCH_SIZE + i, "blob", blob.toString())));
        }
        store.append(events, null, AppendOptions.DEFAULT);
    }

    /** @return the events table's TOAST index, after checking that the large payloads are there */
    private String toastIndex() throws SQLException {
        try (Connection connection = database.unpooled().getConnection();
                Statement statement = connection.createStatement()) {
            String toastTable;
            try (ResultSet rows = statement.executeQuery(
                    "SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = '" + table + "'::regclass")) {
                rows.next();
                toastTable = rows.getString(1);
            }
            try (ResultSet rows = statement.executeQuery("SELECT count(DISTINCT chunk_id) FROM " + toastTable)) {
                rows.next();
                assertThat(rows.getLong(1))
                        .as("premise: the second page's payloads are stored out of line")
                        .isEqualTo(FETCH_SIZE);
            }
            try (ResultSet rows =
                    statement.executeQuery("SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = '"
                            + toastTable + "'::regclass")) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    /**
     * Takes the TOAST index's ACCESS EXCLUSIVE lock on the blocker's connection until its rollback.
     * Refused after 5 s if the stream already holds it: then its first page read a large payload.
     */
    private void holdTheToastIndex(String index) throws SQLException {
        try (Statement statement = blocker.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '5s'");
            statement.execute("REINDEX INDEX " + index);
        }
    }

    @Test
    void aStreamWhoseSecondPageOutlastsTheServersStatementTimeoutFailsWithATimeoutAndGivesItsConnectionBack()
            throws SQLException {
        appendASmallPageThenALargeOne();
        String index = toastIndex();
        List<Long> read = new ArrayList<>();

        try (EventStream stream = store.stream(Filter.matchAll(), ReadOptions.STRONG)) {
            read.add(stream.next().sequenceNumber());
            holdTheToastIndex(index);

            assertThatThrownBy(() -> {
                        while (stream.hasNext()) {
                            read.add(stream.next().sequenceNumber());
                        }
                    })
                    .isInstanceOf(OperationTimeoutException.class)
                    .rootCause()
                    .hasMessageStartingWith("ERROR: canceling statement due to statement timeout");
            assertThat(read)
                    .as("the first page, fetched before the lock was taken")
                    .hasSize(FETCH_SIZE);
            assertThat(stream.hasNext()).as("a failed stream is over").isFalse();
            assertThat(pool.getHikariPoolMXBean().getActiveConnections())
                    .as("connections still borrowed, once the stream failed and before its close")
                    .isZero();
            assertThat(ServerSessions.of(table))
                    .as("the pool's sessions on the server, while the lock is still held")
                    .isNotEmpty()
                    .allSatisfy(session -> {
                        assertThat(session.state()).isEqualTo("idle");
                        assertThat(session.holdsSnapshot()).isFalse();
                    });
        }

        assertThePoolServesItsMaximumAtOnce();
        blocker.rollback();
        assertThat(store.query(Filter.matchAll()).events()).hasSize(2 * FETCH_SIZE);
    }

    /** Every connection of the pool at once, each with a round trip: none was lost or left broken. */
    private void assertThePoolServesItsMaximumAtOnce() throws SQLException {
        List<Connection> borrowed = new ArrayList<>();
        try {
            for (int i = 0; i < POOL_SIZE; i++) {
                Connection connection = pool.getConnection();
                borrowed.add(connection);
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT 1")) {
                    assertThat(rows.next()).isTrue();
                }
            }
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isEqualTo(POOL_SIZE);
        } finally {
            for (Connection connection : borrowed) {
                connection.close();
            }
        }
    }
}
