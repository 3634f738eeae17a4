package io.dcbstore.simulator.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.postgres.PostgresEventStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The race: concurrent clients append the first event of 200 contested boundaries for 5 s, each
 * on the condition that its boundary is still empty. Every boundary must end with one event; the
 * reference's SQL (run by pgbench) lets some get two.
 */
final class RaceBenchmark {
    /** What a race left behind: events written, and the distinct boundaries they were written for. */
    private record RaceCount(long events, long boundaries) {
        long doubleAppends() {
            return events - boundaries;
        }
    }

    private RaceBenchmark() {}

    /**
     * Runs the race with our store, then (when pgbench is given) with the reference's SQL.
     *
     * @param store our store, on the seeded database
     * @param pool a pool on the same database, to count what the race left behind
     * @param writers concurrent clients
     * @param pgbench pgbench, or null to run only ours
     * @param scripts where the reference's scripts were extracted
     * @throws Exception when the database or pgbench fails
     */
    static void run(PostgresEventStore store, HikariDataSource pool, int writers, Pgbench pgbench, Path scripts)
            throws Exception {
        BenchmarkOutput.line("");
        BenchmarkOutput.line(
                "## Race: %d clients append the first event of 200 contested boundaries (expected 0) for 5 s", writers);
        AtomicLong conflicts = new AtomicLong();
        String prefix = "ours-" + System.nanoTime() + "-";
        LoadLoop.run(writers, 5, random -> {
            String race = prefix + random.nextInt(1, 201);
            try {
                store.append(
                        Filter.anyOf(FilterItem.types("RaceEvent").allOf(PayloadPredicate.eq("RaceID", race))),
                        0,
                        Event.of("RaceEvent", Map.of("RaceID", race)));
            } catch (AppendConditionFailedException e) {
                conflicts.incrementAndGet();
            }
        });
        RaceCount ours = raceCount(pool, prefix + "%");
        BenchmarkOutput.line(
                "Ours: %,d events for %,d boundaries, %,d double appends, %,d conflicts reported.",
                ours.events(), ours.boundaries(), ours.doubleAppends(), conflicts.get());
        if (pgbench != null) {
            pgbench.run(scripts.resolve("race.sql"), writers, 5);
            RaceCount theirs = raceCount(pool, "race-%");
            BenchmarkOutput.line(
                    "Reference (pgbench race.sql): %,d events for %,d boundaries, %,d double appends.",
                    theirs.events(), theirs.boundaries(), theirs.doubleAppends());
        }
    }

    private static RaceCount raceCount(HikariDataSource pool, String pattern) throws Exception {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("SELECT count(*), count(DISTINCT payload->>'RaceID') FROM events"
                                + " WHERE event_type = 'RaceEvent' AND payload->>'RaceID' LIKE '"
                                + pattern.replace("'", "") + "'")) {
            rows.next();
            return new RaceCount(rows.getLong(1), rows.getLong(2));
        }
    }
}
