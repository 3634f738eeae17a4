package io.dcbstore.simulator.bench;

import io.dcbstore.ReadOptions;
import io.dcbstore.library.CommandSettings;
import io.dcbstore.library.LibraryCommands;
import io.dcbstore.library.LibraryQueries;
import io.dcbstore.library.ObservedLibrary;
import io.dcbstore.library.QuerySettings;
import io.dcbstore.library.ReaderId;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.simulator.bench.RecordingDataSource.RoundTrip;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.load.Mix;
import io.dcbstore.simulator.load.RequestKind;
import io.dcbstore.simulator.load.Workload;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The simulator's own requests, run one at a time through a store that records what it sends:
 * the same {@link Workload} (mix, hot copies, repeats, failing returns), the same library
 * handlers and query settings as {@code ./simulate}, on the same servers. The requests run for
 * real (their appends stay in the log, like a warm-up's).
 */
final class MixSample {
    /**
     * One sampled request.
     *
     * @param kind what it was
     * @param roundTrips what the store sent for it, in order
     * @param headBefore the highest sequence number on the primary just before it ran
     */
    record Request(RequestKind kind, List<RoundTrip> roundTrips, long headBefore) {}

    /**
     * What the sample recorded.
     *
     * @param requests the sampled requests
     * @param background what the store sent meanwhile from its own threads (notifications of
     *     appends, replica health checks): work that comes with time, not with requests
     * @param duration how long the sample took
     */
    record Recorded(List<Request> requests, List<RoundTrip> background, Duration duration) {}

    private static final Duration PATIENCE = Duration.ofMinutes(5);
    private static final int WARM_UP = 200;

    private MixSample() {}

    /**
     * @param servers where the servers are
     * @param storeConfig the store's configuration (as the simulation's)
     * @param mix the simulation's mix
     * @param seed the random seed of the sampled requests (not the simulation's, whose requests come later)
     * @param books book copies seeded
     * @param readers readers seeded
     * @param querySettings the simulation's query settings
     * @param requests how many requests to sample
     * @param progress receives the number sampled so far
     * @return the sampled requests and the store's background work meanwhile
     * @throws SQLException from the database
     */
    static Recorded take(
            ConnectedStore.Servers servers,
            PostgresStoreConfig storeConfig,
            Mix mix,
            long seed,
            long books,
            long readers,
            QuerySettings querySettings,
            int requests,
            IntConsumer progress)
            throws SQLException {
        ConnectedStore.Options options = new ConnectedStore.Options(
                "sample",
                2,
                2,
                storeConfig,
                RecordingDataSource.decoratorByPoolName(),
                io.dcbstore.simulator.metrics.Observability.NONE);
        try (ConnectedStore recording = ConnectedStore.open(servers, options)) {
            LibraryCommands commands =
                    ObservedLibrary.commands(recording.store(), CommandSettings.defaults(), null, null);
            LibraryQueries queries = ObservedLibrary.queries(recording.store(), querySettings, null, null);
            prime(queries, querySettings.maxStaleness());
            Workload workload = new Workload(commands, queries, mix, seed, books, readers);
            for (int i = 0; i < WARM_UP; i++) {
                // Unrecorded: what a store does once (its first append looks up the sequence) is no part of the mix.
                workload.execute(workload.next(System.nanoTime()));
            }
            List<Request> sampled = new ArrayList<>(requests);
            long started = System.nanoTime();
            RecordingDataSource.startBackground();
            List<RoundTrip> background;
            try {
                sample(recording, storeConfig.eventsTable(), workload, requests, sampled, progress);
            } finally {
                background = RecordingDataSource.stopBackground();
            }
            return new Recorded(sampled, background, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static void sample(
            ConnectedStore recording,
            String eventsTable,
            Workload workload,
            int requests,
            List<Request> sampled,
            IntConsumer progress)
            throws SQLException {
        try (Connection connection = recording.primaryPool().getConnection();
                Statement head = connection.createStatement()) {
            String sql = "SELECT coalesce(max(sequence_number), 0) FROM " + eventsTable;
            for (int i = 0; i < requests; i++) {
                Workload.Request request = workload.next(System.nanoTime());
                long headBefore;
                try (ResultSet rows = head.executeQuery(sql)) {
                    rows.next();
                    headBefore = rows.getLong(1);
                }
                RecordingDataSource.start();
                try {
                    workload.execute(request);
                } finally {
                    sampled.add(new Request(request.operation(), RecordingDataSource.stop(), headBefore));
                }
                if ((i + 1) % 500 == 0) {
                    progress.accept(i + 1);
                }
            }
        }
    }

    /** As the simulation does before its load: the library-wide projections, once. */
    private static void prime(LibraryQueries queries, Duration maxStaleness) {
        queries.booksInCirculation(ReadOptions.STRONG.withTimeout(PATIENCE));
        queries.booksLentOut(ReadOptions.STRONG.withTimeout(PATIENCE));
        queries.registeredReaders(ReadOptions.STRONG.withTimeout(PATIENCE));
        if (!maxStaleness.isZero()) {
            queries.booksLentByReader(ReaderId.of("reader-0"), ReadOptions.EVENTUAL.withTimeout(PATIENCE));
        }
    }
}
