package io.dcbstore.simulator.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.cluster.EmbeddedStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

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
            PGSimpleDataSource plain = new PGSimpleDataSource();
            plain.setURL(embedded.cluster().primary().jdbcUrl("postgres"));
            plain.setUser("plain_seeder");
            long before = checkpointsDone(embedded);

            assertThat(Checkpoints.afterLoad(plain, null)).isFalse();
            assertThat(checkpointsDone(embedded)).as("no checkpoint was requested").isEqualTo(before);

            assertThat(Checkpoints.afterLoad(embedded.connected().primaryPool(), null)).isTrue();
            assertThat(checkpointsDone(embedded)).isGreaterThan(before);

            PGSimpleDataSource nowhere = new PGSimpleDataSource();
            nowhere.setURL(embedded.cluster().primary().jdbcUrl("no_such_database"));
            assertThatThrownBy(() -> Checkpoints.afterLoad(nowhere, null)).isInstanceOf(SQLException.class);
        }
    }

    /** Checkpoints requested or timed since the server started (PostgreSQL 17's pg_stat_checkpointer). */
    private static long checkpointsDone(EmbeddedStore embedded) throws SQLException {
        try (Connection connection = embedded.connected().primaryPool().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT num_requested + num_timed FROM pg_stat_checkpointer")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
