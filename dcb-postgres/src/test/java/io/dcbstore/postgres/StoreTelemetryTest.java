package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.Cancellation;
import io.dcbstore.DatabaseException;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.OperationCancelledException;
import io.dcbstore.OperationTimeoutException;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.ReadOptions;
import io.dcbstore.Snapshot;
import io.dcbstore.testkit.TestDatabase;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Metrics and observations of the store's calls, against the real embedded server: names, tags
 * and counts on the success, conflict, timeout, cancellation and error paths, and nothing at all
 * without a registry. (Replica routing is covered in ReplicaRoutingIT.)
 */
class StoreTelemetryTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TestObservationRegistry observations = TestObservationRegistry.create();
    private String table;
    private HikariDataSource pool;
    private PostgresEventStore store;

    @BeforeEach
    void openStore() {
        table = TestDatabase.uniqueName("tel");
        pool = TestDatabase.get().newPool(table, 3);
        store = PostgresEventStore.builder(pool)
                .config(PostgresStoreConfig.defaults().withTables(table, table + "_snap"))
                .meterRegistry(meters)
                .observationRegistry(observations)
                .build();
    }

    @AfterEach
    void closeStore() {
        store.close();
        pool.close();
    }

    private static Filter book(String id) {
        return Filter.anyOf(FilterItem.types("Lent").allOf(PayloadPredicate.eq("BookID", id)));
    }

    private static Event lent(String id) {
        return Event.of("Lent", Map.of("BookID", id));
    }

    private Timer operations(String operation, String outcome) {
        return meters.find("dcb.store.operations")
                .tag("operation", operation)
                .tag("outcome", outcome)
                .timer();
    }

    @Test
    void anAppendAndAQueryAreTimedAndCountedWithTheNodeThatServedThem() {
        store.append(book("b1"), 0, lent("b1"), lent("b1"));
        assertThat(store.query(book("b1")).events()).hasSize(2);

        Timer append = meters.get("dcb.store.operations")
                .tags("operation", "append", "outcome", "success", "error.type", "none", "node", "primary")
                .timer();
        assertThat(append.count()).isEqualTo(1);
        assertThat(meters.get("dcb.store.events.appended").counter().count()).isEqualTo(2);
        assertThat(meters.get("dcb.store.events.read")
                        .tags("operation", "query", "node", "primary")
                        .counter()
                        .count())
                .isEqualTo(2);
        Timer database = meters.get("dcb.store.database")
                .tags("operation", "append", "node", "primary")
                .timer();
        assertThat(database.count()).isEqualTo(1);
        assertThat(database.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(database.totalTime(TimeUnit.NANOSECONDS))
                .isLessThanOrEqualTo(append.totalTime(TimeUnit.NANOSECONDS));
        assertThat(operations("query", "success").count()).isEqualTo(1);

        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("dcb.store.operation", 2)
                .hasAnObservation(observation -> observation
                        .hasContextualNameEqualTo("dcb append")
                        .hasLowCardinalityKeyValue("db.system", "postgresql")
                        .hasLowCardinalityKeyValue("db.operation", "append")
                        .hasLowCardinalityKeyValue("dcb.node", "primary")
                        .hasLowCardinalityKeyValue("dcb.outcome", "success")
                        .hasHighCardinalityKeyValue("dcb.events.count", "2")
                        .hasHighCardinalityKeyValue("dcb.sequence.expected", "0")
                        .hasHighCardinalityKeyValue("dcb.sequence.result", "2")
                        .hasHighCardinalityKeyValueWithKey("server.address")
                        .doesNotHaveError())
                .hasAnObservation(observation -> observation
                        .hasContextualNameEqualTo("dcb query")
                        .hasHighCardinalityKeyValue("dcb.events.count", "2"));
    }

    @Test
    void aConflictIsAnOutcomeOfItsOwnAndItsSpanCarriesTheError() {
        store.append(book("b2"), 0, lent("b2"));
        assertThatThrownBy(() -> store.append(book("b2"), 0, lent("b2")))
                .isInstanceOf(AppendConditionFailedException.class);

        assertThat(operations("append", "conflict").count()).isEqualTo(1);
        assertThat(operations("append", "success").count()).isEqualTo(1);
        assertThat(meters.get("dcb.store.events.appended").counter().count()).isEqualTo(1);
        TestObservationRegistryAssert.assertThat(observations)
                .hasAnObservation(observation -> observation
                        .hasLowCardinalityKeyValue("dcb.outcome", "conflict")
                        .assertThatError()
                        .isInstanceOf(AppendConditionFailedException.class));
    }

    @Test
    void timeoutsAndCancellationsAreCountedAsSuch() {
        assertThatThrownBy(() -> store.query(book("b3"), ReadOptions.STRONG.withTimeout(Duration.ofNanos(1))))
                .isInstanceOf(OperationTimeoutException.class);
        Cancellation cancelled = Cancellation.create();
        cancelled.cancel();
        assertThatThrownBy(() -> store.query(book("b3"), ReadOptions.STRONG.withCancellation(cancelled)))
                .isInstanceOf(OperationCancelledException.class);

        assertThat(operations("query", "timeout").count()).isEqualTo(1);
        assertThat(operations("query", "cancelled").count()).isEqualTo(1);
    }

    @Test
    void aDatabaseErrorIsCountedWithABoundedErrorType() {
        TestDatabase.get().execute("DROP TABLE " + table + " CASCADE");
        assertThatThrownBy(() -> store.query(book("b4"))).isInstanceOf(DatabaseException.class);

        Timer failed = meters.get("dcb.store.operations")
                .tags("operation", "query", "outcome", "error", "error.type", "other")
                .timer();
        assertThat(failed.count()).isEqualTo(1);
        TestObservationRegistryAssert.assertThat(observations)
                .hasAnObservation(observation -> observation
                        .hasLowCardinalityKeyValue("error.type", "other")
                        .assertThatError()
                        .isInstanceOf(DatabaseException.class));
    }

    @Test
    void snapshotLoadsSavesAndDeletesAreCountedByResult() {
        String hash = book("b5").hash();
        assertThat(store.loadSnapshot("p.v1", hash)).isEmpty();
        store.append(lent("b5"));
        Snapshot snapshot = new Snapshot("p.v1", hash, 1, "{\"books\":1}", Instant.parse("2026-12-04T00:00:00Z"));
        assertThat(store.saveSnapshot(snapshot)).isTrue();
        assertThat(store.loadSnapshot("p.v1", hash)).isPresent();
        assertThat(store.deleteSnapshot("p.v1", hash)).isTrue();
        assertThat(store.deleteSnapshot("p.v1", hash)).isFalse();

        assertThat(meters.get("dcb.store.snapshot.loads")
                        .tag("result", "miss")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("dcb.store.snapshot.loads")
                        .tag("result", "hit")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("dcb.store.snapshot.saves")
                        .tag("result", "written")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("dcb.store.snapshot.deletes")
                        .tag("result", "deleted")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("dcb.store.snapshot.deletes")
                        .tag("result", "absent")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("dcb.store.snapshot.size")
                        .tag("operation", "save")
                        .summary()
                        .totalAmount())
                .isEqualTo(snapshot.state().length());
        assertThat(operations("snapshot_save", "success").count()).isEqualTo(1);
    }

    @Test
    void theSqlCacheAndTheGlobalLockAreReadWhenScraped() {
        store.query(book("b6"));
        store.query(book("b7"));

        assertThat(meters.get("dcb.store.sql.cache.lookups")
                        .tag("result", "hit")
                        .functionCounter()
                        .count())
                .isEqualTo(store.statementStatistics().sqlCacheHits());
        assertThat(meters.get("dcb.store.sql.cache.shapes").gauge().value()).isPositive();
        assertThat(meters.get("dcb.store.appends.global.lock").functionCounter().count())
                .isEqualTo(0);
    }

    @Test
    void aTracingHandlerThatThrowsNeverTurnsACommittedAppendIntoAFailure() {
        for (String phase : List.of("start", "stop")) {
            ObservationRegistry broken = ObservationRegistry.create();
            broken.observationConfig().observationHandler(new ObservationHandler<>() {
                @Override
                public void onStart(Observation.Context context) {
                    if (phase.equals("start")) {
                        throw new IllegalStateException("tracing backend down at start");
                    }
                }

                @Override
                public void onStop(Observation.Context context) {
                    throw new IllegalStateException("tracing backend down at stop");
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            });
            try (PostgresEventStore traced = PostgresEventStore.builder(pool)
                    .config(PostgresStoreConfig.defaults().withTables(table, table + "_snap"))
                    .observationRegistry(broken)
                    .build()) {
                String id = "broken-" + phase;
                traced.append(book(id), 0, lent(id));
                assertThat(traced.query(book(id)).events())
                        .as("after a handler failing at %s", phase)
                        .hasSize(1);
            }
        }
    }

    @Test
    void withoutARegistryNothingIsRecordedAnywhere() {
        String other = TestDatabase.uniqueName("tel");
        try (HikariDataSource otherPool = TestDatabase.get().newPool(other, 2);
                PostgresEventStore plain = PostgresEventStore.create(
                        otherPool, PostgresStoreConfig.defaults().withTables(other, other + "_snap"))) {
            plain.append(book("b8"), 0, lent("b8"));
            plain.query(book("b8"));
        }
        assertThat(Metrics.globalRegistry.getMeters()).isEmpty();
        assertThat(meters.find("dcb.store.operations").timers()).isEmpty();
        assertThat(observations.getCurrentObservation()).isNull();
        TestObservationRegistryAssert.assertThat(observations).doesNotHaveAnyObservation();
    }
}
