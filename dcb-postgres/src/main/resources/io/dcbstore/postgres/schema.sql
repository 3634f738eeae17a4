-- DCB event store schema. The library runs this idempotently on start (createSchema), with
-- ${events} and ${snapshots} replaced by the configured, validated table names. DBAs may run it
-- by hand instead (replace the placeholders; the defaults are "events" and "event_snapshots").
--
-- Design notes (measured in docs/performance.md):
--  * sequence_number is an identity with CACHE 1: per-session caches would hand out numbers out of
--    order, which would break the gap-free read guarantee.
--  * transaction_id is the inserting transaction's id, taken with the sequence numbers under one
--    lock, so both orders agree. Reads return events up to the "safe mark", below which every
--    number is visible or will never commit; a hole's transaction id range tells whether an
--    append in progress may still fill it (docs/design.md).
--  * The payload GIN index uses jsonb_path_ops (smaller, faster @>) and fastupdate = off: with the
--    pending list on, conditional appends stalled for seconds whenever it was flushed.
--  * No occurred_at or metadata index: every index slows every append, and no query of the store
--    needs them; add them if your own queries do.
CREATE TABLE IF NOT EXISTS ${events} (
    sequence_number bigint GENERATED ALWAYS AS IDENTITY (CACHE 1) PRIMARY KEY,
    occurred_at     timestamptz NOT NULL,
    event_type      text        NOT NULL,
    payload         jsonb       NOT NULL,
    metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT ${events}_payload_is_object CHECK (jsonb_typeof(payload) = 'object'),
    CONSTRAINT ${events}_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
) WITH (
    -- Append-only: pages are never updated in place. Analyze and insert-driven vacuum at the
    -- PostgreSQL defaults' pace (every 10% / 20% of growth), not every 2%: each analyze samples
    -- the jsonb payloads and invalidates every cached plan of every connection, and each vacuum
    -- ends with a scan of the whole GIN index; at 2% (every ~80 s at 400 appends/s on 1M events)
    -- both showed up as periodic latency episodes under load. Plans do not need fresh statistics
    -- for new sequence numbers (the planner probes the index for the actual maximum).
    -- Frozen as soon as a vacuum visits them (freeze_min_age 0): an event is never updated, so
    -- its row can be frozen once for good. With the default (50M transactions) insert-driven
    -- vacuums only mark pages all-visible, and every ~150M transactions an aggressive vacuum
    -- must read and freeze every page appended since the last one: tens of GB of reads and WAL
    -- in the middle of the load. Frozen early, each insert-driven vacuum advances relfrozenxid
    -- and the aggressive one finds nothing to do. (Set on tables this script creates; on a
    -- table of an earlier schema version the script sets it when it runs again, at schema 5.)
    fillfactor = 100,
    autovacuum_freeze_min_age = 0,
    autovacuum_vacuum_insert_scale_factor = 0.2,
    autovacuum_vacuum_insert_threshold = 50000,
    autovacuum_analyze_scale_factor = 0.1,
    autovacuum_analyze_threshold = 50000
);

-- Client-chosen event ids (schema 4; added to tables of earlier versions): unique, so an append
-- re-sent after an unknown outcome is recognised instead of written twice. The index is partial:
-- events without an id (the default) neither grow it nor pay for it on append.
-- (Like every change of a table below, only when missing: ALTER TABLE takes the table's ACCESS
-- EXCLUSIVE lock even when there is nothing to do, and would then wait behind every open stream
-- while the appends of every running store queued behind it, each time a store started.)
DO $do$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '${events}'::regclass
                   AND attname = 'event_id' AND NOT attisdropped) THEN
        ALTER TABLE ${events} ADD COLUMN event_id uuid;
    END IF;
END
$do$;
CREATE UNIQUE INDEX IF NOT EXISTS ${events}_event_id_idx ON ${events} (event_id) WHERE event_id IS NOT NULL;

CREATE INDEX IF NOT EXISTS ${events}_type_idx ON ${events} (event_type);
CREATE INDEX IF NOT EXISTS ${events}_payload_idx ON ${events} USING gin (payload jsonb_path_ops) WITH (fastupdate = off);

-- The event log is append-only: refuse UPDATE, DELETE and TRUNCATE from anyone (a truncated
-- log would also restart the sequence numbers readers have already seen).
CREATE OR REPLACE FUNCTION ${events}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    RAISE EXCEPTION 'the event log % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'DCB02';
END
$fn$;
-- Made only when missing (or without TRUNCATE, as in early schemas): dropping a trigger takes the
-- table's ACCESS EXCLUSIVE lock, which would wait behind every open stream while every append of
-- every running store queued behind it, each time a store upgraded the schema.
DO $do$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '${events}_append_only'
                   AND tgrelid = '${events}'::regclass AND (tgtype & 32) <> 0) THEN
        DROP TRIGGER IF EXISTS ${events}_append_only ON ${events};
        CREATE TRIGGER ${events}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${events}
            FOR EACH STATEMENT EXECUTE FUNCTION ${events}_refuse_change();
    END IF;
