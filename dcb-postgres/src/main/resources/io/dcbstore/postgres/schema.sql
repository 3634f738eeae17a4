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
    fillfactor = 100,
    autovacuum_vacuum_insert_scale_factor = 0.2,
    autovacuum_vacuum_insert_threshold = 50000,
    autovacuum_analyze_scale_factor = 0.1,
    autovacuum_analyze_threshold = 50000
);

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
DROP TRIGGER IF EXISTS ${events}_append_only ON ${events};
CREATE TRIGGER ${events}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${events}
    FOR EACH STATEMENT EXECUTE FUNCTION ${events}_refuse_change();

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

CREATE TABLE IF NOT EXISTS ${snapshots} (
    projection_type text        NOT NULL,
    filter_hash     text        NOT NULL,
    sequence_number bigint      NOT NULL,
    state           jsonb       NOT NULL,
    saved_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection_type, filter_hash)
);
