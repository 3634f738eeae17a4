package io.dcbstore.simulator;

import io.dcbstore.InvalidInputException;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.simulator.chaos.ChaosSchedule;
import io.dcbstore.simulator.load.Mix;
import io.dcbstore.simulator.load.RequestQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything a simulation run needs, validated once (every problem reported together).
 *
 * @param rate target requests per second (the starting rate with {@code findMax})
 * @param duration how long to send at the rate (each step's length with {@code findMax})
 * @param warmup how long to send before measuring
 * @param workers worker threads
 * @param timeout per-request timeout
 * @param primaryUrl an existing primary, or {@code null} for the embedded cluster
 * @param replicaUrl an existing replica, or {@code null}
 * @param user the database user for existing servers
 * @param password the password for existing servers
 * @param books book copies to seed
 * @param readers readers to seed
 * @param events events to seed in all (the rest as lending cycles)
 * @param seed random seed
 * @param reportDirectory where the report goes
 * @param findMax whether to ramp the rate to find the highest sustainable one
 * @param maxP99 the p99 bound for {@code findMax}
 * @param checkInvariants whether to verify the log after the run
 * @param poolSize connections per node
 * @param mix the scenario mix
 * @param queuePolicy how workers pick the next waiting request
 * @param maxStaleness how old a cached projection may be to answer a query without a read (zero: every query reads)
 * @param decisionStates filter items' states the commands keep current through one follower of the log (0: commands read)
 * @param follow whether one follower of the log keeps the library-wide projections current
 *     (always, when {@code decisionStates} is not 0)
 * @param snapshotEvery events between two snapshots of a library-wide projection
 * @param storySnapshots 0: commands read their boundaries from the start of the log; otherwise
 *     they resume copies' and readers' whole stories from snapshots, saved again after this many
 *     new events of a story ({@link io.dcbstore.library.CommandSettings#storySnapshotsAfter()})
 * @param indexedKeys payload keys the store indexes with their events' order
 *     ({@link io.dcbstore.postgres.PostgresStoreConfig#indexedKeys()}); empty for none
 * @param primarySettings PostgreSQL settings of the embedded primary over the tuned ones
 * @param replicaSettings PostgreSQL settings of the embedded replica over the tuned ones
 * @param pgbouncer whether the store reaches the embedded servers through a PgBouncer each, in transaction mode
 * @param metricsPort the port of the Prometheus scrape endpoint, or 0 for none
 * @param tracing whether commands, queries and store calls are traced
 * @param chaos the faults to cause while the load runs ({@code --chaos}), or {@code null} for none
 */
record SimulationConfig(
        double rate,
        Duration duration,
        Duration warmup,
        int workers,
        Duration timeout,
        String primaryUrl,
        String replicaUrl,
        String user,
        String password,
        long books,
        long readers,
        long events,
        long seed,
        Path reportDirectory,
        boolean findMax,
        Duration maxP99,
        boolean checkInvariants,
        int poolSize,
        Mix mix,
        RequestQueue.Policy queuePolicy,
        Duration maxStaleness,
        int decisionStates,
        boolean follow,
        int snapshotEvery,
        int storySnapshots,
        List<String> indexedKeys,
        Map<String, String> primarySettings,
        Map<String, String> replicaSettings,
        boolean pgbouncer,
        int metricsPort,
        boolean tracing,
        ChaosSchedule chaos) {
    SimulationConfig {
        List<String> problems = new ArrayList<>();
        if (decisionStates != 0 && decisionStates < 64) {
            problems.add("--decision-states must be 0 (commands read) or at least 64, got " + decisionStates);
        }
        primarySettings = Map.copyOf(primarySettings);
        if (!primarySettings.isEmpty() && primaryUrl != null) {
            problems.add("--primary-setting applies to the embedded primary only, not to --primary-url");
        }
        replicaSettings = Map.copyOf(replicaSettings);
        if (!replicaSettings.isEmpty() && primaryUrl != null) {
            problems.add("--replica-setting applies to the embedded replica only, not to --primary-url");
        }
        if (pgbouncer && primaryUrl != null) {
            problems.add("--pgbouncer starts PgBouncer in front of the embedded servers; with --primary-url, put the"
                    + " pooler's address (and prepareThreshold=0) in the URL instead");
        }
        if (snapshotEvery < 1) {
            problems.add("--snapshot-every must be positive, got " + snapshotEvery);
        }
        if (storySnapshots < 0) {
            problems.add("--story-snapshots must be 0 (off) or positive, got " + storySnapshots);
        }
        indexedKeys = List.copyOf(indexedKeys);
        try {
            PostgresStoreConfig.defaults().withIndexedKeys(indexedKeys.toArray(String[]::new));
        } catch (InvalidInputException e) {
            e.problems().forEach(problem -> problems.add("--indexed-keys: " + problem));
        }
        if (metricsPort < 0 || metricsPort > 65_535) {
            problems.add("--metrics-port must be between 0 (off) and 65535, got " + metricsPort);
        }
        if (!(rate > 0 && rate <= 100_000)) {
            problems.add("--rate must be between 0 and 100000 requests/s, got " + rate);
        }
        if (duration == null || duration.toMillis() < 1000 || duration.toMillis() % 1000 != 0) {
            // The timeline, the live line and the windows count whole seconds.
            problems.add("--duration must be a whole number of seconds, at least 1s, got "
                    + (duration == null ? "none" : duration.toMillis() + "ms"));
        }
        if (warmup == null || warmup.isNegative()) {
            problems.add("--warmup must not be negative");
        }
        if (workers < 1 || workers > 1024) {
            problems.add("--workers must be between 1 and 1024, got " + workers);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            problems.add("--timeout must be positive");
        }
        if (primaryUrl == null && replicaUrl != null) {
            problems.add("--replica-url needs --primary-url (the embedded cluster brings its own replica)");
        }
        for (String url : new String[] {primaryUrl, replicaUrl}) {
            if (url != null && !url.startsWith("jdbc:postgresql:")) {
                problems.add("database URLs must start with jdbc:postgresql:, got one starting with "
                        + url.substring(0, Math.min(url.length(), url.indexOf(':', 5) + 1)));
            }
        }
        if (books < 1 || readers < 1) {
            problems.add("--books and --readers must be positive");
        }
        if (events < 0) {
            problems.add("--events must not be negative");
        }
        if (maxP99 == null || maxP99.isNegative() || maxP99.isZero()) {
            problems.add("--max-p99 must be positive");
        }
        if (poolSize < 1 || poolSize > 200) {
            problems.add("--pool-size must be between 1 and 200, got " + poolSize);
        }
        if (maxStaleness == null || maxStaleness.isNegative() || maxStaleness.compareTo(Duration.ofMinutes(10)) > 0) {
            problems.add("--max-staleness must be between 0 and 600000 ms");
        }
        if (queuePolicy == null) {
            problems.add("--queue must be fifo or adaptive-lifo");
        }
        if (chaos != null) {
            if (primaryUrl != null) {
                problems.add(
                        "--chaos stops and kills servers, so it runs on the embedded cluster only, not with --primary-url");
            }
            if (findMax) {
                problems.add("--chaos and --find-max cannot be combined");
            }
            String outsideTheRun = duration == null ? null : chaos.problemFor(duration);
            if (outsideTheRun != null) {
                problems.add(outsideTheRun);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /**
     * The same settings for one find-max of the growth benchmark.
     *
     * @param eventCount events to seed
     * @param bookCount book copies to seed
     * @param readerCount readers to seed
     * @param staleness how old a cached projection may be to answer a query
     * @param directory where this find-max's report goes
     * @param step each find-max step's length
     * @param warm the unmeasured load before the steps
     * @return the settings, with find-max on
     */
    SimulationConfig forGrowth(
            long eventCount,
            long bookCount,
            long readerCount,
            Duration staleness,
            Path directory,
            Duration step,
            Duration warm) {
        return new SimulationConfig(
                rate,
                step,
                warm,
                workers,
                timeout,
                primaryUrl,
                replicaUrl,
                user,
                password,
                bookCount,
                readerCount,
                eventCount,
                seed,
                directory,
                true,
                maxP99,
                checkInvariants,
                poolSize,
                mix,
                queuePolicy,
                staleness,
                decisionStates,
                follow,
                snapshotEvery,
                storySnapshots,
                indexedKeys,
                primarySettings,
                replicaSettings,
                pgbouncer,
                metricsPort,
                tracing,
                chaos);
    }
}
