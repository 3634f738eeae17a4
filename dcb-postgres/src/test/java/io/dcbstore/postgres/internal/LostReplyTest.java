package io.dcbstore.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendCondition;
import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.DatabaseException;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.StoredEvent;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.testkit.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;

/**
 * An append whose reply is lost after the server committed it: the client sees its connection
 * fail and cannot tell whether the append was stored. Re-sending it is safe when its events carry
 * ids, and writes the events twice when they do not.
 */
class LostReplyTest {
    /** The tag of the insert's completion, which the server sends only after committing. */
    private static final String INSERT_COMPLETED = "INSERT 0 ";

    private String table;
    private LinkProxy link;
    private HikariDataSource throughLink;
    private HikariDataSource direct;
    private PostgresEventStore store;
    private PostgresEventStore observer;

    @BeforeEach
    void connectThroughAFaultyLink() throws Exception {
        table = TestDatabase.uniqueName("lost");
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
                .withDefaultTimeout(Duration.ofSeconds(10));
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

    private static Filter copy(String id) {
        return Filter.anyOf(FilterItem.types("Lent", "Returned").allOf(PayloadPredicate.eq("Copy", id)));
    }

    private static List<Event> lendAndReturn(String copy) {
        return List.of(
                Event.of("Lent", Map.of("Copy", copy, "Reader", "r-1")),
                Event.of("Returned", Map.of("Copy", copy, "Reader", "r-1")));
    }

    private void appendLosingTheReply(List<Event> events, Filter boundary) {
        link.dropNextReplyContaining(INSERT_COMPLETED);
        try {
            store.append(events, AppendCondition.of(boundary, 0), AppendOptions.DEFAULT);
        } catch (DatabaseException lost) {
            assertThat(lost.isRetryable())
                    .as("a lost connection is worth retrying")
                    .isTrue();
            assertThat(link.droppedReplies()).isEqualTo(1);
            assertThat(observer.query(boundary).events())
                    .as("the server committed before the reply was lost")
                    .hasSize(events.size());
            return;
        }
        throw new AssertionError("the append's reply was not dropped");
    }

    @Test
    void aConditionalAppendWithIdsResentAfterItsReplyWasLostReturnsTheStoredResultAndTheLogHoldsItOnce() {
        List<Event> events = lendAndReturn("c-1").stream()
                .map(event -> event.withId(UUID.randomUUID()))
                .toList();
        appendLosingTheReply(events, copy("c-1"));

        AppendResult resent = store.append(events, AppendCondition.of(copy("c-1"), 0), AppendOptions.DEFAULT);

        List<StoredEvent> log = observer.query(copy("c-1")).events();
        assertThat(log)
                .extracting(StoredEvent::id)
                .containsExactly(events.get(0).id(), events.get(1).id());
        assertThat(resent.firstSequenceNumber()).isEqualTo(log.get(0).sequenceNumber());
        assertThat(resent.lastSequenceNumber()).isEqualTo(log.get(1).sequenceNumber());
    }

    @Test
    void anUnconditionalAppendWithIdsResentAfterItsReplyWasLostIsStoredOnce() {
        List<Event> events = lendAndReturn("c-2").stream()
                .map(event -> event.withId(UUID.randomUUID()))
                .toList();
        appendLosingTheReply(events, copy("c-2"));

        AppendResult resent = store.append(events, null, AppendOptions.DEFAULT);

        assertThat(observer.query(copy("c-2")).events())
                .extracting(StoredEvent::sequenceNumber)
                .containsExactly(resent.firstSequenceNumber(), resent.lastSequenceNumber());
    }

    @Test
    void withoutIdsTheResentAppendCannotBeRecognised() {
        List<Event> events = lendAndReturn("c-3");
        appendLosingTheReply(events, copy("c-3"));

        // Conditional: it fails on its own events, so the caller cannot tell success from conflict.
        assertThatThrownBy(() -> store.append(events, AppendCondition.of(copy("c-3"), 0), AppendOptions.DEFAULT))
                .isInstanceOf(AppendConditionFailedException.class);
        // Unconditional: it is written twice.
        store.append(events, null, AppendOptions.DEFAULT);
        assertThat(observer.query(copy("c-3")).events()).hasSize(4);
    }
}
