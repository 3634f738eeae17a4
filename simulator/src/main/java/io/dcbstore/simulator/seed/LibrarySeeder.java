package io.dcbstore.simulator.seed;

import static io.dcbstore.library.PayloadKeys.AUTHORS;
import static io.dcbstore.library.PayloadKeys.BOOK_ID;
import static io.dcbstore.library.PayloadKeys.EDITION;
import static io.dcbstore.library.PayloadKeys.ISBN;
import static io.dcbstore.library.PayloadKeys.NAME;
import static io.dcbstore.library.PayloadKeys.PUBLICATION_YEAR;
import static io.dcbstore.library.PayloadKeys.PUBLISHER;
import static io.dcbstore.library.PayloadKeys.READER_ID;
import static io.dcbstore.library.PayloadKeys.TITLE;

import io.dcbstore.library.EventMetadata;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.LibraryEvent.ReaderRegistered;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Loads a library's history into an empty event table, generated inside PostgreSQL
 * ({@code generate_series}) in chunks, so a million events take seconds, not a million round trips:
 * every book copy added to circulation, every reader registered, then lending cycles (a copy lent
 * to a reader and returned) spread over books and readers. The history is consistent with the
 * domain rules: nothing is lent twice, nobody holds more than 10 books, every loan is returned.
 *
 * <p>Ids follow the reference's format ({@code book-N}, {@code reader-N}) so that its pgbench
 * scripts read the same data. Run it only while nothing else appends: it bypasses the append
 * protocol (no boundary locks) because it writes into an empty table.
 */
