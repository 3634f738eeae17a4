-- The 15 statements with the most total execution time, from pg_stat_statements.
-- Needs shared_preload_libraries = 'pg_stat_statements' (set in postgresql-primary.conf and
-- postgresql-replica.conf) and, once per database, CREATE EXTENSION pg_stat_statements.
-- Run it on the primary for appends and on each replica for the reads served there; reset the
-- counters with SELECT pg_stat_statements_reset();
--   psql -X -h HOST -p PORT -U postgres -d postgres -f top-statements.sql
-- The view shows other users' query texts only to superusers and members of pg_read_all_stats.
SELECT count(*) > 0 AS have_pg_stat_statements
FROM pg_extension WHERE extname = 'pg_stat_statements' \gset
\if :have_pg_stat_statements
SELECT queryid,
       calls,
       round(total_exec_time::numeric, 1)                                       AS total_ms,
       round((100 * total_exec_time / nullif(sum(total_exec_time) OVER (), 0))::numeric, 1) AS pct_of_total,
       round(mean_exec_time::numeric, 3)                                        AS mean_ms,
       rows,
       round(100.0 * shared_blks_hit / nullif(shared_blks_hit + shared_blks_read, 0), 2) AS shared_hit_pct,
       left(regexp_replace(query, '\s+', ' ', 'g'), 100)                        AS query
FROM pg_stat_statements
ORDER BY total_exec_time DESC
LIMIT 15;
\else
\echo 'pg_stat_statements is not installed in this database: CREATE EXTENSION pg_stat_statements; (and preload it, see postgresql-primary.conf)'
\endif
