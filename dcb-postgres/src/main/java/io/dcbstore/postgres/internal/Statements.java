package io.dcbstore.postgres.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The SQL text of every statement, for one pair of validated table names.
 *
 * <h2>The append, in one round trip</h2>
 * An append is a few statements sent together and run by PostgreSQL as one implicit transaction
 * (the extended protocol commits at Sync), each at READ COMMITTED with its own snapshot:
 * <ol>
 *   <li>{@link #READ_COMMITTED}, whatever the session's default;</li>
 *   <li>{@link #SET_TIMEOUT}: the server-side bound of this append, and the {@code dcb.pipeline}
 *       marker that the later statements check ({@code <events>_in_pipeline}, DCB03);</li>
 *   <li>the advisory transaction locks of {@link LockKeys}, in ascending key order;</li>
 *   <li>the check: the highest matching sequence number, taken <em>after</em> the locks, so every
 *       conflicting append has committed; if it is above the expected one the schema's
 *       {@code _condition_failed_if} function raises DCB01 and the transaction aborts;</li>
 *   <li>{@link #allocateAndInsert}: under the global "id" lock (a transaction-level advisory lock
 *       that the schema's {@code <events>_allocate} releases before it returns, by rolling back the
 *       block that took it) the transaction id and the events' sequence numbers, so sequence order
 *       equals transaction-id order; then the insert. No lock outlives the transaction, so a
 *       connection pooler in transaction mode may hand the server connection on.</li>
 * </ol>
 * Neither the check, nor the insert and its index updates, nor the commit is serialised, so
 * disjoint appends run in parallel and commits still group. Every statement before a read's last
 * one returns only fixed-width columns: pgjdbc sends an extra Sync (a commit) around a statement
 * whose result has a variable-width column once it has described it.
 *
 * <h2>Reads</h2>
 * Reads (isolation, timeout, the mark, the query) return events up to the safe mark of {@link #mark()}: a walk over the newest events that
 * stops at the first hole an append in progress may still fill. Because sequence order equals
 * transaction-id order, whether a hole can still fill is decided by the transactions whose ids lie
 * between its neighbours', so transactions of other applications do not hold readers back.
 *
 * <p>{@code max(sequence_number + 0)} keeps the planner from answering the check by walking the
 * primary key backwards, which a generic plan does for rare boundaries (seconds per append).
 */
final class Statements {
    /** Class id of the two-int advisory lock that serialises id allocation (the key spaces do not overlap). */
    static final int ID_LOCK_CLASS = 0x0DCB;

    private final String events;
    private final String snapshots;
    private final int idLockObject;
    /** The comment schema.sql puts on the safe-mark function: a store whose schema has another runs the script again. */
    static final String SCHEMA_VERSION = "'dcb schema 6'";

    /** Shapes (filter SQL) whose statements are kept, for reads and for appends each. */
    static final int SQL_CACHE_CAPACITY = 1000;

    private final SqlCache<String> reads = new SqlCache<>(SQL_CACHE_CAPACITY);
    private final String mark;
    private final String catchUp;

    Statements(String eventsTable, String snapshotsTable) {
        this.events = eventsTable;
        this.snapshots = snapshotsTable;
        this.idLockObject = eventsTable.hashCode();
        this.mark = "SELECT set_config('dcb.mark', m.mark::text, true)::bigint, m.server_start, m.mark_xid, m.more"
                + " FROM " + events + "_safe_mark(?::bigint[], ?::bigint[], ?::bigint[]) AS m";
        this.catchUp = READ_COMMITTED + ";\n" + SERVER_TIMEOUT + ";\n" + mark;
    }

    /** @return the schema script with table names filled in */
    String schema() {
        try (InputStream in = Statements.class.getResourceAsStream("/io/dcbstore/postgres/schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("schema.sql is missing from the class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.replace("${events}", events).replace("${snapshots}", snapshots);
        } catch (IOException e) {
            throw new IllegalStateException("schema.sql could not be read", e);
        }
    }

    long queryCacheHits() {
        return reads.hits();
    }

    long queryCacheMisses() {
        return reads.misses();
    }

    int queryCacheSize() {
        return reads.size();
    }

    /** @return the second number of the id lock */
    int idLockObject() {
        return idLockObject;
    }

    /**
     * The first statement of every pipeline: it runs at READ COMMITTED whatever the session's
     * default (a role's or database's {@code default_transaction_isolation}, a pool's setting, or
     * {@code SET SESSION CHARACTERISTICS} by an application sharing the pool). The append's check
     * must see what committed while it waited for its locks: at REPEATABLE READ every statement
     * would reuse the first one's snapshot. The read's rule holds at any level ({@link #mark()}),
     * but a SERIALIZABLE default, replicated to a hot standby, fails every read there.
     * (Not {@code SET TRANSACTION ...}: outside an explicit block it works too, but the server
     * warns, and logs the warning, on every operation.)
     */
    static final String READ_COMMITTED = "SET transaction_isolation = 'read committed'";

    /**
     * The second statement of every pipeline: the server-side timeout (no lock
     * timeout of the role's), the plan cache mode and the {@code dcb.pipeline} marker, all local to
     * the transaction. Parameters: timeout in ms, {@code force_generic_plan} or {@code auto}.
     * Filters whose every item has payload predicates get the generic plan (a GIN bitmap scan,
     * the best plan whatever the values), which saves planning on every execution; PostgreSQL would
     * otherwise re-plan each time, because the generic estimate for {@code @>} is pessimistic.
     * Other filters (types only, sequence or time ranges) keep custom plans, whose shape depends
     * on the values.
     */
    static final String SET_TIMEOUT =
            "SELECT set_config('dcb.pipeline', 'on', true) IS NOT NULL, set_config('statement_timeout', ?, true) IS NOT NULL,"
                    + " set_config('lock_timeout', '0', true) IS NOT NULL, set_config('plan_cache_mode', ?, true) IS NOT NULL,"
                    + " set_config('max_parallel_workers_per_gather', coalesce(?, current_setting('max_parallel_workers_per_gather')), true) IS NOT NULL";

    /** The server-side bound alone, for a statement that needs no plan settings. Parameter: timeout in ms. */
    static final String SERVER_TIMEOUT =
            "SELECT set_config('statement_timeout', ?, true) IS NOT NULL, set_config('lock_timeout', '0', true) IS NOT NULL";

    /**
     * @param where a filter's condition
     * @return the parallel workers allowed: none for boundary statements (small results, run
     *         thousands of times a second: starting workers costs more than it saves, and a
     *         generic plan that turned parallel after an ANALYZE cut a 2-core server's capacity by
     *         a third, measured), or {@code null} to keep the server's setting
     */
    static String parallelWorkers(WhereClause where) {
        return where != null && where.genericPlanIsSafe() ? "0" : null;
    }

    /**
     * @param where a filter's condition
     * @return the plan cache mode for statements with that condition
     */
    static String planCacheMode(WhereClause where) {
        return where != null && where.genericPlanIsSafe() ? "force_generic_plan" : "auto";
    }

    /**
     * The plan cache mode of a subscription's page ({@link #readPage}): planned with its values every
     * time. Its window ({@code sequence_number <= ?}, ordered, with a limit) makes a generic plan
     * walk the primary key through the whole window (100,000 events) for a rare boundary: 35-41 ms a
     * page at 10M events, against 4 ms planned with the values, which use the GIN index
     * (docs/performance.md, issue 17, third step). A page is read once per catch-up, so planning it
     * costs little.
     */
    static final String PAGE_PLAN_CACHE_MODE = "force_custom_plan";

    /** Takes the advisory locks of {@link LockKeys}; one fixed-width row (see the class comment). */
    static final String TAKE_LOCKS =
            "SELECT count(CASE WHEN x THEN pg_advisory_xact_lock(k) ELSE pg_advisory_xact_lock_shared(k) END)"
                    + " FROM unnest(?::bigint[], ?::boolean[]) AS l(k, x)";

    /**
     * Parameters: expected, the filter's, and expected again when every item names an indexed key
     * ({@link WhereClause#keyBounded()}). Raises DCB01 when a newer matching event exists. With the
     * keys, only events after the expected position are looked at, found through each key's index
     * in order (the boundary's history is not visited). Without, the GIN index finds every match:
     * a range there would let a generic plan AND it with a bitmap of the primary key over a third
     * of the table (its estimate for an unknown bound), measured at half the appends per second.
     * The {@code + 0} keeps the planner from walking the primary key backwards for the maximum.
     */
    String check(WhereClause where) {
        return "SELECT " + events + "_in_pipeline(current_setting('dcb.pipeline', true)) AND " + events
                + "_condition_failed_if(c.found > ?, c.found) IS NOT NULL"
                + " FROM (SELECT coalesce(max(sequence_number + 0), 0) AS found FROM " + events
                + " WHERE " + where.sql() + (where.keyBounded() ? " AND sequence_number > ?" : "") + ") AS c";
    }

    /**
     * The id allocation and the insert, one statement: its Bind message carries the events, so
     * it starts only when all of them have arrived, and the transaction holds sequence numbers
     * (and so the safe mark of every reader) only while the server executes it, never while it
     * waits for the client. CTE {@code a} calls the schema's {@code <events>_allocate}, which takes
     * the id lock (transaction-level, released when the function returns, see schema.sql), the
     * transaction id and n sequence numbers. Parameters: lock class, lock object, the sequence's
     * name, n, n again, then four text arrays of n elements (types, payloads, metadata,
     * occurred-at) and a uuid array of the event ids (nulls for events without one).
     *
     * @return the statement; it returns fixed-width rows (sequence number, WAL position)
     */
    String allocateAndInsert() {
        return "WITH a AS MATERIALIZED (SELECT " + events
                + "_allocate(current_setting('dcb.pipeline', true), ?, ?, ?::regclass, ?) AS last_sequence)"
                + " INSERT INTO " + events
                + " (sequence_number, event_type, payload, metadata, occurred_at, event_id) OVERRIDING SYSTEM VALUE"
                + " SELECT a.last_sequence - ? + e.n, e.t, e.p::jsonb, e.m::jsonb, e.o::timestamptz, e.i"
                + " FROM a CROSS JOIN unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::uuid[]) WITH ORDINALITY AS e(t, p, m, o, i, n) ORDER BY e.n"
                + " RETURNING sequence_number, (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint";
    }

    /**
     * Finds the events stored under an append's ids, in the append's order: for each id, the
     * sequence number stored under it (null when none) and whether that event has the same type
     * and payload (compared as jsonb, so formatting does not matter), and the primary's WAL
     * position for a commit token. Parameters: the ids, the types, the payloads (arrays of n).
     *
     * @return the statement
     */
    String storedUnderIds() {
        // One index probe per id, whatever the statistics say: written as a join, the plan, made
        // while the index looked empty (a log seeded without ids), scanned all of it for each id.
        return "SELECT e.sequence_number, e.event_type = x.t AND e.payload = x.p::jsonb,"
                + " (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint"
                + " FROM unnest(?::uuid[], ?::text[], ?::text[]) WITH ORDINALITY AS x(i, t, p, n)"
                + " LEFT JOIN LATERAL (SELECT s.sequence_number, s.event_type, s.payload FROM " + events
                + " s WHERE s.event_id = x.i) e ON true ORDER BY x.n";
    }

    /**
     * Whether the events from {@code first} to {@code last} are one whole append: one transaction
     * wrote them all (each append is one transaction, and its numbers are consecutive), and
     * neither the event before nor the one after belongs to it. Parameters: first, last, first,
     * last.
     *
     * @return the statement
     */
    String isOneWholeAppend() {
        return "WITH a AS (SELECT DISTINCT transaction_id FROM " + events + " WHERE sequence_number BETWEEN ? AND ?)"
                + " SELECT (SELECT count(*) FROM a) = 1"
                + " AND NOT EXISTS (SELECT 1 FROM (SELECT transaction_id FROM " + events
                + " WHERE sequence_number < ? ORDER BY sequence_number DESC LIMIT 1) p JOIN a USING (transaction_id))"
                + " AND NOT EXISTS (SELECT 1 FROM (SELECT transaction_id FROM " + events
                + " WHERE sequence_number > ? ORDER BY sequence_number LIMIT 1) n JOIN a USING (transaction_id))";
    }

    /** Parameters: table name. */
    static final String FIND_SEQUENCE = "SELECT pg_get_serial_sequence(?, 'sequence_number')";

    /**
     * The safe mark: the highest sequence number such that every number up to it is visible or
     * belongs to an append that will never commit, computed by the schema's
     * {@code <events>_safe_mark} function (its comments, and docs/design.md, give the rule and why
     * it holds). When the newest event's transaction is older than every running one, that event
     * is the mark (one probe of the primary key: the usual case when no append is in flight).
     * Otherwise it walks at most 10,000 visible events after a position known to be safe on this
     * server and stops before the first hole that an append in progress may still fill; a hole is
     * judged by the transactions whose ids lie between its neighbours', so transactions of other
     * applications do not hold readers back.
     *
     * <p>The mark is also kept in the transaction-local setting {@code dcb.mark}, which the
     * pipeline's read uses. Whether that read shares this statement's snapshot (REPEATABLE READ)
     * or takes a later one (READ COMMITTED) does not matter: a hole passed here was filled before
     * this snapshot or will never be.
     *
     * <p>Parameters: three arrays, the marks known for this data source: the start time
     * (microseconds since the epoch) of the server each was computed on, the mark, and the
     * transaction id of its event (a data source may lead to several servers: a load-balanced or
     * promoted replica). The function trusts only its own server's mark, and only while that
     * server still holds the same event there (not after a dropped and re-created table).
     * Result: one fixed-width row: the mark, the server's start time, the transaction id of the
     * event at the mark (-1 for none), and whether the walk stopped only at the end of its window
     * (the caller walks on).
     *
     * @return the statement
     */
    String mark() {
        return mark;
    }

    /**
     * The catch-up pipeline: isolation, {@link #SERVER_TIMEOUT}, {@link #mark()}. Parameters: the
     * timeout, then the mark's.
     *
     * @return the statement
     */
    String catchUp() {
        return catchUp;
    }

    /**
     * The read pipeline for one filter shape: isolation, {@link #SET_TIMEOUT}, {@link #mark()},
     * {@link #query}; built once per shape.
     *
     * @param where the filter's condition
     * @return the pipeline
     */
    String read(WhereClause where) {
        return reads.get(
                where.sql(), sql -> READ_COMMITTED + ";\n" + SET_TIMEOUT + ";\n" + mark + ";\n" + query(where));
    }

    /**
     * The read pipeline of a subscription's page: {@link #read} of at most a window of sequence
     * numbers (so that no page scans more of the log than that, however rarely its filter
     * matches) and at most {@code n} events. Parameters: those of {@link #read}, then the highest
     * sequence number of the window, then n; built once per shape.
     *
     * @param where the filter's condition
     * @return the pipeline
     */
    String readPage(WhereClause where) {
        return reads.get(
                "page:" + where.sql(),
                sql -> READ_COMMITTED + ";\n" + SET_TIMEOUT + ";\n" + mark + ";\n"
                        + query(where, " AND sequence_number <= ?") + " LIMIT ?");
    }

    /**
     * Reads matching events up to the safe mark that the pipeline's {@link #mark()} statement
     * set; when that setting is missing (the pipeline was split) the cast fails, so it never reads
     * past it.
     * Parameters: the filter's, then the sequence number a commit token needs (0 without one):
     * the read returns nothing when the mark is below it.
     *
     * @param where the filter's condition
     * @return the query text
     */
    String query(WhereClause where) {
        return query(where, "");
    }

    /** {@link #query(WhereClause)} with more conditions (and their parameters, after the token's). */
    private String query(WhereClause where, String moreConditions) {
        return "SELECT sequence_number, event_type, payload::text, metadata::text, occurred_at, event_id FROM "
                + events + " WHERE " + where.sql()
                + " AND sequence_number <= current_setting('dcb.mark')::bigint AND current_setting('dcb.mark')::bigint >= ?"
                + moreConditions + " ORDER BY sequence_number";
    }

    /**
     * Parameters: type, hash, sequence, state as JSON text or null, state compressed or null. Keeps
     * the snapshot with the highest sequence number.
     */
    String saveSnapshot() {
        return "INSERT INTO " + snapshots
                + " AS s (projection_type, filter_hash, sequence_number, state, state_gzip, saved_at)"
                + " VALUES (?, ?, ?, ?::jsonb, ?, now()) ON CONFLICT (projection_type, filter_hash) DO UPDATE"
                + " SET sequence_number = EXCLUDED.sequence_number, state = EXCLUDED.state,"
                + " state_gzip = EXCLUDED.state_gzip, saved_at = EXCLUDED.saved_at"
                + " WHERE s.sequence_number <= EXCLUDED.sequence_number RETURNING 1";
    }

    /** Parameters: type, hash. Columns: sequence, state as JSON text or null, saved at, state compressed or null. */
    String loadSnapshot() {
        return "SELECT sequence_number, state::text, saved_at, state_gzip FROM " + snapshots
                + " WHERE projection_type = ? AND filter_hash = ?";
    }

    /** Parameters: type, hash. */
    String deleteSnapshot() {
        return "DELETE FROM " + snapshots + " WHERE projection_type = ? AND filter_hash = ?";
    }
}
