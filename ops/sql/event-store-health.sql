-- Health of the DCB events table: sizes, dead tuples, (auto)vacuum/analyze, indexes, and the GIN
-- pending list of the payload index (must stay empty: the index is created with fastupdate = off).
-- Run it where the table lives (the primary; on a replica the vacuum/analyze columns are empty):
--   psql -X -h HOST -p PORT -U postgres -d postgres -f event-store-health.sql
--   psql ... -v events=my_schema.my_events -f event-store-health.sql   (other table name)
\if :{?events}
\else
\set events events
\endif

SELECT to_regclass(:'events') IS NOT NULL AS events_table_exists \gset
\if :events_table_exists
\else
\echo 'table' :events 'does not exist: pass its name with -v events=NAME'
\quit
\endif

\echo '== sizes'
SELECT c.oid::regclass                                   AS table_name,
       c.reltuples::bigint                               AS estimated_rows,
       pg_size_pretty(pg_relation_size(c.oid))           AS heap,
       pg_size_pretty(pg_table_size(c.oid) - pg_relation_size(c.oid)) AS toast_fsm_vm,
       pg_size_pretty(pg_indexes_size(c.oid))            AS indexes,
       pg_size_pretty(pg_total_relation_size(c.oid))     AS total,
       c.reloptions                                      AS options
FROM pg_class c
WHERE c.oid = to_regclass(:'events');

\echo '== indexes'
SELECT s.indexrelid::regclass                            AS index_name,
       am.amname                                         AS method,
       pg_size_pretty(pg_relation_size(s.indexrelid))    AS size,
       s.idx_scan,
       s.idx_tup_read,
       ic.reloptions                                     AS options
FROM pg_stat_all_indexes s
JOIN pg_class ic ON ic.oid = s.indexrelid
JOIN pg_am am ON am.oid = ic.relam
WHERE s.relid = to_regclass(:'events')
ORDER BY pg_relation_size(s.indexrelid) DESC;

\echo '== dead tuples, vacuum and analyze'
-- The table is append-only, so dead tuples come only from aborted appends (failed conditions);
-- vacuum still matters: it sets the visibility map (index-only scans) and freezes old rows.
SELECT s.n_live_tup,
       s.n_dead_tup,
       round(100.0 * s.n_dead_tup / nullif(s.n_live_tup + s.n_dead_tup, 0), 2) AS dead_pct,
       s.n_ins_since_vacuum,
       s.n_mod_since_analyze,
       s.last_vacuum,
       s.last_autovacuum,
       s.last_analyze,
       s.last_autoanalyze,
       s.autovacuum_count,
       s.autoanalyze_count,
       age(c.relfrozenxid)                               AS xid_age
FROM pg_stat_all_tables s
JOIN pg_class c ON c.oid = s.relid
WHERE s.relid = to_regclass(:'events');

\echo '== GIN pending list (expected 0: fastupdate = off)'
-- pgstatginindex comes with the pgstattuple extension (contrib). Without it this check is
-- skipped; the options column of "indexes" above still shows fastupdate=off.
SELECT count(*) > 0 AS have_pgstattuple FROM pg_extension WHERE extname = 'pgstattuple' \gset
\if :have_pgstattuple
SELECT i.indexrelid::regclass                            AS index_name,
       g.pending_pages,
       g.pending_tuples,
       CASE WHEN g.pending_pages = 0 AND g.pending_tuples = 0 THEN 'ok'
            ELSE 'NOT EMPTY: is fastupdate on? (ALTER INDEX ... SET (fastupdate = off); then VACUUM)'
       END                                               AS verdict
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'gin'
CROSS JOIN LATERAL pgstatginindex(i.indexrelid) g
WHERE i.indrelid = to_regclass(:'events');
\else
\echo 'skipped: the pgstattuple extension is not installed in this database (CREATE EXTENSION pgstattuple;)'
\endif
