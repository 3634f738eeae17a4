-- Probes of the guarantees (README.md, "What partitioning keeps and breaks"), on the copy and the
-- store's table. Nothing here changes data: the DELETEs match no row (WHERE false; a statement
-- trigger fires all the same), the TRUNCATE (of the copy's hot partition, empty before the rounds),
-- the inserts and the index attempt are rolled back, the rest only reads.
-- psql variables: qsrc, qcopy, qpart (the copy's first partition), qhot (its hot partition),
-- book_types, book.
\set ON_ERROR_STOP on
\pset footer off
CREATE TEMP TABLE bench_probe_result (n serial, result text);
-- psql does not fill its variables into DO blocks: they read these settings instead.
SELECT set_config('bench.qsrc', :'qsrc', false) AS qsrc, set_config('bench.qcopy', :'qcopy', false) AS qcopy,
       set_config('bench.qpart', :'qpart', false) AS qpart, set_config('bench.qhot', :'qhot', false) AS qhot \gset bench_
\echo
\echo '### The identity sequence (one for the whole partitioned table, as the store''s FIND_SEQUENCE looks it up)'
\echo
\echo '```'
SELECT :'qsrc' AS "table", pg_get_serial_sequence(:'qsrc', 'sequence_number') AS sequence
UNION ALL SELECT :'qcopy', pg_get_serial_sequence(:'qcopy', 'sequence_number')
UNION ALL SELECT :'qpart', pg_get_serial_sequence(:'qpart', 'sequence_number');
\echo
\echo 'Two rows inserted into the copy (rolled back): one through the partitioned table, one directly into its hot partition:'
\echo
BEGIN;
SELECT format($i$INSERT INTO %s (occurred_at, event_type, payload) VALUES (now(), 'BenchProbe', '{}') RETURNING sequence_number$i$, :'qcopy') AS via_parent,
       format($i$INSERT INTO %s (occurred_at, event_type, payload) VALUES (now(), 'BenchProbe', '{}') RETURNING sequence_number$i$, :'qhot') AS direct \gset probe_sql_
:probe_sql_via_parent \gset probe_parent_
:probe_sql_direct \gset probe_direct_
ROLLBACK;
SELECT 'through ' || :'qcopy' AS "insert", :probe_parent_sequence_number AS sequence_number
UNION ALL SELECT 'directly into ' || :'qhot', :probe_direct_sequence_number;
\echo '```'
\echo
\echo '### A unique index on event_id (as the store''s, for idempotent appends) on the partitioned table'
\echo
\echo '```'
DO $probe$
BEGIN
    BEGIN
        EXECUTE format('CREATE UNIQUE INDEX bench_probe_event_id ON %s (event_id) WHERE event_id IS NOT NULL', current_setting('bench.qcopy'));
        RAISE SQLSTATE 'DCBPR'; -- created: leave the block with an error, which drops it again
    EXCEPTION WHEN OTHERS THEN
        IF SQLSTATE = 'DCBPR' THEN
            INSERT INTO bench_probe_result (result) VALUES ('created (then rolled back)');
        ELSE
            INSERT INTO bench_probe_result (result) VALUES (format('refused: %s (SQLSTATE %s)', SQLERRM, SQLSTATE));
        END IF;
    END;
END
$probe$;
SELECT result FROM bench_probe_result ORDER BY n;
TRUNCATE bench_probe_result;
\echo '```'
\echo
\echo '### The append-only trigger: a DELETE (matching no row) on the store''s table, the partitioned copy and one partition; a TRUNCATE of the empty hot partition'
\echo
\echo '```'
DO $probe$
DECLARE
    target text;
BEGIN
    FOREACH target IN ARRAY ARRAY[current_setting('bench.qsrc'), current_setting('bench.qcopy'), current_setting('bench.qpart')] LOOP
        BEGIN
            EXECUTE format('DELETE FROM %s WHERE false', target);
            INSERT INTO bench_probe_result (result) VALUES (format('DELETE FROM %s WHERE false: allowed (no trigger fired)', target));
        EXCEPTION WHEN OTHERS THEN
            INSERT INTO bench_probe_result (result) VALUES (format('DELETE FROM %s WHERE false: refused: %s (SQLSTATE %s)', target, SQLERRM, SQLSTATE));
        END;
    END LOOP;
    -- TRUNCATE of the (still empty) hot partition, undone by leaving the block with an error.
    BEGIN
        EXECUTE format('TRUNCATE %s', current_setting('bench.qhot'));
        RAISE SQLSTATE 'DCBPR';
    EXCEPTION WHEN OTHERS THEN
        INSERT INTO bench_probe_result (result) VALUES (format('TRUNCATE %s: %s', current_setting('bench.qhot'),
            CASE WHEN SQLSTATE = 'DCBPR' THEN 'allowed (no trigger fired; undone)' ELSE format('refused: %s (SQLSTATE %s)', SQLERRM, SQLSTATE) END));
    END;
END
$probe$;
SELECT result FROM bench_probe_result ORDER BY n;
SELECT tgrelid::regclass AS "table", tgname AS "trigger" FROM pg_trigger
WHERE tgrelid IN (SELECT relid FROM pg_partition_tree(:'qcopy'::regclass) UNION SELECT :'qsrc'::regclass) AND NOT tgisinternal
ORDER BY 1::text;
\echo '```'
\echo
\echo '### Relation locks one check takes (generic plan), and how many fit the fast path'
\echo
\echo '```'
SET max_parallel_workers_per_gather = 0;
SET plan_cache_mode = force_generic_plan;
PREPARE probe_check_src(text[], text) AS SELECT coalesce(max(sequence_number + 0), 0) FROM :qsrc
    WHERE (event_type = ANY($1::text[]) AND payload @> ('{"BookID": "book-' || $2 || '"}')::jsonb);
PREPARE probe_check_copy(text[], text) AS SELECT coalesce(max(sequence_number + 0), 0) FROM :qcopy
    WHERE (event_type = ANY($1::text[]) AND payload @> ('{"BookID": "book-' || $2 || '"}')::jsonb);
BEGIN;
EXECUTE probe_check_src(:'book_types', :'book') \gset probe_
SELECT :'qsrc' AS "table", count(*) AS relation_locks, count(*) FILTER (WHERE fastpath) AS fast_path,
       count(*) FILTER (WHERE NOT fastpath) AS main_lock_table
FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation <> 'pg_locks'::regclass \gset src_
COMMIT;
BEGIN;
EXECUTE probe_check_copy(:'book_types', :'book') \gset probe_
SELECT :'qcopy' AS "table", count(*) AS relation_locks, count(*) FILTER (WHERE fastpath) AS fast_path,
       count(*) FILTER (WHERE NOT fastpath) AS main_lock_table
FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation <> 'pg_locks'::regclass \gset copy_
COMMIT;
SELECT :'src_table' AS "table", :src_relation_locks AS relation_locks, :src_fast_path AS fast_path, :src_main_lock_table AS main_lock_table
UNION ALL
SELECT :'copy_table', :copy_relation_locks, :copy_fast_path, :copy_main_lock_table;
DEALLOCATE probe_check_src;
DEALLOCATE probe_check_copy;
RESET plan_cache_mode;
RESET max_parallel_workers_per_gather;
\echo '```'
\echo
\echo '### What changing the partitions locks (on throwaway temporary tables, each step rolled back)'
\echo
\echo '```'
CREATE TEMP TABLE bench_probe_parent (sequence_number bigint NOT NULL) PARTITION BY RANGE (sequence_number);
CREATE TEMP TABLE bench_probe_hot PARTITION OF bench_probe_parent FOR VALUES FROM (1) TO (MAXVALUE);
CREATE TEMP TABLE bench_probe_standalone (sequence_number bigint NOT NULL);
BEGIN;
CREATE TEMP TABLE bench_probe_new PARTITION OF bench_probe_parent FOR VALUES FROM (MINVALUE) TO (1);
SELECT string_agg(relation::regclass::text || ': ' || mode, ', ' ORDER BY relation::regclass::text, mode) AS locks FROM pg_locks
    WHERE pid = pg_backend_pid() AND relation IN ('bench_probe_parent'::regclass, 'bench_probe_hot'::regclass) \gset create_
ROLLBACK;
BEGIN;
ALTER TABLE bench_probe_parent ATTACH PARTITION bench_probe_standalone FOR VALUES FROM (MINVALUE) TO (1);
SELECT string_agg(relation::regclass::text || ': ' || mode, ', ' ORDER BY relation::regclass::text, mode) AS locks FROM pg_locks
    WHERE pid = pg_backend_pid() AND relation IN ('bench_probe_parent'::regclass, 'bench_probe_standalone'::regclass) \gset attach_
ROLLBACK;
BEGIN;
ALTER TABLE bench_probe_parent DETACH PARTITION bench_probe_hot;
SELECT string_agg(relation::regclass::text || ': ' || mode, ', ' ORDER BY relation::regclass::text, mode) AS locks FROM pg_locks
    WHERE pid = pg_backend_pid() AND relation IN ('bench_probe_parent'::regclass, 'bench_probe_hot'::regclass) \gset detach_
ROLLBACK;
SELECT 'CREATE TABLE ... PARTITION OF' AS step, :'create_locks' AS "locks held (parent: bench_probe_parent)"
UNION ALL SELECT 'ALTER TABLE ... ATTACH PARTITION', :'attach_locks'
UNION ALL SELECT 'ALTER TABLE ... DETACH PARTITION', :'detach_locks';
\echo '```'
