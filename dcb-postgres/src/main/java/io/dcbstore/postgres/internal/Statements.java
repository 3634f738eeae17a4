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
 *   <li>{@link #allocateAndInsert}: under the global "id" lock (session-level advisory, released
 *       within the statement) the transaction id and the events' sequence numbers, so sequence
 *       order equals transaction-id order; then the insert.</li>
 * </ol>
 * Neither the check, nor the insert and its index updates, nor the commit is serialised, so
 * disjoint appends run in parallel and commits still group. Every statement before a read's last
 * one returns only fixed-width columns: pgjdbc sends an extra Sync (a commit) around a statement
 * whose result has a variable-width column once it has described it.
 *
 * <h2>Reads</h2>
 * Reads return events up to the safe mark of {@link #mark()}: a walk over the newest events that
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
    /** Shapes (filter SQL) whose statements are kept, for reads and for appends each. */
    static final int SQL_CACHE_CAPACITY = 1000;

    private final SqlCache<String> queries = new SqlCache<>(SQL_CACHE_CAPACITY);

    Statements(String eventsTable, String snapshotsTable) {
        this.events = eventsTable;
        this.snapshots = snapshotsTable;
        this.idLockObject = eventsTable.hashCode();
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
        return queries.hits();
    }

    long queryCacheMisses() {
        return queries.misses();
    }

    int queryCacheSize() {
        return queries.size();
    }

    /** @return the second number of the id lock */
    int idLockObject() {
        return idLockObject;
    }

    /**
     * The first statement of every pipeline: the server-side timeout and the plan cache mode, both
     * local to the transaction. Parameters: timeout in ms, {@code force_generic_plan} or {@code auto}.
     * Filters whose every item has payload predicates get the generic plan (a GIN bitmap scan,
     * the best plan whatever the values), which saves planning on every execution; PostgreSQL would
     * otherwise re-plan each time, because the generic estimate for {@code @>} is pessimistic.
     * Other filters (types only, sequence or time ranges) keep custom plans, whose shape depends
     * on the values.
     */
    /**
     * The first statement of every pipeline: it runs at READ COMMITTED whatever the session's
     * default (a role's or database's {@code default_transaction_isolation}, a pool's setting, or
     * {@code SET SESSION CHARACTERISTICS} by an application sharing the pool). The append's check
     * must see what committed while it waited for its locks, and a read must take its snapshot
     * after its mark's: at REPEATABLE READ every statement would reuse the first one's snapshot.
     * (Not {@code SET TRANSACTION ...}: outside an explicit block it works too, but the server
     * warns, and logs the warning, on every operation.)
     */
    static final String READ_COMMITTED = "SET transaction_isolation = 'read committed'";

    static final String SET_TIMEOUT = "SELECT set_config('dcb.pipeline', 'on', true) IS NOT NULL, set_config('statement_timeout', ?, true) IS NOT NULL,"
            + " set_config('lock_timeout', '0', true) IS NOT NULL, set_config('plan_cache_mode', ?, true) IS NOT NULL,"
            + " set_config('max_parallel_workers_per_gather', coalesce(?, current_setting('max_parallel_workers_per_gather')), true) IS NOT NULL";

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

    /** Takes the advisory locks of {@link LockKeys}; one fixed-width row (see the class comment). */
    static final String TAKE_LOCKS = "SELECT count(CASE WHEN x THEN pg_advisory_xact_lock(k) ELSE pg_advisory_xact_lock_shared(k) END)"
            + " FROM unnest(?::bigint[], ?::boolean[]) AS l(k, x)";

    /** Parameters: expected, then the filter's. Raises DCB01 when a newer matching event exists. */
    String check(WhereClause where) {
        return "SELECT " + events + "_in_pipeline(current_setting('dcb.pipeline', true)) AND " + events + "_condition_failed_if(c.found > ?, c.found) IS NOT NULL"
                + " FROM (SELECT coalesce(max(sequence_number + 0), 0) AS found FROM " + events
                + " WHERE " + where.sql() + ") AS c";
    }

    /**
     * The id allocation and the insert, one statement: its Bind message carries the events, so
     * it starts only when all of them have arrived, and the transaction holds sequence numbers
     * (and so the safe mark of every reader) only while the server executes it, never while it
     * waits for the client. CTE {@code l} takes the id lock and the transaction id; {@code a}
     * takes n sequence numbers (each {@code nextval} runs on a row joined with {@code l}'s, so
     * after the lock); {@code u} releases the lock in its projection, which runs once, before the
     * first row is inserted. Parameters: lock class, lock object, n, lock class, lock object, n,
     * then four text arrays of n elements (types, payloads, metadata, occurred-at).
     *
     * @param sequence the events table's identity sequence, as a validated qualified name
     * @return the statement; it returns fixed-width rows (sequence number, WAL position)
     */
    String allocateAndInsert(String sequence) {
        return "WITH l AS MATERIALIZED (SELECT " + events + "_in_pipeline(current_setting('dcb.pipeline', true)) AS in_pipeline, pg_advisory_lock(?, ?) AS locked, pg_current_xact_id() AS transaction_id),"
                + " a AS MATERIALIZED (SELECT max(l.transaction_id::text) AS transaction_id, max(nextval('" + sequence + "')) AS last_sequence"
                + " FROM l CROSS JOIN generate_series(1, ?)),"
                + " u AS MATERIALIZED (SELECT a.last_sequence, pg_advisory_unlock(?, ?) AS unlocked FROM a)"
                + " INSERT INTO " + events + " (sequence_number, event_type, payload, metadata, occurred_at) OVERRIDING SYSTEM VALUE"
                + " SELECT u.last_sequence - ? + e.n, e.t, e.p::jsonb, e.m::jsonb, e.o::timestamptz"
                + " FROM u CROSS JOIN unnest(?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS e(t, p, m, o, n) ORDER BY e.n"
                + " RETURNING sequence_number, (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint";
    }

    /** Parameters: table name. */
    static final String FIND_SEQUENCE = "SELECT pg_get_serial_sequence(?, 'sequence_number')";

    /** Releases every session lock after a failed append, in case the id lock is still held. */
    static final String RELEASE_ALL_SESSION_LOCKS = "SELECT pg_advisory_unlock_all()";

    /** How many events past the last known safe position one computation of the mark looks at. */
    static final int MARK_WINDOW = 10_000;

    /**
     * The safe mark: the highest sequence number below which every number is visible or belongs
     * to an append that will never commit. It walks the visible events after a position already
     * known to be safe on this node (the parameters, below), in
     * sequence order, and stops before the first hole that an append in progress may still fill.
     * A hole between visible events p and n can only belong to an append whose transaction id
     * lies strictly between theirs (ids and sequence numbers are allocated together under the id
     * lock); it is harmless when no transaction in that range may still commit it: on a primary,
     * none of the snapshot's in-progress list is in the range; on a hot standby (whose exported
     * snapshots list none), every id of the range from the snapshot's xmin on is aborted, by
     * {@code pg_xact_status} (a standby marks a commit in the commit log before it drops the
     * transaction from its running list, so an id found committed may still be invisible to the
     * read's snapshot: it stops the walk, for one read). When the neighbours' ids are not in
     * order (rows copied from another cluster), the range has no lower bound. Transactions of
     * other applications only matter when their ids fall inside such a range.
     * The result is also kept in the transaction-local setting {@code dcb.mark}, which the
     * pipeline's read uses: that read runs with a later snapshot (READ COMMITTED), so an append
     * found committed here is visible to it. Parameters: the start time (microseconds since the
     * epoch) of the server process the known position was computed on, that position, and the
     * transaction id of the event there. When the server is another one (a restart, a promoted
     * replica behind the same address, a restored backup), the event there is not the one seen
     * (a truncated or re-created table), or none is known yet (-1), the walk starts from the
     * highest sequence number whose transaction is older than every running one instead (a walk
     * back from the newest event). Result: one fixed-width row: the mark, this server's start
     * time, the transaction id of the event at the mark (-1 for none), and whether the walk
     * stopped only because it reached its window (the caller walks on).
     */
    String mark() {
        return "WITH p AS MATERIALIZED (SELECT ?::bigint AS started, ?::bigint AS known, ?::bigint AS known_xid),"
                + " s AS MATERIALIZED (SELECT pg_current_snapshot() AS snap, pg_is_in_recovery() AS standby,"
                + " (extract(epoch FROM pg_postmaster_start_time()) * 1000000)::bigint AS started),"
                + " k AS MATERIALIZED (SELECT CASE WHEN p.started = s.started AND (p.known = 0 OR EXISTS (SELECT 1 FROM " + events
                + " WHERE sequence_number = p.known AND transaction_id = p.known_xid::text::xid8)) THEN p.known"
                + " ELSE coalesce((SELECT sequence_number FROM " + events + " WHERE transaction_id < pg_snapshot_xmin(s.snap)"
                + " ORDER BY sequence_number DESC LIMIT 1), 0) END AS known FROM p, s),"
                + " w AS MATERIALIZED (SELECT e.sequence_number AS seq, e.transaction_id AS xid,"
                + " lag(e.sequence_number, 1, k.known) OVER o AS prev_seq, lag(e.transaction_id, 1, '0'::xid8) OVER o AS prev_xid"
                + " FROM k CROSS JOIN LATERAL (SELECT sequence_number, transaction_id FROM " + events + " WHERE sequence_number >= k.known"
                + " ORDER BY sequence_number LIMIT " + MARK_WINDOW + ") AS e WINDOW o AS (ORDER BY e.sequence_number)),"
                + " h AS (SELECT min(w.prev_seq) AS stop FROM w, s WHERE w.seq > w.prev_seq + 1 AND CASE WHEN s.standby"
                + " THEN EXISTS (SELECT 1 FROM generate_series(greatest(CASE WHEN w.prev_xid < w.xid THEN w.prev_xid::text::bigint ELSE 0 END,"
                + " pg_snapshot_xmin(s.snap)::text::bigint - 1) + 1, least(w.xid, pg_snapshot_xmax(s.snap))::text::bigint - 1) AS x(id)"
                + " WHERE coalesce(pg_xact_status(x.id::text::xid8), 'aborted') <> 'aborted')"
                + " ELSE EXISTS (SELECT 1 FROM pg_snapshot_xip(s.snap) AS x(id) WHERE x.id < w.xid"
                + " AND (w.prev_xid >= w.xid OR x.id > w.prev_xid)) END),"
                + " m AS MATERIALIZED (SELECT coalesce(h.stop, (SELECT max(w.seq) FROM w), k.known) AS mark,"
                + " h.stop IS NULL AND (SELECT count(*) FROM w) = " + MARK_WINDOW + " AS more FROM h, k)"
                + " SELECT set_config('dcb.mark', m.mark::text, true)::bigint, s.started,"
                + " coalesce((SELECT transaction_id::text::bigint FROM " + events + " WHERE sequence_number = m.mark), -1), m.more FROM m, s";
    }

    /**
     * Reads matching events up to the safe mark that the pipeline's {@link #mark()} statement
     * set; when that setting is missing (the pipeline was split) it fails, never reads past it.
     * Parameters: the filter's, then the sequence number a commit token needs (0 without one):
     * the read returns nothing when the mark is below it.
     *
     * @param where the filter's condition
     * @return the query text
     */
    String query(WhereClause where) {
        return queries.get(where.sql(), sql -> "SELECT sequence_number, event_type, payload::text, metadata::text, occurred_at FROM "
                + events + " WHERE " + sql
                + " AND " + events + "_in_pipeline(current_setting('dcb.mark', true))"
                + " AND sequence_number <= current_setting('dcb.mark')::bigint AND current_setting('dcb.mark')::bigint >= ?"
                + " ORDER BY sequence_number");
    }

    /** Parameters: type, hash, sequence, state. Keeps the snapshot with the highest sequence number. */
    String saveSnapshot() {
        return "INSERT INTO " + snapshots + " AS s (projection_type, filter_hash, sequence_number, state, saved_at)"
                + " VALUES (?, ?, ?, ?::jsonb, now()) ON CONFLICT (projection_type, filter_hash) DO UPDATE"
                + " SET sequence_number = EXCLUDED.sequence_number, state = EXCLUDED.state, saved_at = EXCLUDED.saved_at"
                + " WHERE s.sequence_number <= EXCLUDED.sequence_number RETURNING 1";
    }

    /** Parameters: type, hash. */
    String loadSnapshot() {
        return "SELECT sequence_number, state::text, saved_at FROM " + snapshots + " WHERE projection_type = ? AND filter_hash = ?";
    }

    /** Parameters: type, hash. */
    String deleteSnapshot() {
        return "DELETE FROM " + snapshots + " WHERE projection_type = ? AND filter_hash = ?";
    }
}
