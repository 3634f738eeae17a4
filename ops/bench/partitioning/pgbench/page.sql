-- A subscription's page of a follower of the whole log: the next 500 events after a random
-- position, within the page's window of 100,000 sequence numbers (Reads.PAGE_WINDOW), the shape of
-- Statements.readPage() in dcb-postgres for a match-all filter, including its condition on the
-- safe mark (dcb.mark, set by run.sh for the session: PGOPTIONS -c dcb.mark=) and a commit token
-- of 0. -M extended, PGOPTIONS plan_cache_mode=force_custom_plan (the store's
-- PAGE_PLAN_CACHE_MODE). Variables (-D): mark (the same number as dcb.mark).
\set pos random(0, :mark - 500)
\set upto :pos + 100000
SELECT sequence_number, event_type, payload::text, metadata::text, occurred_at, event_id FROM @TABLE@ WHERE TRUE AND sequence_number > :pos AND sequence_number <= current_setting('dcb.mark')::bigint AND current_setting('dcb.mark')::bigint >= 0 AND sequence_number <= :upto ORDER BY sequence_number LIMIT 500;