END
$do$;

-- Raised inside the append's check when the condition fails; the DETAIL carries the sequence
-- number found. A raise aborts the append's implicit transaction, so nothing is written.
CREATE OR REPLACE FUNCTION ${events}_condition_failed_if(failed boolean, found_sequence bigint) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
    IF failed THEN
        RAISE EXCEPTION 'append condition failed: found a matching event at %', found_sequence
            USING ERRCODE = 'DCB01', DETAIL = found_sequence::text;
    END IF;
END
$fn$;

-- Every later statement of an append or a read calls this with a transaction-local setting that
-- the pipeline's first statements set: when a JDBC driver option made the driver send a Sync
-- between them (splitting one operation into several transactions, so the append's check would
-- no longer run under its locks), the setting is gone, and the operation fails instead.
CREATE OR REPLACE FUNCTION ${events}_in_pipeline(setting text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
    IF setting IS NULL OR setting = '' THEN
        RAISE EXCEPTION 'the statements of one event store operation did not run as one transaction'
            USING ERRCODE = 'DCB03',
                  HINT = 'a JDBC driver option split the pipeline (for example preferQueryMode=simple); remove it from the URL or data source';
    END IF;
    RETURN true;
END
$fn$;

-- Id allocation (schema 6): the append's transaction id and its n sequence numbers, taken under the
-- table's id lock so that sequence order equals transaction-id order, and the lock released before
-- the insert, so inserts and commits run in parallel. The lock is a transaction-level advisory lock
-- taken in a block whose subtransaction is rolled back on purpose: PostgreSQL releases locks taken
-- in a PL/pgSQL exception block when the block is left with an error, while nextval (never rolled
-- back) and pg_current_xact_id() (the top-level id) keep what they gave. A cancel or an error
-- anywhere aborts the whole transaction, which releases the lock too: it never outlives the
-- transaction that took it, so a connection pooler in transaction mode (PgBouncer) can hand the
-- server connection to another client safely. (Until schema 5 it was a session-level lock released
-- by the same statement; a statement cancelled in between left it on the server connection.)
CREATE OR REPLACE FUNCTION ${events}_allocate(pipeline text, lock_class integer, lock_object integer,
    sequence_name regclass, n integer) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
    last_sequence bigint;
BEGIN
    PERFORM ${events}_in_pipeline(pipeline);
    BEGIN
        PERFORM pg_advisory_xact_lock(lock_class, lock_object);
        PERFORM pg_current_xact_id();
        SELECT max(nextval(sequence_name)) INTO last_sequence FROM generate_series(1, n);
        RAISE SQLSTATE 'DCB04'; -- leaves the block: releases the id lock, keeps the numbers
    EXCEPTION WHEN SQLSTATE 'DCB04' THEN
        NULL;
    END;
    RETURN last_sequence;
END
$fn$;

-- The safe mark (docs/design.md, "Reads never skip an event that commits late"): the highest
-- sequence number such that every number up to it is visible in the caller's snapshot or belongs
-- to an append that will never commit. STABLE: every statement below sees the caller's snapshot.
--   known_starts, knowns, known_xids: marks returned before, each with the start time (in
--   microseconds) of the server that returned it and the transaction id of its event (a data
--   source may lead to several servers: a load-balanced or promoted replica); this server uses
--   its own, if any.
--   more: the walk stopped only because it reached its window of 10,000 events (call again).
DROP FUNCTION IF EXISTS ${events}_safe_mark(bigint, bigint, bigint);
CREATE OR REPLACE FUNCTION ${events}_safe_mark(known_starts bigint[], knowns bigint[], known_xids bigint[],
    OUT mark bigint, OUT server_start bigint, OUT mark_xid bigint, OUT more boolean)
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
    snap pg_snapshot := pg_current_snapshot();
    -- A hot standby's snapshots list no transactions in progress; a primary's list is empty only
    -- when none is, and then the fast path below answers. Decided from the snapshot, not from
    -- pg_is_in_recovery(), which changes when a standby is promoted during the call.
    standby boolean := NOT EXISTS (SELECT 1 FROM pg_snapshot_xip(snap));
    newest_seq bigint;
    newest_xid xid8;
    start_seq bigint;
    mine integer;
    stop bigint;
    walked bigint;
    last_seq bigint;
BEGIN
    server_start := (extract(epoch FROM pg_postmaster_start_time()) * 1000000)::bigint;
    more := false;
    SELECT sequence_number, transaction_id INTO newest_seq, newest_xid FROM ${events} ORDER BY sequence_number DESC LIMIT 1;
    IF newest_seq IS NULL OR newest_xid < pg_snapshot_xmin(snap) THEN
        -- Every transaction older than the newest event has ended: every hole below it is final.
        mark := coalesce(newest_seq, 0);
        mark_xid := coalesce(newest_xid::text::bigint, -1);
        RETURN;
    END IF;
    -- Walk from a position known to be safe on this server, if it still holds the same event
    -- (a dropped and re-created table starts anew), else from the old rule's position.
    mine := array_position(known_starts, server_start);
    IF mine IS NOT NULL AND (knowns[mine] = 0 OR EXISTS (SELECT 1 FROM ${events}
            WHERE sequence_number = knowns[mine] AND transaction_id = known_xids[mine]::text::xid8)) THEN
        start_seq := knowns[mine];
    ELSE
        start_seq := coalesce((SELECT sequence_number FROM ${events} WHERE transaction_id < pg_snapshot_xmin(snap)
            ORDER BY sequence_number DESC LIMIT 1), 0);
    END IF;
    -- A hole between visible events p and n can only be filled by an append whose transaction id
    -- lies between theirs (ids and numbers are allocated together under one lock). It is final
    -- when no transaction of that range can still commit: on a primary none is in the snapshot's
    -- in-progress list; a hot standby's snapshots list none, so there every id of the range from
    -- xmin on must be aborted (a standby marks a commit in the commit log before it drops the
    -- transaction from its running list). Ids out of order (rows copied from another cluster)
    -- give the range no lower bound.
    WITH w AS (SELECT e.sequence_number AS seq, e.transaction_id AS xid,
                      lag(e.sequence_number, 1, start_seq) OVER o AS prev_seq, lag(e.transaction_id, 1, '0'::xid8) OVER o AS prev_xid
               FROM (SELECT sequence_number, transaction_id FROM ${events} WHERE sequence_number >= start_seq
                     ORDER BY sequence_number LIMIT 10000) AS e
               WINDOW o AS (ORDER BY e.sequence_number))
    SELECT min(w.prev_seq) FILTER (WHERE w.seq > w.prev_seq + 1 AND CASE WHEN standby
               THEN EXISTS (SELECT 1 FROM generate_series(
                        greatest(CASE WHEN w.prev_xid < w.xid THEN w.prev_xid::text::bigint ELSE 0 END,
                                 pg_snapshot_xmin(snap)::text::bigint - 1) + 1,
                        least(w.xid, pg_snapshot_xmax(snap))::text::bigint - 1) AS x(id)
                    WHERE coalesce(pg_xact_status(x.id::text::xid8), 'aborted') <> 'aborted')
               ELSE EXISTS (SELECT 1 FROM pg_snapshot_xip(snap) AS x(id)
                    WHERE x.id < w.xid AND (w.prev_xid >= w.xid OR x.id > w.prev_xid)) END),
           count(*), max(w.seq)
    INTO stop, walked, last_seq FROM w;
    mark := coalesce(stop, last_seq, start_seq);
    more := stop IS NULL AND walked = 10000;
    mark_xid := coalesce((SELECT transaction_id::text::bigint FROM ${events} WHERE sequence_number = mark), -1);
END
$fn$;

-- The schema's version: the store runs this script again at start when it differs.
COMMENT ON FUNCTION ${events}_safe_mark(bigint[], bigint[], bigint[]) IS 'dcb schema 6';

CREATE TABLE IF NOT EXISTS ${snapshots} (
    projection_type text        NOT NULL,
    filter_hash     text        NOT NULL,
    sequence_number bigint      NOT NULL,
    state           jsonb,
    saved_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection_type, filter_hash)
);

-- Large states (schema 5; added to tables of earlier versions): a state of more than a million
-- characters is stored gzip-compressed by the client in state_gzip, and state is null. A jsonb
-- value cannot exceed 255 MB (the library's state of 2,000,000 book copies is about 480 MB of
-- JSON, and its save failed), and compressed on the client it costs the primary neither the
-- compression nor the WAL of the whole text. Exactly one of the two holds the state.
DO $do$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '${snapshots}'::regclass
                   AND conname = '${snapshots}_one_state') THEN
        ALTER TABLE ${snapshots} ADD COLUMN IF NOT EXISTS state_gzip bytea;
        ALTER TABLE ${snapshots} ALTER COLUMN state DROP NOT NULL;
        ALTER TABLE ${snapshots} ADD CONSTRAINT ${snapshots}_one_state CHECK ((state IS NULL) <> (state_gzip IS NULL));
    END IF;
    -- Tables created before schema 5: freeze appended rows on autovacuum's first visit (see above).
    IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = '${events}'::regclass
                   AND 'autovacuum_freeze_min_age=0' = ANY (coalesce(reloptions, '{}'))) THEN
        ALTER TABLE ${events} SET (autovacuum_freeze_min_age = 0);
    END IF;
END
$do$;
