package io.dcbstore.simulator.bench;

import io.dcbstore.simulator.bench.MixScripts.Script;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.sql.DataSource;

/**
 * The pgbench script of one pgbench process: one transaction is one request, drawn by the mix's
 * weights from that process's scripts, sending the store's round trips with a sampled request's
 * values.
 *
 * <p>pgbench gets those values only from a query ({@code \gset}, not allowed inside a pipeline),
 * so a client fetches the values of its next {@value #SLOTS} requests in one query, from a table
 * of weighted draws ({@value #DRAWS}, {@value #DRAWS_PER_SIDE} per process) joined to the sampled
 * parameters ({@value #PARAMETERS}); both tables are on the primary and replicated. The fetch is
 * one round trip every {@value #SLOTS} requests that the store does not make (measured separately:
 * {@link #withoutBodies}); what depends on the moment (the newest event, for the safe mark the
 * store would pass and for the positions projections read after; fresh event ids) is computed by
 * that fetch, so it is at most {@value #SLOTS} requests old.
 */
final class MixDispatcher {
    /**
     * The sampled values: per script and sampled request, the values that differ between its
     * requests, its payloads (with placeholders for their ids) and how many event ids it appends.
     */
    static final String PARAMETERS = "dcb_bench_mix";

    /** The weighted draws: per process, which script and which sampled request each draw replays. */
    static final String DRAWS = "dcb_bench_mix_draw";

    /** Requests whose values one fetch brings. */
    static final int SLOTS = 4;

    /** Draws per process. */
    static final int DRAWS_PER_SIDE = 20_000;

    /**
     * The scripts one pgbench process replays.
     *
     * @param id its number in {@value #DRAWS}
     * @param name its name in reports
     * @param server the server it connects to
     * @param scripts the scripts, drawn by their shares
     * @param share the share of all requests they stand for, or 0 when they run at a fixed rate
     * @param fixedRate the rate they run at when they stand for no share (reads shared by many
     *     queries under bounded staleness), else 0
     */
    record Side(int id, String name, String server, List<Script> scripts, double share, double fixedRate) {}

    private MixDispatcher() {}

    /**
     * @param side the process's scripts
     * @param eventsTable the store's events table
     * @param books book copies seeded
     * @param readers readers seeded
     * @return the pgbench script; it needs {@code -D slot=0}
     */
    static String script(Side side, String eventsTable, long books, long readers) {
        return text(side, eventsTable, books, readers, true);
    }

    /**
     * @return the same script without the store's round trips: what the replay adds
     */
    static String withoutBodies(Side side, String eventsTable, long books, long readers) {
        return text(side, eventsTable, books, readers, false);
    }

    private static String text(Side side, String eventsTable, long books, long readers, boolean bodies) {
        StringBuilder text = new StringBuilder(String.format(
                Locale.ROOT,
                "-- bench-mix, %s: one request per transaction, drawn from %d paths by the mix; every %dth"
                        + " transaction of a client first fetches the values of its next %d%n",
                side.name(),
                side.scripts().size(),
                SLOTS,
                SLOTS));
        text.append("\\set slot :slot % ").append(SLOTS).append(" + 1\n\\if :slot = 1\n");
        for (int slot = 1; slot <= SLOTS; slot++) {
            text.append(String.format(Locale.ROOT, "\\set d%d random(1, %d)%n", slot, DRAWS_PER_SIDE));
        }
        text.append(fetch(side, eventsTable, books, readers)).append("\n\\endif\n");
        if (!bodies) {
            return text.toString();
        }
        for (int slot = 1; slot <= SLOTS; slot++) {
            text.append(slot == 1 ? "\\if" : "\\elif")
                    .append(" :slot = ")
                    .append(slot)
                    .append('\n');
            for (int i = 0; i < side.scripts().size(); i++) {
                Script script = side.scripts().get(i);
                text.append(String.format(
                        Locale.ROOT,
                        "%s :s%d = %d%n-- %s%n",
                        i == 0 ? "\\if" : "\\elif",
                        slot,
                        script.id(),
                        script.name()));
                text.append(MixScripts.body(script, slot));
            }
            text.append("\\endif\n");
        }
        return text.append("\\endif\n").toString();
    }

