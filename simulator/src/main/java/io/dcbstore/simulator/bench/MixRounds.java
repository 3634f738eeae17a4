package io.dcbstore.simulator.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Runs the mix's pgbench processes together, one per server, round after round, and turns their
 * transactions per second into requests per second of the mix.
 *
 * <p>Each process runs closed-loop by itself, so left alone the cheaper side (queries on the
 * replica) would run far ahead of its share of the mix while taking CPU from the other (the
 * servers share the machine). So the side that limits the mix when both run flat out runs flat
 * out and the other is held with {@code -R} to its share of the mix's rate, plus {@value #HEADROOM_PERCENT}% so that it
 * does not hold the mix back. Which rate: the two sides share the machine, so every run where one
 * of them runs flat out gives a point on the line {@code primaryTps * a + replicaTps * b = 1}
 * (a and b: the machine's share one transaction of each takes); two points fit it, and the mix's
 * rate is {@code 1 / (primaryShare * a + replicaShare * b)}. Before the fit has two points, the held
 * side gets its share of the rate the limiting side implied, plus {@value #FIRST_HEADROOM_PERCENT}%.
 * A round's rate is measured, not fitted: the one at which every side kept up with its share, the
 * lowest over the sides of tps / share (never more than the true ceiling: a side held too low
 * limits it, one held too high takes machine from the other).
 */
final class MixRounds {
    /** How far above its share of the fitted rate a held side may run. */
    static final int HEADROOM_PERCENT = 3;

    /** How far above its share of the rate the limiting side implied a held side may run, before the fit. */
    static final int FIRST_HEADROOM_PERCENT = 10;

    /**
     * One pgbench process.
     *
     * @param server the server's name
     * @param pgbench pgbench on that server
     * @param scripts its {@code -f file@weight} options
     * @param share the share of the mix's requests its transactions stand for; 0 for a side that
     *     runs at a fixed rate and stands for no share (reads shared by many queries)
     * @param fixedRate the fixed rate of such a side, or 0
     */
    record Side(String server, Pgbench pgbench, List<String> scripts, double share, double fixedRate) {}

    /**
     * What one round measured.
     *
     * @param tps per side, transactions per second
     * @param rates per side, the {@code -R} it ran at (0: flat out)
     * @param requestsPerSecond the mix's requests per second every side kept up with
     * @param latencyMicros the latency of every transaction that is a request (those of the sides
     *     with a share; with {@code -R}, from its scheduled start, as the simulator measures from a
     *     request's intended start)
     */
    record Round(double[] tps, double[] rates, double requestsPerSecond, Histogram latencyMicros) {}

    private final List<Side> sides;
    private final int clients;

    /**
     * @param sides the processes, each with scripts
     * @param clients clients per process
     */
    MixRounds(List<Side> sides, int clients) {
        this.sides = List.copyOf(sides);
        this.clients = clients;
    }

    /**
     * Runs every side flat out (the fixed-rate ones at their rate).
     *
     * @param seconds how long
     * @return what it measured
     */
    Round calibrate(int seconds) throws IOException, InterruptedException {
        double[] rates = new double[sides.size()];
        for (int i = 0; i < sides.size(); i++) {
            rates[i] = sides.get(i).fixedRate();
        }
        return run(seconds, rates);
    }

    /**
     * Runs a round: the side that limited the mix when every side ran flat out (the first run) runs
     * flat out again, the others are held to their share of the mix's rate as fitted from every run
     * so far (see the class comment).
     *
     * @param seconds how long
     * @param history the runs so far, the calibrations first
     * @return what it measured
     */
    Round next(int seconds, List<Round> history) throws IOException, InterruptedException {
        // The side that fell furthest behind its share when all ran flat out runs flat out; the others are held.
        int limiting = limiting(history.get(0));
        Round previous = history.get(history.size() - 1);
        double fitted = fittedRate(history);
        double rate = fitted > 0
                ? fitted
                : previous.tps()[limiting] / sides.get(limiting).share();
        double headroom = 1 + (fitted > 0 ? HEADROOM_PERCENT : FIRST_HEADROOM_PERCENT) / 100.0;
        double[] rates = new double[sides.size()];
        for (int i = 0; i < sides.size(); i++) {
            Side side = sides.get(i);
            rates[i] = side.share() == 0 ? side.fixedRate() : i == limiting ? 0 : rate * side.share() * headroom;
        }
        return run(seconds, rates);
    }

    /**
     * @param history the runs so far
     * @return the mix's rate from the line through the runs' transactions per second (least
     *     squares), or 0 without two sides that share the mix or two different runs to fit
     */
    double fittedRate(List<Round> history) {
        List<Integer> balanced = new ArrayList<>();
        for (int i = 0; i < sides.size(); i++) {
            if (sides.get(i).share() > 0) {
                balanced.add(i);
            }
        }
        if (balanced.size() != 2 || history.size() < 2) {
            return 0;
        }
        int first = balanced.get(0);
        int second = balanced.get(1);
        double xx = 0;
        double xy = 0;
        double yy = 0;
        double x1 = 0;
        double y1 = 0;
        for (Round round : history) {
            double x = round.tps()[first];
            double y = round.tps()[second];
            xx += x * x;
            xy += x * y;
            yy += y * y;
            x1 += x;
            y1 += y;
        }
        double determinant = xx * yy - xy * xy;
        if (Math.abs(determinant) < 1e-9 * xx * yy) {
            return 0;
        }
        double a = (x1 * yy - y1 * xy) / determinant;
        double b = (y1 * xx - x1 * xy) / determinant;
        if (a <= 0 || b <= 0) {
            return 0;
        }
        return 1 / (sides.get(first).share() * a + sides.get(second).share() * b);
    }

    private int limiting(Round round) {
        int limiting = -1;
        double lowest = Double.MAX_VALUE;
        for (int i = 0; i < sides.size(); i++) {
            if (sides.get(i).share() > 0 && round.tps()[i] / sides.get(i).share() < lowest) {
                lowest = round.tps()[i] / sides.get(i).share();
                limiting = i;
            }
        }
        return limiting;
    }

    private Round run(int seconds, double[] rates) throws IOException, InterruptedException {
        List<Pgbench.Running> running = new ArrayList<>();
        try {
            for (int i = 0; i < sides.size(); i++) {
                Side side = sides.get(i);
                // A side at a fixed rate stands for background work or shared reads: a few per second, two clients do.
                int sideClients = side.share() > 0 ? clients : Math.min(clients, 2);
                running.add(side.pgbench().start(side.scripts(), sideClients, seconds, rates[i], true));
            }
            double[] tps = new double[sides.size()];
            Histogram latencies = new Histogram(3_600_000_000L, 3);
            double requests = Double.MAX_VALUE;
            for (int i = 0; i < sides.size(); i++) {
                Pgbench.Result result = running.get(i).await();
                tps[i] = result.tps();
                if (sides.get(i).share() > 0) {
                    latencies.add(result.latencyMicros());
                    requests = Math.min(requests, result.tps() / sides.get(i).share());
                }
            }
            return new Round(tps, rates, requests, latencies);
        } finally {
            for (Pgbench.Running process : running) {
                process.stop();
            }
        }
    }

    /** @return the header of the rounds' table */
    String header() {
        StringBuilder header = new StringBuilder("| round |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Side side : sides) {
            header.append(" ").append(side.server()).append(" tps (-R) |");
            rule.append("---|");
        }
        return header.append(" requests/s of the mix | p50 / p99 ms |\n")
                .append(rule)
                .append("---|---|")
                .toString();
    }

    /**
     * @param name the round's name
     * @param round what it measured
     * @return its row in the table
     */
    String row(String name, Round round) {
        StringBuilder row = new StringBuilder("| " + name + " |");
        for (int i = 0; i < sides.size(); i++) {
            row.append(String.format(
                    Locale.ROOT,
                    " %,.0f (%s) |",
                    round.tps()[i],
                    round.rates()[i] > 0 ? String.format(Locale.ROOT, "%,.0f", round.rates()[i]) : "-"));
        }
        return row.append(String.format(
                        Locale.ROOT,
                        " %,.0f | %.2f / %.2f |",
                        round.requestsPerSecond(),
                        round.latencyMicros().getValueAtPercentile(50) / 1000.0,
                        round.latencyMicros().getValueAtPercentile(99) / 1000.0))
                .toString();
    }
}
