package io.dcbstore.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendOptions;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.OperationTimeoutException;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.testkit.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;

/**
 * Review of the network timeout (Abandonment): a reply that never arrives after the server
 * committed is an unknown outcome, not a timeout "cancelled on the server".
 */
class AbandonmentReviewTest {
    private String table;
    private LinkProxy link;
    private HikariDataSource throughLink;
    private HikariDataSource direct;
    private PostgresEventStore store;
    private PostgresEventStore observer;

    @BeforeEach
    void connectThroughAFaultyLink() throws Exception {
        table = TestDatabase.uniqueName("stall");
        Properties url = Driver.parseURL(TestDatabase.get().jdbcUrl(), null);
        link = new LinkProxy(url.getProperty("PGHOST"), Integer.parseInt(url.getProperty("PGPORT")), 0);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + link.port() + "/" + url.getProperty("PGDBNAME"));
        config.setUsername(TestDatabase.get().user());
        config.setPassword(TestDatabase.get().password());
        config.setMaximumPoolSize(1);
        throughLink = new HikariDataSource(config);
        direct = TestDatabase.get().newPool(table, 1);
        PostgresStoreConfig settings = PostgresStoreConfig.defaults()
                .withTables(table, table + "_snap")
                .withDefaultTimeout(Duration.ofSeconds(2));
        observer = PostgresEventStore.create(direct, settings);
        store = PostgresEventStore.create(throughLink, settings);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        observer.close();
        throughLink.close();
        direct.close();
        link.close();
    }

    @Test
    void anAppendCommittedWhoseReplyNeverArrivesIsNotReportedAsATimeoutCancelledOnTheServer() {
        Filter copy = Filter.anyOf(FilterItem.types("Lent").allOf(PayloadPredicate.eq("Copy", "s-1")));
        link.stallNextReplyContaining("INSERT 0 ");

        Throwable failure = catchThrowable(() ->
                store.append(List.of(Event.of("Lent", Map.of("Copy", "s-1"))), null, AppendOptions.DEFAULT));

        assertThat(link.droppedReplies()).isEqualTo(1);
        assertThat(observer.query(copy).events())
                .as("the server committed the append")
                .hasSize(1);
        assertThat(failure)
                .as(
                        "a committed append is reported as an unknown outcome (a connection failure, like a lost"
                                + " reply), not as OperationTimeoutException, whose message says it was cancelled on the server")
                .isNotNull()
                .isNotInstanceOf(OperationTimeoutException.class);
    }
}
