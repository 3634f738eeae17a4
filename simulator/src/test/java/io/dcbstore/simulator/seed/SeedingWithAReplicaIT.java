package io.dcbstore.simulator.seed;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.cluster.EmbeddedStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The seeder ends with {@code VACUUM (FREEZE, ANALYZE)} "so that the run does not start with an
 * anti-wraparound or insert-driven vacuum of the whole history". Every simulation and bench-growth
 * seed an embedded primary that streams to a replica with {@code hot_standby_feedback}: right after
 * the last insert, the replica's slot still holds the xmin horizon before the load's last
 * transactions, so the VACUUM can neither freeze those rows nor mark their pages all-visible.
 * GrowthBenchmarkIT finds 0% of pages all-frozen for the same reason.
 */
class SeedingWithAReplicaIT {

    @Test
    void theSeededHistoryIsFrozenWhenTheServersHaveAReplica() throws Exception {
        try (EmbeddedStore embedded = EmbeddedStore.withReplica(
                ServerSettings.forTests(), ServerSettings.replicaForTests(), ConnectedStore.Options.of("seed", 2, 2))) {
            ConnectedStore connected = embedded.connected();
            String table = connected.storeConfig().eventsTable();

            connected.seed(LibrarySeeder.Plan.ofTotal(20_000, 4_000, 1_000), written -> {});

            try (Connection connection = connected.primaryPool().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE EXTENSION IF NOT EXISTS pg_visibility");
                try (ResultSet rows = statement.executeQuery("SELECT pg_relation_size('" + table + "') / 8192,"
                        + " (SELECT all_frozen FROM pg_visibility_map_summary('" + table + "'))")) {
                    rows.next();
                    long pages = rows.getLong(1);
                    long allFrozen = rows.getLong(2);

                    assertThat(allFrozen).as("all-frozen pages of %d", pages).isGreaterThanOrEqualTo(pages - 1);
                }
            }
        }
    }

    @Test
    void seedingEndsWithTheLoadsPagesWrittenOnBothServers() throws Exception {
        try (EmbeddedStore embedded = EmbeddedStore.withReplica(
                ServerSettings.forTests(), ServerSettings.replicaForTests(), ConnectedStore.Options.of("seed", 2, 2))) {
            ConnectedStore connected = embedded.connected();
            String table = connected.storeConfig().eventsTable();
            try (Connection connection = connected.primaryPool().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE EXTENSION IF NOT EXISTS pg_buffercache");
            }

            ConnectedStore.Seeded seeded =
                    connected.seed(LibrarySeeder.Plan.ofTotal(20_000, 4_000, 1_000), written -> {});

            assertThat(seeded.checkpointed()).isTrue();
            assertThat(dirtyBuffersOf(connected.primaryPool(), table))
                    .as("primary")
                    .isZero();
            assertThat(dirtyBuffersOf(connected.replicaPool(), table))
                    .as("replica")
                    .isZero();
        }
    }

    @Test
    void theKeyIndexesAreBuiltAfterTheLoadAndAreValidOnBothServers() throws Exception {
        ConnectedStore.Options defaults = ConnectedStore.Options.of("seed", 2, 2);
        ConnectedStore.Options options = new ConnectedStore.Options(
                defaults.poolName(),
                defaults.primaryPoolSize(),
                defaults.replicaPoolSize(),
                defaults.storeConfig().withIndexedKeys("BookID", "ReaderID"),
                defaults.decorator(),
                defaults.observability());
        try (EmbeddedStore embedded =
                EmbeddedStore.withReplica(ServerSettings.forTests(), ServerSettings.replicaForTests(), options)) {
            ConnectedStore connected = embedded.connected();
            String table = connected.storeConfig().eventsTable();
            String keyIndexes =
                    "SELECT string_agg(c.relname || ':' || c.oid || ':' || i.indisvalid, ',' ORDER BY c.relname)"
                            + " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                            + " WHERE i.indrelid = '" + table + "'::regclass AND c.relname LIKE '" + table
                            + "!_k!_%' ESCAPE '!'";
            String before = single(connected.primaryPool(), keyIndexes);

            connected.seed(LibrarySeeder.Plan.ofTotal(20_000, 4_000, 1_000), written -> {});

            String after = single(connected.primaryPool(), keyIndexes);
            assertThat(before).matches(table + "_k_BookID:\\d+:true," + table + "_k_ReaderID:\\d+:true");
            assertThat(after).as("rebuilt (new oids), valid").matches(before.replaceAll(":\\d+:", ":\\\\d+:"));
            assertThat(after.split(",")[0]).isNotEqualTo(before.split(",")[0]);
            assertThat(after.split(",")[1]).isNotEqualTo(before.split(",")[1]);
            assertThat(single(connected.replicaPool(), keyIndexes))
                    .as("replica")
                    .isEqualTo(after);
            String keyed = "SELECT count(*) FROM " + table + " WHERE left(payload ->> 'ReaderID', 200) = 'reader-7'";
            assertThat(single(connected.primaryPool(), "EXPLAIN (COSTS OFF) " + keyed + " AND sequence_number > 0"))
                    .contains(table + "_k_ReaderID");
            assertThat(single(connected.primaryPool(), keyed))
                    .as("the index holds the loaded events")
                    .isEqualTo(single(
                            connected.primaryPool(),
                            "SELECT count(*) FROM " + table + " WHERE payload @> '{\"ReaderID\": \"reader-7\"}'"));
        }
    }

    private static String single(DataSource server, String sql) throws Exception {
        try (Connection connection = server.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SET enable_seqscan = off");
            try (ResultSet rows = statement.executeQuery(sql)) {
                StringBuilder text = new StringBuilder();
                while (rows.next()) {
                    text.append(text.isEmpty() ? "" : "\n").append(rows.getString(1));
                }
                return text.toString();
            }
        }
    }

    private static long dirtyBuffersOf(DataSource server, String table) throws Exception {
        try (Connection connection = server.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_buffercache"
                        + " WHERE isdirty AND relfilenode = pg_relation_filenode('" + table + "')"
                        + " AND reldatabase = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