public final class LibrarySeeder {
    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,39}");
    private static final int CHUNK = 50_000;

    private final DataSource dataSource;
    private final String table;

    /**
     * @param dataSource the primary
     * @param table the events table, already created by the store
     */
    public LibrarySeeder(DataSource dataSource, String table) {
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("table must match " + TABLE.pattern() + ", got " + table);
        }
        this.dataSource = dataSource;
        this.table = table;
    }

    /** What to load. */
    public record Plan(long books, long readers, long lendingCycles) {
        /** Validates the plan. */
        public Plan {
            if (books < 1 || readers < 1 || lendingCycles < 0) {
                throw new IllegalArgumentException("books and readers must be positive, lending cycles not negative");
            }
        }

        /** @return the number of events the plan writes */
        public long events() {
            return books + readers + 2 * lendingCycles;
        }

        /**
         * A plan of about {@code events} events over the given population, the rest as lending cycles.
         *
         * @param events the total wanted
         * @param books book copies
         * @param readers readers
         * @return the plan
         */
        public static Plan ofTotal(long events, long books, long readers) {
            return new Plan(books, readers, Math.max(0, (events - books - readers) / 2));
        }
    }

    /**
     * Loads the plan, then freezes and analyses the table. The store's key indexes ({@code
     * PostgresStoreConfig#indexedKeys}, named {@code <table>_k_<key>}) are dropped first and built
     * again after the load, as a DBA loads a table: a sorted build of each is several times faster
     * than inserting the whole history into it at random positions.
     *
     * @param plan what to load
     * @param progress receives the number of events written so far
     * @throws SQLException from the database
     */
    public void seed(Plan plan, LongConsumer progress) throws SQLException {
        long written = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            List<String> keyIndexes = dropKeyIndexes(connection);
            for (long from = 0; from < plan.books(); from += CHUNK) {
                written += run(connection, booksSql(), from, Math.min(plan.books(), from + CHUNK) - 1, plan);
                progress.accept(written);
            }
            for (long from = 0; from < plan.readers(); from += CHUNK) {
                written += run(connection, readersSql(), from, Math.min(plan.readers(), from + CHUNK) - 1, plan);
                progress.accept(written);
            }
            for (long from = 0; from < plan.lendingCycles(); from += CHUNK / 2) {
                written +=
                        run(connection, lendingSql(), from, Math.min(plan.lendingCycles(), from + CHUNK / 2) - 1, plan);
                progress.accept(written);
            }
            build(connection, keyIndexes);
            waitForReplicasToReleaseTheLoad(connection);
            try (Statement statement = connection.createStatement()) {
                // Frozen and analysed now, so that the run does not start with an anti-wraparound
                // or insert-driven vacuum of the whole history, or with plans from empty statistics.
                statement.execute("VACUUM (FREEZE, ANALYZE) " + table);
            }
        }
    }

    /** @return the statements that create the key indexes dropped, to run after the load */
    private List<String> dropKeyIndexes(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        List<String> definitions = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT c.relname, i.indexrelid::regclass::text,"
                + " pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE i.indrelid = to_regclass(?) ORDER BY c.relname")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (rows.getString(1).startsWith(table + "_k_")) {
                        names.add(rows.getString(2));
                        definitions.add(rows.getString(3));
                    }
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            for (String name : names) {
                statement.execute("DROP INDEX " + name); // quoted by regclass's output
            }
        }
        return definitions;
    }

    private static void build(Connection connection, List<String> indexDefinitions) throws SQLException {
        if (indexDefinitions.isEmpty()) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET maintenance_work_mem = '1GB'");
            for (String definition : indexDefinitions) {
                statement.execute(definition); // pg_get_indexdef's own text
            }
            statement.execute("RESET maintenance_work_mem");
        }
    }

    /**
     * A streaming replica with {@code hot_standby_feedback} holds the primary's xmin horizon back to
     * what it has replayed and reported (every few seconds): right after the load, a freeze would
     * skip the load's last rows and leave their pages neither frozen nor all-visible. Waits until
     * every replica's reported xmin (and every replication slot's) has passed the load, at most
     * 60 s; then the freeze goes ahead regardless (and freezes what it can).
     */
    private static void waitForReplicasToReleaseTheLoad(Connection connection) throws SQLException {
        long loadedUpTo;
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pg_current_xact_id()::text::bigint")) {
            rows.next();
            loadedUpTo = rows.getLong(1); // a transaction of its own: every load transaction is before it
        }
        String holding = "SELECT count(*) FROM ("
                + "SELECT backend_xmin AS horizon FROM pg_stat_replication"
                + " UNION ALL SELECT xmin FROM pg_replication_slots"
                + " UNION ALL SELECT catalog_xmin FROM pg_replication_slots) AS h"
                + " WHERE horizon IS NOT NULL AND age(horizon) > age((? % 4294967296)::text::xid)";
        long deadline = System.nanoTime() + 60_000_000_000L;
        try (PreparedStatement statement = connection.prepareStatement(holding)) {
            statement.setLong(1, loadedUpTo);
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) == 0) {
                        return;
                    }
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private long run(Connection connection, String sql, long from, long to, Plan plan) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, from);
            statement.setLong(2, to);
            if (sql.contains("reader_count") || sql.contains("book_count")) {
                statement.setLong(3, plan.books());
                statement.setLong(4, plan.readers());
            }
            return statement.executeUpdate();
        }
    }

    private String booksSql() {
        return "INSERT INTO " + table + " (occurred_at, event_type, payload, metadata)"
                + " SELECT " + occurredAt("g") + ", " + literal(BookCopyAddedToCirculation.TYPE)
                + ", jsonb_build_object("
                + literal(BOOK_ID) + ", 'book-' || g,"
                + " " + literal(ISBN) + ", '978-' || lpad((g % 1000000000)::text, 9, '0'), " + literal(TITLE)
                + ", 'Title ' || g,"
                + " " + literal(AUTHORS) + ", 'Author ' || (g % 5000), " + literal(EDITION) + ", (1 + g % 5)::text,"
                + " " + literal(PUBLISHER) + ", 'Publisher ' || (g % 200),"
                + " " + literal(PUBLICATION_YEAR) + ", 1950 + g % 75), " + metadata("g")
                + " FROM generate_series(?::bigint, ?::bigint) AS g ORDER BY g";
    }

    private String readersSql() {
        return "INSERT INTO " + table + " (occurred_at, event_type, payload, metadata)"
                + " SELECT " + occurredAt("c.book_count + g") + ", " + literal(ReaderRegistered.TYPE)
                + ", jsonb_build_object("
                + literal(READER_ID) + ", 'reader-' || g, " + literal(NAME) + ", 'Reader ' || g), "
                + metadata("g + 1000000000")
                + " FROM generate_series(?::bigint, ?::bigint) AS g"
                + " CROSS JOIN (SELECT ?::bigint AS book_count, ?::bigint AS reader_count) AS c ORDER BY g";
    }

    /** Cycle k lends book (k mod books) to reader (k * 7919 mod readers) and returns it. */
    private String lendingSql() {
        return "INSERT INTO " + table + " (occurred_at, event_type, payload, metadata)"
                + " SELECT " + occurredAt("c.book_count + c.reader_count + k * 2 + v.o") + ", v.t,"
                + " jsonb_build_object(" + literal(BOOK_ID) + ", 'book-' || (k % c.book_count),"
                + " " + literal(READER_ID) + ", 'reader-' || ((k * 7919) % c.reader_count)), "
                + metadata("k * 2 + v.o + 2000000000")
                + " FROM generate_series(?::bigint, ?::bigint) AS k"
                + " CROSS JOIN (SELECT ?::bigint AS book_count, ?::bigint AS reader_count) AS c"
                + " CROSS JOIN (VALUES (" + literal(BookCopyLentToReader.TYPE) + ", 0), ("
                + literal(BookCopyReturnedByReader.TYPE)
                + ", 1)) AS v(t, o)"
                + " ORDER BY k, v.o";
    }

    /** Distinct, increasing times a millisecond apart, ending before now: the history happened in order. */
    private static String occurredAt(String position) {
        return "(now() - interval '30 days' + (" + position + ") * interval '1 millisecond')";
    }

    /** The library's metadata keys, each with the same generated id. */
    private static String metadata(String id) {
        String value = "md5((" + id + ")::text)";
        return "jsonb_build_object(" + literal(EventMetadata.MESSAGE_ID) + ", " + value + ", "
                + literal(EventMetadata.CAUSATION_ID) + ", " + value + ", " + literal(EventMetadata.CORRELATION_ID)
                + ", " + value + ")";
    }

    /** A domain name as an SQL string literal. */
    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
