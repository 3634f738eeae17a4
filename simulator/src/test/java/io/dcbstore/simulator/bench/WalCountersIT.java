package io.dcbstore.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.cluster.EmbeddedStore;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The WAL counters the growth benchmark and {@code bench-store --wal-compression-seconds} print. */
class WalCountersIT {

    @Test
    void theFirstChangeOfEachPageAfterACheckpointIsCountedAsAFullPageImage() throws Exception {
        // Durable settings: full_page_writes is on, as in production (the test settings turn it off).
        try (EmbeddedStore embedded =
                EmbeddedStore.primaryOnly(ServerSettings.primary("128MB"), ConnectedStore.Options.of("wal", 2))) {
            DataSource primary = embedded.connected().primaryPool();
            execute(primary, "CREATE TABLE wal_probe (id int PRIMARY KEY, filler text)");
            execute(primary, "INSERT INTO wal_probe SELECT g, repeat('x', 200) FROM generate_series(1, 3000) g");
            long pages = 0;
            try (Connection connection = primary.getConnection();
                    Statement statement = connection.createStatement();
                    var rows = statement.executeQuery("SELECT pg_relation_size('wal_probe') / 8192")) {
                rows.next();
                pages = rows.getLong(1);
            }

            WalCounters before = WalCounters.read(primary);
            execute(primary, "CHECKPOINT");
            execute(primary, "UPDATE wal_probe SET filler = repeat('y', 200) WHERE id % 10 = 0");
            WalCounters period = WalCounters.read(primary).since(before);
            WalCounters nothing = WalCounters.read(primary).since(WalCounters.read(primary));

            assertThat(period.checkpoints()).isGreaterThanOrEqualTo(1);
            assertThat(period.records()).isGreaterThanOrEqualTo(300);
            // Every heap page holds updated rows, so each is written whole once after the checkpoint.
            assertThat(period.fullPageImages()).isGreaterThanOrEqualTo(pages);
            assertThat(period.bytes()).isGreaterThan(pages * 4096);
            assertThat(nothing.fullPageImages()).isZero();
            assertThat(nothing.checkpoints()).isZero();
        }
    }

    private static void execute(DataSource primary, String sql) throws Exception {
        try (Connection connection = primary.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
