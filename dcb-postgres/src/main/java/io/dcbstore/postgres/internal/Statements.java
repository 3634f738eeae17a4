package io.dcbstore.postgres.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The SQL text of every statement, for one pair of validated table names.
 *
 * <h2>The append, in one round trip</h2>
 * An append is five statements sent together and run by PostgreSQL as one implicit transaction
 * (the extended protocol commits at Sync), each at READ COMMITTED with its own snapshot:
 * <ol>
 *   <li>{@code set_config('statement_timeout', ...)}: the server-side bound of this append;</li>
 *   <li>the advisory transaction locks of {@link LockKeys}, in ascending key order;</li>
 *   <li>the check: the highest matching sequence number, taken <em>after</em> the locks, so every
 *       conflicting append has committed; if it is above the expected one the schema's
 *       {@code _condition_failed_if} function raises DCB01 and the transaction aborts;</li>
 *   <li>the id allocation, one statement: take the global "id" lock (session-level advisory), the
 *       transaction id and the events' sequence numbers, and release the lock; so sequence order
 *       equals transaction-id order, the critical section is a few microseconds, and no client
 *       I/O happens inside it;</li>
 *   <li>the insert, with the allocated sequence numbers (kept in a transaction-local setting),
 *       returning them and the WAL position for the commit token.</li>
 * </ol>
 * Neither the check, nor the insert and its index updates, nor the commit is serialised, so
 * disjoint appends run in parallel and commits still group. Because sequence order equals
 * transaction-id order, a read that only returns events whose transaction is older than every
 * running transaction (the snapshot's xmin) can never skip an event that commits later with a
 * lower sequence number; this holds on hot standbys too, which learn of running transaction ids
 * from the WAL.
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
    private final ConcurrentMap<String, String> queries = new ConcurrentHashMap<>();

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
    static final String SET_TIMEOUT = "SELECT set_config('statement_timeout', ?, true), set_config('plan_cache_mode', ?, true),"
            + " set_config('max_parallel_workers_per_gather', coalesce(?, current_setting('max_parallel_workers_per_gather')), true)";

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

    static final String TAKE_LOCKS = "SELECT CASE WHEN x THEN pg_advisory_xact_lock(k) ELSE pg_advisory_xact_lock_shared(k) END"
            + " FROM unnest(?::bigint[], ?::boolean[]) AS l(k, x)";

    /** Parameters: expected, then the filter's. Raises DCB01 when a newer matching event exists. */
    String check(WhereClause where) {
        return "SELECT " + events + "_condition_failed_if(c.found > ?, c.found)"
                + " FROM (SELECT coalesce(max(sequence_number + 0), 0) AS found FROM " + events
                + " WHERE " + where.sql() + ") AS c";
    }

    /**
     * The whole critical section in one statement, so that no client I/O can happen inside it:
     * take the id lock and the transaction id (CTE {@code l}), take n sequence numbers (each
     * {@code nextval} runs on a row joined with {@code l}'s, so after the lock), remember the last
     * one in a transaction-local setting, and release the lock in the outer projection, which
     * runs after the aggregate. Parameters: lock class, lock object, n, lock class, lock object.
     *
     * @param sequence the events table's identity sequence, as a validated qualified name
     * @return the statement
     */
    static String allocateIds(String sequence) {
        return "WITH l AS MATERIALIZED (SELECT pg_advisory_lock(?, ?) AS locked, pg_current_xact_id() AS transaction_id),"
                + " a AS MATERIALIZED (SELECT max(l.transaction_id::text) AS transaction_id, max(nextval('" + sequence + "')) AS last_sequence"
                + " FROM l CROSS JOIN generate_series(1, ?))"
                + " SELECT set_config('dcb.last_sequence', a.last_sequence::text, true), a.transaction_id, pg_advisory_unlock(?, ?) FROM a";
    }

    /** Parameters: type, payload, metadata, occurred-at. */
    String insertOne() {
        return "INSERT INTO " + events + " (sequence_number, event_type, payload, metadata, occurred_at) OVERRIDING SYSTEM VALUE"
                + " VALUES (current_setting('dcb.last_sequence')::bigint, ?, ?::jsonb, ?::jsonb, ?::timestamptz)"
                + " RETURNING sequence_number, pg_current_wal_insert_lsn() - '0/0'::pg_lsn";
    }

    /** Parameters: n, then four text arrays of n elements (types, payloads, metadata, occurred-at). */
    String insertMany() {
        return "INSERT INTO " + events + " (sequence_number, event_type, payload, metadata, occurred_at) OVERRIDING SYSTEM VALUE"
                + " SELECT current_setting('dcb.last_sequence')::bigint - ? + n, t, p::jsonb, m::jsonb, o::timestamptz"
                + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS e(t, p, m, o, n) ORDER BY n"
                + " RETURNING sequence_number, pg_current_wal_insert_lsn() - '0/0'::pg_lsn";
    }

    /** Parameters: table name. */
    static final String FIND_SEQUENCE = "SELECT pg_get_serial_sequence(?, 'sequence_number')";

    /** Releases every session lock after a failed append, in case the id lock is still held. */
    static final String RELEASE_ALL_SESSION_LOCKS = "SELECT pg_advisory_unlock_all()";

    /**
     * Reads matching events up to the safe high-water mark (see the class comment).
     *
     * @param where the filter's condition
     * @return the query text
     */
    String query(WhereClause where) {
        return queries.computeIfAbsent(where.sql(), sql -> "SELECT sequence_number, event_type, payload::text, metadata::text, occurred_at FROM "
                + events + " WHERE " + sql
                + " AND transaction_id < (SELECT pg_snapshot_xmin(pg_current_snapshot())) ORDER BY sequence_number");
    }

    /**
     * Whether the event with a commit token's sequence number is visible under the safe high-water
     * mark on this node. Parameter: the sequence number.
     *
     * @return the statement
     */
    String tokenVisible() {
        return "SELECT EXISTS (SELECT 1 FROM " + events + " WHERE sequence_number = ?"
                + " AND transaction_id < (SELECT pg_snapshot_xmin(pg_current_snapshot())))";
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
