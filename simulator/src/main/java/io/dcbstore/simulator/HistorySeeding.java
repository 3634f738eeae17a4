package io.dcbstore.simulator;

import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.seed.LibrarySeeder;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Seeds the library's history before a simulation, unless the event table already holds events. */
final class HistorySeeding {
    private HistorySeeding() {}

    /**
     * @param servers the store and its pools
     * @param config the library's size
     * @param out where to report progress
     * @throws SQLException from the database
     */
    static void seedIfEmpty(ConnectedStore servers, SimulationConfig config, PrintStream out) throws SQLException {
        if (holdsEvents(servers)) {
            out.printf(
                    "the event table already holds events: not seeding (ids book-0..%d and reader-0..%d are assumed)%n",
                    config.books() - 1, config.readers() - 1);
            return;
        }
        LibrarySeeder.Plan plan = LibrarySeeder.Plan.ofTotal(
                Math.max(config.events(), config.books() + config.readers()), config.books(), config.readers());
        Duration took =
                servers.seed(plan, written -> out.printf("\rseeding: %,d of %,d events", written, plan.events()));
        out.printf(
                "%nseeded %,d events (%,d books, %,d readers, %,d lending cycles) in %.1f s%n",
                plan.events(), plan.books(), plan.readers(), plan.lendingCycles(), took.toNanos() / 1e9);
    }

    private static boolean holdsEvents(ConnectedStore servers) throws SQLException {
        String table = servers.storeConfig().eventsTable();
        try (Connection connection = servers.primaryPool().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT count(*) FROM (SELECT 1 FROM " + table + " LIMIT 1) AS any_event")) {
            rows.next();
            return rows.getLong(1) > 0;
        }
    }
}
