package io.dcbstore.simulator.bench;

import io.dcbstore.library.QuerySettings;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.load.Mix;
import io.dcbstore.simulator.load.RequestKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The database's own ceiling for the simulator's statement mix ({@code ./simulate bench-mix}):
 * samples the simulator's requests through a store that records what it sends, turns them into
 * pgbench scripts that send the same SQL with the same values, and runs them, queries on the
 * replica and commands on the primary as the simulator sends them, in rounds, in requests per
 * second of the mix. Prints a Markdown report.
 */
public final class MixCeiling {
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+).*");

    /**
     * What to measure.
     *
     * @param pgbench the pgbench executable
     * @param clients pgbench clients per server
     * @param seconds seconds per round
     * @param rounds rounds after the calibration
     * @param sampleRequests requests to sample
     * @param sampleSeed the random seed of the sampled requests
     * @param mix the simulation's mix
     * @param books book copies seeded
     * @param readers readers seeded
     * @param querySettings the simulation's query settings: its bounded staleness (zero: every query reads)
     */
    public record Settings(
            String pgbench,
            int clients,
            int seconds,
            int rounds,
            int sampleRequests,
            long sampleSeed,
            Mix mix,
            long books,
            long readers,
            QuerySettings querySettings) {
        /** @return the simulation's bounded staleness (zero: every query reads) */
        Duration maxStaleness() {
            return querySettings.maxStaleness();
        }
    }

    private MixCeiling() {}

    /**
     * @param settings what to measure
     * @param servers where the servers are (for the recording store and pgbench)
     * @param connected the simulation's store and pools on them, seeded
     * @return the median over the rounds of the requests per second of the mix the database sustained
     * @throws IOException when pgbench is missing or fails
     * @throws SQLException from the database
     * @throws InterruptedException when interrupted
     */
    public static double measure(Settings settings, ConnectedStore.Servers servers, ConnectedStore connected)
            throws IOException, SQLException, InterruptedException {
        line("# The database's ceiling for the simulator's statement mix, %s", Instant.now());
        MixSample.Recorded sample = MixSample.take(
                servers,
                connected.storeConfig(),
                settings.mix(),
                settings.sampleSeed(),
                settings.books(),
                settings.readers(),
                settings.querySettings(),
                settings.sampleRequests(),
                done -> System.err.printf("\rsampled %,d requests", done));
        System.err.println();
        MixScripts.Plan plan = MixScripts.plan(sample, settings.mix());
        describe(sample, plan);
        if (plan.scripts().isEmpty()) {
            throw new IllegalStateException("the sampled requests sent nothing to the database");
        }
        List<MixDispatcher.Side> sides = sides(settings, plan);
        MixDispatcher.load(connected.primaryPool(), sides, settings.sampleSeed());
        try {
            if (connected.replicaPool() != null) {
                awaitReplica(connected.replicaPool(), connected.primaryPool());
            }
            Path directory = Files.createTempDirectory("bench-mix-");
            String table = connected.storeConfig().eventsTable();
            List<MixRounds.Side> replays = new ArrayList<>();
            List<MixRounds.Side> fetches = new ArrayList<>();
            for (MixDispatcher.Side side : sides) {
                Pgbench pgbench = pgbench(settings.pgbench(), side.server(), servers);
                Path script = directory.resolve(side.id() + "-" + side.server() + ".sql");
                Files.writeString(script, MixDispatcher.script(side, table, settings.books(), settings.readers()));
                Path fetch = directory.resolve(side.id() + "-" + side.server() + "-fetch-only.sql");
                Files.writeString(
                        fetch, MixDispatcher.withoutBodies(side, table, settings.books(), settings.readers()));
                replays.add(new MixRounds.Side(
                        side.name(), pgbench, options(script, side), side.share(), side.fixedRate()));
                fetches.add(
                        new MixRounds.Side(side.name(), pgbench, options(fetch, side), side.share(), side.fixedRate()));
            }
            line("Scripts: %s", directory);
            List<MixRounds.Round> measured = rounds(settings, replays);
            double ceiling = Medians.of(
                    measured.stream().map(MixRounds.Round::requestsPerSecond).toList());
            line("Median: %,.0f requests/s of the mix.", ceiling);
            harness(settings, fetches, measured.get(measured.size() - 1));
            return ceiling;
        } finally {
            MixDispatcher.drop(connected.primaryPool());
        }
    }

    private static List<String> options(Path script, MixDispatcher.Side side) {
        List<String> options = new ArrayList<>(List.of("-f", script.toString()));
        options.addAll(MixDispatcher.variables(side));
        return options;
    }

    private static List<MixRounds.Round> rounds(Settings settings, List<MixRounds.Side> sides)
            throws IOException, InterruptedException {
        MixRounds rounds = new MixRounds(sides, settings.clients());
        line("");
        line(
                "## pgbench, %d clients per server, -M prepared, %d s per round (requests/s of the mix: the lowest"
                        + " over the sides of tps / share)",
                settings.clients(), settings.seconds());
        line(rounds.header());
        long balanced = sides.stream().filter(side -> side.share() > 0).count();
        List<MixRounds.Round> history = new ArrayList<>();
        if (balanced > 1) {
            // Two short runs give the first two points of the fit: both sides flat out, then one held.
            int calibration = Math.max(3, Math.min(settings.seconds(), 10) / 2);
            history.add(rounds.calibrate(calibration));
            line(rounds.row("calibration, flat out", history.get(0)));
            history.add(rounds.next(calibration, history));
            line(rounds.row("calibration, held", history.get(1)));
        }
        List<MixRounds.Round> measured = new ArrayList<>();
        for (int round = 1; round <= settings.rounds(); round++) {
            MixRounds.Round result =
                    history.isEmpty() ? rounds.calibrate(settings.seconds()) : rounds.next(settings.seconds(), history);
            line(rounds.row(Integer.toString(round), result));
            measured.add(result);
            history.add(result);
        }
        return measured;
    }

    /**
     * What the replay adds to the store's round trips: its fetches alone, every side flat out
     * together. If the machine is the limit, the fetches took between the lowest and the highest
     * over the sides of (the last round's tps / the fetches' tps) of it.
     */
    private static void harness(Settings settings, List<MixRounds.Side> fetches, MixRounds.Round last)
            throws IOException, InterruptedException {
        MixRounds harness = new MixRounds(fetches, settings.clients());
        MixRounds.Round alone = harness.calibrate(Math.min(settings.seconds(), 10));
        double lowest = Double.MAX_VALUE;
        double highest = 0;
        StringBuilder rates = new StringBuilder();
        for (int i = 0; i < fetches.size(); i++) {
            if (fetches.get(i).share() > 0) {
                lowest = Math.min(lowest, last.tps()[i] / alone.tps()[i]);
                highest = Math.max(highest, last.tps()[i] / alone.tps()[i]);
                rates.append(rates.length() == 0 ? "" : ", ")
                        .append(String.format(
                                Locale.ROOT, "%s %,.0f/s", fetches.get(i).server(), alone.tps()[i]));
            }
        }
        line("");
        line(
                "The replay's own fetch (one query every %d requests for the values of the next %d) alone, every side"
                        + " flat out together: %s. At the last round's rates it took %.1f%% to %.1f%% of the machine, so"
                        + " the store's statements alone would reach about that much more than the ceiling above.",
                MixDispatcher.SLOTS, MixDispatcher.SLOTS, rates, lowest * 100, highest * 100);
    }

    /**
     * One process per server; under bounded staleness the queries' reads are a process of their
     * own, at one read per query kind per staleness window (what the simulator's queries then send,
     * whatever the rate), standing for no share of the requests; the store's background work
     * (notifications of appends, replica health checks) is a process per server at the rate the
     * sample saw it.
     */
    private static List<MixDispatcher.Side> sides(Settings settings, MixScripts.Plan plan) {
        boolean sharedReads = !settings.maxStaleness().isZero();
        List<MixDispatcher.Side> sides = new ArrayList<>();
        for (String server : plan.servers()) {
            for (boolean queries : new boolean[] {false, true}) {
                List<MixScripts.Script> scripts = plan.scripts().stream()
                        .filter(script -> script.server().equals(server))
                        .filter(script -> !sharedReads || script.kind().isCommand() != queries)
                        .toList();
                if (scripts.isEmpty() || (!sharedReads && queries)) {
                    continue;
                }
                double share =
                        scripts.stream().mapToDouble(MixScripts.Script::share).sum();
                if (sharedReads && queries) {
                    long kinds = scripts.stream()
                            .map(MixScripts.Script::kind)
                            .distinct()
                            .count();
                    double rate = kinds * 1000.0 / settings.maxStaleness().toMillis();
                    sides.add(new MixDispatcher.Side(
                            sides.size() + 1, server + " (shared reads)", server, scripts, 0, rate));
                } else {
                    sides.add(new MixDispatcher.Side(sides.size() + 1, server, server, scripts, share, 0));
                }
            }
        }
        for (String server : List.of("primary", "replica")) {
            if (!plan.background(server).isEmpty() && plan.backgroundRate(server) > 0) {
                sides.add(new MixDispatcher.Side(
                        sides.size() + 1,
                        server + " (background)",
                        server,
                        plan.background(server),
                        0,
                        plan.backgroundRate(server)));
            }
        }
        return sides;
    }

    /**
     * Fails fast, before any server is started, when pgbench cannot run.
     *
     * @param executable the pgbench executable
     * @throws IOException naming what to install
     */
    public static void requirePgbench(String executable) throws IOException {
        if (!new Pgbench(executable, "127.0.0.1", 5432, "postgres", "postgres").available()) {
            throw new IOException("pgbench not found (" + executable
                    + "): bench-mix runs the store's SQL under pgbench; install postgresql-client or pass --pgbench");
        }
    }

    private static Pgbench pgbench(String executable, String server, ConnectedStore.Servers servers)
            throws IOException {
        String url = server.equals("replica") ? servers.replicaUrl() : servers.primaryUrl();
        Matcher matcher = JDBC_URL.matcher(url);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "bench-mix needs jdbc:postgresql://host[:port]/database URLs, got " + url);
        }
        Pgbench pgbench = new Pgbench(
                executable,
                matcher.group(1),
                matcher.group(2) == null ? 5432 : Integer.parseInt(matcher.group(2)),
                servers.user(),
                matcher.group(3),
                servers.password() == null ? "" : servers.password());
        return pgbench;
    }

    private static void describe(MixSample.Recorded sample, MixScripts.Plan plan) {
        Map<RequestKind, Long> kinds = new EnumMap<>(RequestKind.class);
        sample.requests().forEach(request -> kinds.merge(request.kind(), 1L, Long::sum));
        line("");
        line(
                "Sample: %,d requests of the simulator's workload, one at a time (%s); %.1f%% of the mix sent nothing"
                        + " to the database; %d left out (round trips to both servers, or two appends). The store's"
                        + " background work during the sample is replayed at the rate the sample saw it.",
                sample.requests().size(),
                kinds.entrySet().stream()
                        .map(entry -> entry.getKey().key() + " " + entry.getValue())
                        .collect(Collectors.joining(", ")),
                plan.freeShare() * 100,
                plan.leftOut());
        line("");
        line(
                "| script | server | share of requests | sampled | values fetched per request | statements per round trip |");
        line("|---|---|---|---|---|---|");
        line("%s", MixScripts.describe(plan));
    }

    /** Waits until the replica holds both tables as the primary does (pgbench reads them there). */
    private static void awaitReplica(DataSource replica, DataSource primary) throws SQLException, InterruptedException {
        String count = "SELECT (SELECT count(*) FROM " + MixDispatcher.PARAMETERS + ") + (SELECT count(*) FROM "
                + MixDispatcher.DRAWS + ")";
        long expected;
        try (Connection connection = primary.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(count)) {
            rows.next();
            expected = rows.getLong(1);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection connection = replica.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(count)) {
                rows.next();
                if (rows.getLong(1) == expected) {
                    return;
                }
            } catch (SQLException notYetReplayed) {
                // The tables' creation has not reached the replica yet.
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the replica did not receive the parameter tables within 60 s");
    }

    private static void line(String format, Object... arguments) {
        BenchmarkOutput.line(format, arguments);
    }
}
