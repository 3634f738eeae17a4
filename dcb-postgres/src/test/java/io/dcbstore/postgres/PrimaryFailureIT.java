package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import io.dcbstore.EventStoreException;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.StoredEvent;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.embedded.ServerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What appends do when the primary crashes, on a durable server. */
@Tag("replication")
class PrimaryFailureIT {

    @Test
    void appendsFailWithATypedErrorWithinTheTimeoutAndNoAcknowledgedAppendIsLostAfterACrash() {
        Map<String, String> durable = ServerSettings.primary("128MB");
        try (EmbeddedPostgres primary = EmbeddedPostgres.start(durable);
                HikariDataSource pool =
                        PostgresPools.newPool("crash", primary.jdbcUrl("postgres"), EmbeddedPostgres.USER, "", 4)) {
            PostgresEventStore store = PostgresEventStore.create(pool, PostgresStoreConfig.defaults());
            List<Long> acknowledged = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                AppendResult result = store.append(Event.of("Durable", Map.of("I", i)));
                acknowledged.add(result.lastSequenceNumber());
            }

            primary.kill();
            long started = System.nanoTime();
            assertThatThrownBy(() -> store.append(
                            List.of(Event.of("Durable", Map.of("I", -1))),
                            null,
                            AppendOptions.DEFAULT.withTimeout(Duration.ofSeconds(3))))
                    .isInstanceOfSatisfying(
                            EventStoreException.class,
                            e -> assertThat(e.isRetryable()).isTrue());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));

            primary.startServer(Map.of());
            List<Long> stored = null;
            for (int attempt = 0; attempt < 50 && stored == null; attempt++) {
                try {
                    stored = store.query(Filter.anyOf(FilterItem.types("Durable"))).events().stream()
                            .map(StoredEvent::sequenceNumber)
                            .toList();
                } catch (EventStoreException e) {
                    sleep(200);
                }
            }
            assertThat(stored).containsAll(acknowledged);
            store.close();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
