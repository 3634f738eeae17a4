-- EXPLAIN (ANALYZE, BUFFERS) of the measured statements on one table, with the plan settings the
-- store uses for them: the check and the boundary read as generic plans (PREPARE, then EXECUTE
-- under plan_cache_mode = force_generic_plan), the page as a custom plan, and the insert of one
-- event inside a transaction that is rolled back; and the safe mark's probe of the newest event.
-- psql variables: qtable (schema-qualified), book_types, reader_types, book, reader, pos, mark.
\set ON_ERROR_STOP on
SELECT set_config('dcb.mark', :'mark', false) AS mark \gset bench_
\pset footer off
SET max_parallel_workers_per_gather = 0;
SET plan_cache_mode = force_generic_plan;
PREPARE bench_check(text[], text) AS
    SELECT coalesce(max(sequence_number + 0), 0) AS found FROM :qtable
    WHERE (event_type = ANY($1::text[]) AND payload @> ('{"BookID": "book-' || $2 || '"}')::jsonb);
PREPARE bench_boundary(text[], text, text[], text) AS
    SELECT sequence_number, event_type, payload::text, metadata::text, occurred_at, event_id FROM :qtable
    WHERE ((event_type = ANY($1::text[]) AND payload @> ('{"BookID": "book-' || $2 || '"}')::jsonb)
        OR (event_type = ANY($3::text[]) AND payload @> ('{"ReaderID": "reader-' || $4 || '"}')::jsonb))
      AND sequence_number <= current_setting('dcb.mark')::bigint AND current_setting('dcb.mark')::bigint >= 0
    ORDER BY sequence_number;
\echo
\echo '### The check on' :qtable '(generic plan, book-':book')'
\echo
\echo '```'
EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_check(:'book_types', :'book');
\echo '```'
\echo
\echo '### The boundary read on' :qtable '(generic plan, book-':book 'OR reader-':reader')'
\echo
\echo '```'
EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_boundary(:'book_types', :'book', :'reader_types', :'reader');
\echo '```'
DEALLOCATE bench_check;
DEALLOCATE bench_boundary;
SET plan_cache_mode = force_custom_plan;
RESET max_parallel_workers_per_gather;
\echo
\echo '### The subscription page on' :qtable '(custom plan, after' :pos')'
\echo
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
    SELECT sequence_number, event_type, payload::text, metadata::text, occurred_at, event_id FROM :qtable
    WHERE TRUE AND sequence_number > :pos AND sequence_number <= current_setting('dcb.mark')::bigint
      AND current_setting('dcb.mark')::bigint >= 0 AND sequence_number <= :pos + 100000
    ORDER BY sequence_number LIMIT 500;
\echo '```'
\echo
\echo '### The safe mark''s newest event on' :qtable '(a statement of the schema''s <events>_safe_mark)'
\echo
\echo '```'
EXPLAIN (ANALYZE, BUFFERS) SELECT sequence_number, transaction_id FROM :qtable ORDER BY sequence_number DESC LIMIT 1;
\echo '```'
\echo
\echo '### The insert of one event on' :qtable '(rolled back)'
\echo
\echo '```'
BEGIN;
EXPLAIN (ANALYZE, BUFFERS)
    INSERT INTO :qtable (occurred_at, event_type, payload, metadata, event_id)
    VALUES (now(), 'BookCopyLentToReader', jsonb_build_object('BookID', 'book-new-' || gen_random_uuid(), 'ReaderID', 'reader-' || :'reader'),
            jsonb_build_object('MessageID', md5(random()::text), 'CausationID', md5(random()::text), 'CorrelationID', md5(random()::text)),
            gen_random_uuid());
ROLLBACK;
\echo '```'
