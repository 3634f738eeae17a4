-- Sizes of a table and, for a partitioned one, of each partition: rows (the planner's estimate,
-- exact after VACUUM ANALYZE), heap, indexes, total; then each index.
-- psql variable: qtable (schema-qualified).
\set ON_ERROR_STOP on
\pset footer off
WITH leaf AS (
    SELECT t.relid FROM pg_partition_tree(:'qtable'::regclass) AS t WHERE t.isleaf
    UNION SELECT :'qtable'::regclass WHERE (SELECT relkind FROM pg_class WHERE oid = :'qtable'::regclass) = 'r'
)
SELECT coalesce(l.relid::regclass::text, 'total') AS relation,
       sum(c.reltuples)::bigint AS rows,
       pg_size_pretty(sum(pg_relation_size(l.relid))) AS heap,
       pg_size_pretty(sum(pg_indexes_size(l.relid))) AS indexes,
       pg_size_pretty(sum(pg_total_relation_size(l.relid))) AS total
FROM leaf l JOIN pg_class c ON c.oid = l.relid
GROUP BY ROLLUP (l.relid) ORDER BY l.relid NULLS LAST;
WITH leaf AS (
    SELECT t.relid FROM pg_partition_tree(:'qtable'::regclass) AS t WHERE t.isleaf
    UNION SELECT :'qtable'::regclass WHERE (SELECT relkind FROM pg_class WHERE oid = :'qtable'::regclass) = 'r'
)
SELECT i.indexrelid::regclass AS index, am.amname AS method, pg_size_pretty(pg_relation_size(i.indexrelid)) AS size,
       coalesce(array_to_string(ic.reloptions, ', '), '') AS options
FROM leaf l JOIN pg_index i ON i.indrelid = l.relid JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
ORDER BY l.relid, i.indexrelid::regclass::text;
