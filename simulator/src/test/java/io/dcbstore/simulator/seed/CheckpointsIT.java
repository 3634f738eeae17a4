package io.dcbstore.simulator.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.cluster.EmbeddedStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint after a load needs a superuser or a member of {@code pg_checkpoint}; seeding as
 * another role goes on without it (and says so), any other failure is the seeding's.
 */
class CheckpointsIT {

    @Test
    void aRoleThatMayNotCheckpointIsToldSoAndNothingIsDoneWhileASuperuserCheckpoints() throws Exception {
        try (EmbeddedStore embedded =
                EmbeddedStore.primaryOnly(ServerSettings.forTests(), ConnectedStore.Options.of("ckpt", 2))) {
            try (Connection connection = embedded.connected().primaryPool().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE ROLE plain_seeder LOGIN");
            }
            String url = embedded.cluster().primary().jdbcUrl("postgres");
            String before = lastCheckpoint(embedded);

            try (HikariDataSource plain = pool(url, "plain_seeder")) {
                assertThat(Checkpoints.afterLoad(plain, null)).isFalse();
            }
            assertThat(lastCheckpoint(embedded))
                    .as("no checkpoint was requested")
                    .isEqualTo(before);

            assertThat(Checkpoints.afterLoad(embedded.connected().primaryPool(), null))
                    .isTrue();
            assertThat(lastCheckpoint(embedded)).isNotEqualTo(before);

            try (HikariDataSource nowhere =
                    pool(embedded.cluster().primary().jdbcUrl("no_such_database"), "postgres")) {
                assertThatThrownBy(() -> Checkpoints.afterLoad(nowhere, null)).isInstanceOf(SQLException.class);
            }
        }
    }

    /** A pool that connects only when asked, and gives up after a second. */
    private static HikariDataSource pool(String url, String user) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setMinimumIdle(0);
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(1_000);
        return new HikariDataSource(config);
    }

    /** Where the last checkpoint began, from the control file (a CHECKPOINT command always writes one). */
    private static String lastCheckpoint(EmbeddedStore embedded) throws SQLException {
        try (Connection connection = embedded.connected().primaryPool().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT checkpoint_lsn::text FROM pg_control_checkpoint()")) {
            rows.next();
            return rows.getString(1);
        }
    }
}
