package io.dcbstore.simulator;

import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.seed.LibrarySeeder;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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
        long started = System.nanoTime();
        ConnectedStore.Seeded seeded =
                servers.seed(plan, written -> out.print(progressLine(written, plan.events(), started)));
        out.printf(
                "%nseeded %,d events (%,d books, %,d readers, %,d lending cycles) in %.1f s%s%n",
                plan.events(),
                plan.books(),
                plan.readers(),
                plan.lendingCycles(),
                seeded.took().toNanos() / 1e9,
                seeded.checkpointed()
                        ? ", checkpoint included"
                        : "; no checkpoint after it (the role is neither a superuser nor in pg_checkpoint):"
                                + " the first minutes of the run write the load's pages");
    }

    /**
     * @param written events written so far
     * @param total events to write
     * @param startedNanos when seeding started (System.nanoTime)
     * @return {@code \rseeding: 850,000 of 10,000,000 events (8%, 10,625/s, ETA 14m 27s)}; once every
     *     event is written, what follows (minutes at 50M events), so that the line does not look stuck
     */
    static String progressLine(long written, long total, long startedNanos) {
        double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
        double rate = written / seconds;
        String eta = rate <= 0 ? "?" : duration((long) ((total - written) / rate));
        String line = String.format(
                "\rseeding: %,d of %,d events (%d%%, %,.0f/s, ETA %s)   ",
                written, total, total == 0 ? 100 : written * 100 / total, rate, eta);
        return written < total
                ? line
                : line + "loaded; building the key indexes if any, freezing, analysing and checkpointing...";
    }

    private static String duration(long seconds) {
        return seconds >= 60 ? (seconds / 60) + "m " + (seconds % 60) + "s" : seconds + "s";
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
