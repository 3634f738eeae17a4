package io.dcbstore.simulator;

import io.dcbstore.simulator.chaos.ChaosSchedule;
import io.dcbstore.simulator.load.Mix;
import io.dcbstore.simulator.load.RequestQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of a simulation run, shared by {@code ./simulate} and the benchmarks that run the
 * simulation too ({@code bench-mix}): a picocli mixin, turned into a validated
 * {@link SimulationConfig} once.
 */
final class SimulationOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--rate",
            defaultValue = "500",
            description = "target requests per second, sent on a fixed schedule (default ${DEFAULT-VALUE})")
    double rate;

    @Option(
            names = "--duration",
            defaultValue = "60s",
            converter = DurationOption.Seconds.class,
            description = "how long to run (with --find-max: each step), e.g. 90s, 10m, 1h;"
                    + " a bare number is seconds (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(
            names = "--warmup",
            defaultValue = "5s",
            converter = DurationOption.Seconds.class,
            description = "unmeasured load before the run (a bare number is seconds); the rate rises from a tenth"
                    + " of --rate to --rate over its first two thirds (default ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(
            names = "--workers",
            defaultValue = "16",
            description =
                    "worker threads executing requests; more than --pool-size, so that"
                            + " requests answered from memory do not wait behind ones waiting for a connection (default ${DEFAULT-VALUE})")
    int workers;

    @Option(
            names = "--timeout",
            defaultValue = "1000ms",
            converter = DurationOption.Millis.class,
            description = "per-request timeout, e.g. 1s; a bare number is milliseconds (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(
            names = "--primary-url",
            description = "use an existing primary (jdbc:postgresql://...) instead of the embedded cluster")
    String primaryUrl;

    @Option(
            names = "--replica-url",
            description = "an existing replica for eventual reads; without it every read goes to the primary")
    String replicaUrl;

    @Option(
            names = "--user",
            defaultValue = "postgres",
            description = "database user for --primary-url/--replica-url (default ${DEFAULT-VALUE})")
    String user;

    @Option(names = "--password", defaultValue = "", description = "database password (or set PGPASSWORD)")
    String password;

    @Option(
            names = "--books",
            defaultValue = "20000",
            description = "book copies in the seeded library (default ${DEFAULT-VALUE})")
    long books;

    @Option(
            names = "--readers",
            defaultValue = "5000",
            description = "readers in the seeded library (default ${DEFAULT-VALUE})")
    long readers;

    @Option(
            names = "--events",
            defaultValue = "100000",
            description = "events in the seeded history; the rest are lending cycles (default ${DEFAULT-VALUE})")
    long events;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "random seed of the request sequence (default ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--report-dir",
            defaultValue = "simulation-report",
            description = "directory for report.json and report.html (default ${DEFAULT-VALUE})")
    Path reportDirectory;

    @Option(
            names = "--find-max",
            description = "ramp the rate step by step and report the highest rate sustained within the bounds")
    boolean findMax;

    @Option(
            names = "--max-p99",
            defaultValue = "50ms",
            converter = DurationOption.Millis.class,
            description = "p99 bound for --find-max, drawn as the goal line in report.html; a bare number is"
                    + " milliseconds (default ${DEFAULT-VALUE})")
    Duration maxP99;

    @Option(
            names = "--check-invariants",
            description = "after the run, verify the lending rules from the event log; exit 1 on a violation")
    boolean checkInvariants;

    @Option(
            names = "--pool-size",
            defaultValue = "8",
            description = "maximum connections per node: more server processes than"
                    + " cores only compete for them (default ${DEFAULT-VALUE})")
    int poolSize;

    @Option(
            names = "--mix",
            description =
                    "operation weights, e.g. lend=15,q_books_lent_by_reader=45 (names: lend, return, add_copy,"
                            + " remove_copy, register_reader, cancel_reader, q_books_lent_by_reader, q_books_in_circulation, q_books_lent_out, q_registered_readers)")
    String mixWeights;

    @Option(
            names = "--contention",
            defaultValue = "0.05",
            description = "share of lends aimed at a few hot copies (real conflicts) (default ${DEFAULT-VALUE})")
    double contention;

    @Option(
            names = "--repeats",
            defaultValue = "0.10",
            description = "share of add/register commands repeated (idempotent) (default ${DEFAULT-VALUE})")
    double repeats;

    @Option(
            names = "--failures",
            defaultValue = "0.10",
            description = "share of returns of copies not on loan (business failures) (default ${DEFAULT-VALUE})")
    double failures;

    @Option(
            names = "--queue",
            defaultValue = "adaptive-lifo",
            description = "how workers pick the next waiting request: fifo, or"
                    + " adaptive-lifo (oldest first until the oldest has waited 50 ms, then newest first, so an overload"
                    + " does not make every request wait a whole timeout) (default ${DEFAULT-VALUE})")
    String queue;

    @Option(
            names = "--max-staleness",
            defaultValue = "0ms",
            converter = DurationOption.Millis.class,
            description =
                    "how old a cached projection may be and still answer a query without reading the replica;"
                            + " a bare number is milliseconds (0: every query reads; e.g. 100: concurrent queries share one"
                            + " read per 100 ms, and a reader's loans come from one shared projection) (default ${DEFAULT-VALUE})")
    Duration maxStaleness;

    @Option(
            names = "--decision-states",
            defaultValue = "0",
            description = "how many filter items' states (a copy's or a reader's story) the commands keep in memory,"
                    + " current with the log through one follower, so that a command whose states are current appends"
                    + " without reading its boundary (0: every command reads its boundary) (default ${DEFAULT-VALUE})")
    int decisionStates;

    @Option(
            names = "--follow",
            description = "one follower of the log keeps the library-wide projections current in the background"
                    + " (a subscription, and a catch-up of every projection at most every 50 ms), so that queries"
                    + " under --max-staleness find a recent state instead of reading on the request path")
    boolean follow;

    @Option(
            names = "--primary-setting",
            description = "a PostgreSQL setting of the embedded primary over the tuned ones, name=value"
                    + " (repeatable; e.g. commit_delay=50 commit_siblings=5)")
    List<String> primarySettings = new ArrayList<>();

    @Option(
            names = "--replica-setting",
            description = "a PostgreSQL setting of the embedded replica over the tuned ones, name=value"
                    + " (repeatable; e.g. shared_buffers=4GB)")
    List<String> replicaSettings = new ArrayList<>();

    @Option(
            names = "--pgbouncer",
            description =
                    "reach the embedded primary and replica through a PgBouncer each, in transaction mode, with as"
                            + " many server connections as --pool-size and prepareThreshold=0 (needs the system's pgbouncer:"
                            + " apt-get install pgbouncer)")
    boolean pgbouncer;

    @Option(
            names = "--snapshot-every",
            defaultValue = "20000",
            description = "events between two snapshots of a library-wide projection (they serve cold starts;"
                    + " saved on a background thread) (default ${DEFAULT-VALUE})")
    int snapshotEvery;

    @Option(
            names = "--story-snapshots",
            defaultValue = "0",
            description = "0: commands read their boundaries from the start of the log; N: they resume copies' and"
                    + " readers' whole stories from snapshots and read only the log after them, saving a story again"
                    + " once a read found N of its events after its snapshot (default ${DEFAULT-VALUE})")
    int storySnapshots;

    @Option(
            names = "--indexed-keys",
            split = ",",
            description = "payload keys the store indexes with their events' order, so that reads of a story's tail"
                    + " and append checks visit only the newer events (e.g. BookID,ReaderID; default: none)")
    List<String> indexedKeys = new ArrayList<>();

    @Option(
            names = "--metrics-port",
            defaultValue = "0",
            description = "serve Prometheus metrics (JVM, pools, store, library handlers, simulator) on"
                    + " http://<host>:<port>/metrics while the simulation runs (0: off) (default ${DEFAULT-VALUE})")
    int metricsPort;

    @Option(
            names = "--tracing",
            description = "trace every command, query and store call (Micrometer Observation through the"
                    + " OpenTelemetry bridge; trace and span ids in the logs' MDC; spans are made, then dropped)")
    boolean tracing;

    @Option(
            names = "--chaos",
            description = "while the load runs, stop and restart the replica and kill (SIGKILL) and restart the"
                    + " primary (embedded cluster only); report each outage, then check that every acknowledged append"
                    + " is in the log once (exit 1 if not) and check the invariants")
    boolean chaos;

    @Option(
            names = "--chaos-schedule",
            description =
                    "the faults of --chaos (implies it): action@seconds from the start of the measured run,"
                            + " comma-separated; actions stop-replica, start-replica, kill-primary, start-primary (default for"
                            + " 180 s: stop-replica@30s,start-replica@50s,kill-primary@90s,start-primary@100s, scaled to --duration)")
    String chaosSchedule;

    /**
     * Every invalid option is named, together: an option that does not parse (the mix, the queue,
     * a server setting, the chaos schedule) is reported and stands in as its default for the other
     * checks, so the configuration's own checks run too. Checks that need the parsed value (whether
     * the chaos schedule fits the run) wait until it parses.
     *
     * @return the validated configuration
     * @throws ParameterException naming every invalid option
     */
    SimulationConfig toConfig() {
        List<String> problems = new ArrayList<>();
        Mix mix = mix(problems);
        RequestQueue.Policy queuePolicy = parsed(problems, RequestQueue.Policy.ADAPTIVE_LIFO, () -> queuePolicy(queue));
        Map<String, String> primary = settings(problems, "--primary-setting", primarySettings);
        Map<String, String> replica = settings(problems, "--replica-setting", replicaSettings);
        ChaosSchedule schedule = parsed(problems, null, this::chaosSchedule);
        String effectivePassword =
                password.isEmpty() && System.getenv("PGPASSWORD") != null ? System.getenv("PGPASSWORD") : password;
        try {
            SimulationConfig config = new SimulationConfig(
                    rate,
                    duration,
                    warmup,
                    workers,
                    timeout,
                    primaryUrl,
                    replicaUrl,
                    user,
                    effectivePassword,
                    books,
                    readers,
                    events,
                    seed,
                    reportDirectory,
                    findMax,
                    maxP99,
                    checkInvariants,
                    poolSize,
                    mix,
                    queuePolicy,
                    maxStaleness,
                    decisionStates,
                    follow,
                    snapshotEvery,
                    storySnapshots,
                    indexedKeys,
                    primary,
                    replica,
                    pgbouncer,
                    metricsPort,
                    tracing,
                    schedule);
            if (problems.isEmpty()) {
                return config;
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        throw new ParameterException(spec.commandLine(), "invalid options: " + String.join("; ", problems));
    }

    /** The shares and the weights are checked apart, so that both are reported when both are wrong. */
    private Mix mix(List<String> problems) {
        Mix shares = parsed(problems, null, () -> Mix.defaults().withShares(contention, repeats, failures));
        Mix weighted = mixWeights == null
                ? Mix.defaults()
                : parsed(problems, null, () -> Mix.defaults().withWeights(mixWeights));
        return shares == null || weighted == null ? Mix.defaults() : weighted.withShares(contention, repeats, failures);
    }

    /** @return the parsed value, or the stand-in after adding why it did not parse to the problems */
    private static <T> T parsed(List<String> problems, T standIn, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return standIn;
        }
    }

    private static Map<String, String> settings(List<String> problems, String option, List<String> given) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String setting : given) {
            int equals = setting.indexOf('=');
            String name = equals < 0 ? "" : setting.substring(0, equals).trim();
            String value = equals < 0 ? "" : setting.substring(equals + 1).trim();
            if (!SETTING_NAME.matcher(name).matches()
                    || !SETTING_VALUE.matcher(value).matches()) {
                problems.add(option + " looks like name=value (letters, digits, _ and . in the name; letters, digits,"
                        + " _ . : / - and spaces in the value), got '" + setting + "'");
            } else {
                settings.put(name, value);
            }
        }
        return settings;
    }

    private static final Pattern SETTING_NAME = Pattern.compile("[a-z][a-z0-9_.]{0,62}");
    private static final Pattern SETTING_VALUE = Pattern.compile("[A-Za-z0-9_.:/ -]{1,200}");

    private ChaosSchedule chaosSchedule() {
        if (chaosSchedule != null) {
            return ChaosSchedule.parse(chaosSchedule);
        }
        return chaos ? ChaosSchedule.defaultFor(duration) : null;
    }

    private static RequestQueue.Policy queuePolicy(String name) {
        return switch (name) {
            case "fifo" -> RequestQueue.Policy.FIFO;
            case "adaptive-lifo" -> RequestQueue.Policy.ADAPTIVE_LIFO;
            default -> throw new IllegalArgumentException("--queue must be fifo or adaptive-lifo, got " + name);
        };
    }
}
