package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendOptions;
import io.dcbstore.Cancellation;
import io.dcbstore.DatabaseException;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.embedded.EmbeddedPgBouncer;
import io.dcbstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Attack on issue 18: the store's timeout and Cancellation when the pooler has no free server
 * connection. The server-side statement_timeout only starts when a server runs the pipeline, and
 * the driver's backstop cancel (and Cancellation.cancel) reach PgBouncer while the client waits
 * for a server: PgBouncer 1.18 ignores a cancel request for a client that has no server (pgbouncer
 * issues 1222, 1314), so the call waits for a server however long (query_wait_timeout, 120 s by
 * default) and then runs, long after its deadline.
 */
class PgBouncerWaitingClientIT {
    private static final Filter TICKS = Filter.anyOf(FilterItem.types("Tick"));

    private interface Call {
        void run(PostgresEventStore store);
    }

    private static Throwable outcomeWhileTheOnlyServerIsHeld(Call call, Runnable afterStart) throws Exception {
        String table = TestDatabase.uniqueName("pgbwait");
        try (EmbeddedPgBouncer bouncer = PgBouncerFixture.start(EmbeddedPgBouncer.transactionMode(1));
                HikariDataSource pool = PgBouncerFixture.pool(bouncer, table, 2, "?prepareThreshold=0");
                HikariDataSource holderPool = PgBouncerFixture.pool(bouncer, table + "_h", 1, "?prepareThreshold=0");
                PostgresEventStore store = PostgresEventStore.create(
                        pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap"))) {
            store.append(Event.of("Tick", Map.of("n", 0)));
            CompletableFuture<Void> waiting = CompletableFuture.completedFuture(null);
            try (Connection holder = holderPool.getConnection();
                    Statement statement = holder.createStatement()) {
                holder.setAutoCommit(false);
                try (ResultSet rows = statement.executeQuery("SELECT 1")) { // holds the pooler's only server
                    rows.next();
                }
                waiting = CompletableFuture.runAsync(() -> call.run(store));
                Thread.sleep(200);
                afterStart.run();
                try {
                    waiting.get(6, TimeUnit.SECONDS);
                    return null;
                } catch (ExecutionException e) {
                    return e.getCause();
                } catch (TimeoutException stillWaiting) {
                    return stillWaiting;
                } finally {
                    holder.rollback(); // frees the server: a call still waiting runs now
                }
            } finally {
                try {
                    waiting.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException ignored) {
                    // reported above
                }
                long stored = store.query(TICKS).events().size();
                if (stored > 1) {
                    System.err.println("the waiting append was stored after its caller's deadline: " + stored);
                }
            }
        }
    }

    @Test
    void anAppendWaitingForAServerConnectionOfTheFullPoolerEndsWithinItsTimeout() throws Exception {
        Throwable outcome = outcomeWhileTheOnlyServerIsHeld(
                store -> store.append(
                        List.of(Event.of("Tick", Map.of("n", 1))),
                        null,
                        AppendOptions.DEFAULT.withTimeout(Duration.ofSeconds(1))),
                () -> {});
        // It ends (within its bound: the deadline, the driver's cancel 0.5 s later, 1 s more), as a
        // retryable failure whose outcome is unknown: the server's answer never came.
        assertThat(outcome)
                .as("an append with a 1 s timeout, 6 s later (TimeoutException: still waiting for the pooler)")
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e).hasMessageContaining("outcome is unknown");
                });
    }

    @Test
    void anAppendWaitingForAServerConnectionOfTheFullPoolerEndsWhenCancelled() throws Exception {
        Cancellation cancellation = Cancellation.create();
        Throwable outcome = outcomeWhileTheOnlyServerIsHeld(
                store -> store.append(
                        List.of(Event.of("Tick", Map.of("n", 1))),
                        null,
                        AppendOptions.DEFAULT
                                .withTimeout(Duration.ofSeconds(60))
                                .withCancellation(cancellation)),
                cancellation::cancel);
        assertThat(outcome)
                .as("an append cancelled 0.2 s after it started, 6 s later")
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e).hasMessageContaining("after its cancel");
                });
    }
}