    private static String fetch(Side side, String eventsTable, long books, long readers) {
        int columns = columns(side);
        List<String> select = new ArrayList<>(List.of(MixParameters.sharedColumns()));
        List<String> from = new ArrayList<>();
        List<String> where = new ArrayList<>();
        for (int slot = 1; slot <= SLOTS; slot++) {
            select.add("d" + slot + ".script AS s" + slot);
            for (int column = 1; column <= columns; column++) {
                select.add("p" + slot + ".params[" + column + "] AS v" + slot + "_" + column);
            }
            select.add(MixParameters.computedColumns("p" + slot, slot, books, readers));
            from.add(String.format(
                    Locale.ROOT,
                    "%1$s AS d%2$d JOIN %3$s AS p%2$d ON p%2$d.script = d%2$d.script AND p%2$d.n = d%2$d.n",
                    DRAWS,
                    slot,
                    PARAMETERS));
            where.add(String.format(Locale.ROOT, "d%1$d.side = %2$d AND d%1$d.draw = :d%1$d", slot, side.id()));
        }
        return "SELECT " + String.join(", ", select) + " FROM " + String.join(" CROSS JOIN ", from)
                + " CROSS JOIN LATERAL (SELECT sequence_number AS seq, transaction_id::text AS xid FROM " + eventsTable
                + " ORDER BY sequence_number DESC LIMIT 1) AS newest WHERE " + String.join(" AND ", where) + " \\gset";
    }

    /** @return the most values any of the side's scripts fetches per request */
    private static int columns(Side side) {
        return side.scripts().stream().mapToInt(Script::columns).max().orElse(0);
    }

    /**
     * @param side the process's scripts
     * @return the {@code -D} options pgbench needs for the script: the scripts' constants and the slot counter
     */
    static List<String> variables(Side side) {
        List<String> options = new ArrayList<>(List.of("-D", "slot=0"));
        side.scripts().forEach(script -> options.addAll(script.constants()));
        return options;
    }

    /**
     * Creates both tables on the primary (dropping old ones) and loads every side's scripts'
     * parameters and draws.
     *
     * @param primary the primary
     * @param sides the processes
     * @param seed the draws' random seed
     * @throws SQLException from the database
     */
    static void load(DataSource primary, List<Side> sides, long seed) throws SQLException {
        try (Connection connection = primary.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + PARAMETERS + ", " + DRAWS);
                statement.execute("CREATE TABLE " + PARAMETERS + " (script int NOT NULL, n int NOT NULL,"
                        + " params text[] NOT NULL, payload text NOT NULL, ids int NOT NULL, PRIMARY KEY (script, n))");
                statement.execute("CREATE TABLE " + DRAWS + " (side int NOT NULL, draw int NOT NULL,"
                        + " script int NOT NULL, n int NOT NULL, PRIMARY KEY (side, draw))");
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + PARAMETERS + " (script, n, params, payload, ids) VALUES (?, ?, ?, ?, ?)")) {
                for (Side side : sides) {
                    int columns = columns(side);
                    for (Script script : side.scripts()) {
                        for (int row = 0; row < script.rows().size(); row++) {
                            MixScripts.Row values = script.rows().get(row);
                            List<String> padded = new ArrayList<>(values.columns());
                            while (padded.size() < columns) {
                                padded.add("");
                            }
                            insert.setInt(1, script.id());
                            insert.setInt(2, row + 1);
                            insert.setArray(3, connection.createArrayOf("text", padded.toArray()));
                            insert.setString(4, values.payload());
                            insert.setInt(5, values.ids());
                            insert.addBatch();
                        }
                        insert.executeBatch();
                    }
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + DRAWS + " (side, draw, script, n) VALUES (?, ?, ?, ?)")) {
                Random random = new Random(seed);
                for (Side side : sides) {
                    for (int draw = 1; draw <= DRAWS_PER_SIDE; draw++) {
                        Script script = pick(side, random);
                        insert.setInt(1, side.id());
                        insert.setInt(2, draw);
                        insert.setInt(3, script.id());
                        insert.setInt(4, 1 + random.nextInt(script.rows().size()));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("ANALYZE " + PARAMETERS + ", " + DRAWS);
            }
        }
    }

    /**
     * A script of the side, with probability proportional to its share; for background work (no
     * shares), to how often the sample saw it.
     */
    private static Script pick(Side side, Random random) {
        boolean shares = side.scripts().stream().anyMatch(script -> script.share() > 0);
        double total = side.scripts().stream()
                .mapToDouble(script -> weight(script, shares))
                .sum();
        double ticket = random.nextDouble() * total;
        for (Script script : side.scripts()) {
            ticket -= weight(script, shares);
            if (ticket < 0) {
                return script;
            }
        }
        return side.scripts().get(side.scripts().size() - 1);
    }

    private static double weight(Script script, boolean shares) {
        return shares ? script.share() : script.rows().size();
    }

    /**
     * @param primary the primary
     * @throws SQLException from the database
     */
    static void drop(DataSource primary) throws SQLException {
        try (Connection connection = primary.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + PARAMETERS + ", " + DRAWS);
        }
    }
}
