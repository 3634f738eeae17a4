-- The DDL of the partitioned copy of the store's events table, generated from the catalog: one
-- statement per row, as "phase<TAB>label<TAB>statement" (run.sh runs them phase by phase, each
-- timed). Nothing here changes anything: it only reads the catalog and the table's bounds.
--
-- psql variables:
--   schema, table   the store's events table (e.g. public, events)
--   copy            the name of the partitioned copy, in the same schema (e.g. events_part)
--   size            events per history partition (e.g. 2000000)
--   autovacuum      'keep': the partitions get the store table's storage options as they are;
--                   'off': the same plus autovacuum_enabled=false (see run.sh, --insert-commit)
--
-- Layout: sequence numbers start at 1. History partitions hold [1 + k*size, 1 + (k+1)*size) for
-- every k whose range ends at or below the table's highest sequence number (the first one from
-- MINVALUE); the hot partition holds everything from the end of the last full one to MAXVALUE:
-- the tail of the history that fills no whole partition, and every new append.
--
-- Phases:
--   table    the partitioned table (LIKE the store's: columns, defaults, CHECK constraints,
--            identity with its sequence options) and its partitions, with the store's reloptions
--   index    the store's indexes: the primary key and every index that is not unique, or unique
--            and containing sequence_number, on the partitioned table (PostgreSQL creates one per
--            partition, with the same method, operator class and options, e.g. GIN
--            jsonb_path_ops with fastupdate=off); a unique index without sequence_number cannot
--            be created on a partitioned table, so it is created on each partition (unique only
--            within that partition; see README.md)
--   copy     the rows, one INSERT ... SELECT per partition range, in sequence order
--   identity the copy's identity restarted after the store's highest number
--   trigger  the store's triggers (the append-only guard), on the partitioned table
\set ON_ERROR_STOP on
WITH src AS (
    SELECT c.oid, format('%I.%I', n.nspname, c.relname) AS qname, c.relname, c.reloptions,
           format('%I.%I', :'schema', :'copy') AS dst
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = :'schema' AND c.relname = :'table' AND c.relkind = 'r'
),
seqcol AS (
    SELECT a.attnum FROM pg_attribute a, src WHERE a.attrelid = src.oid AND a.attname = 'sequence_number'
),
hi AS (
    SELECT coalesce(max(sequence_number), 0) AS hi FROM :"schema".:"table"
),
opts AS (
    SELECT CASE WHEN o.list IS NULL OR o.list = '' THEN '' ELSE ' WITH (' || o.list || ')' END AS clause
    FROM (SELECT array_to_string(
                     array_cat(ARRAY(SELECT x FROM unnest(coalesce(src.reloptions, '{}')) AS x
                                     WHERE :'autovacuum' = 'keep' OR x NOT LIKE 'autovacuum_enabled=%'),
                               CASE WHEN :'autovacuum' = 'off' THEN ARRAY['autovacuum_enabled=false'] ELSE '{}'::text[] END),
                     ', ') AS list
          FROM src) AS o
),
parts AS (
    SELECT k, format('%I.%I', :'schema', left(:'copy', 50) || '_p' || lpad(k::text, 3, '0')) AS qname,
           left(:'copy', 50) || '_p' || lpad(k::text, 3, '0') AS name,
           1 + k * (:size)::bigint AS lo, 1 + (k + 1) * (:size)::bigint AS hi_excl, false AS hot
    FROM hi, generate_series(0, hi.hi / (:size)::bigint - 1) AS k
    UNION ALL
    SELECT hi.hi / (:size)::bigint, format('%I.%I', :'schema', left(:'copy', 50) || '_hot'),
           left(:'copy', 50) || '_hot', 1 + (hi.hi / (:size)::bigint) * (:size)::bigint, NULL, true
    FROM hi
),
idx AS (
    SELECT i.indexrelid, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def, i.indisunique,
           con.oid AS conoid, con.conname, con.contype,
           (SELECT attnum FROM seqcol) = ANY (i.indkey::int2[]) AS has_key
    FROM pg_index i JOIN src ON i.indrelid = src.oid
    JOIN pg_class ic ON ic.oid = i.indexrelid
    LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = src.oid
),
ddl AS (
    SELECT 1 AS ord, 0 AS sub, 'table' AS phase, 'create ' || src.dst AS label,
           format('CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY'
                  ' INCLUDING STORAGE INCLUDING COMPRESSION) PARTITION BY RANGE (sequence_number)',
                  src.dst, src.qname) AS stmt
    FROM src
    UNION ALL
    SELECT 2, p.k, 'table', 'partition ' || p.name || ' [' || CASE WHEN p.k = 0 THEN 'MINVALUE' ELSE p.lo::text END
               || ', ' || coalesce(p.hi_excl::text, 'MAXVALUE') || ')',
           format('CREATE TABLE %s PARTITION OF %s FOR VALUES FROM (%s) TO (%s)%s', p.qname, src.dst,
                  CASE WHEN p.k = 0 THEN 'MINVALUE' ELSE p.lo::text END, coalesce(p.hi_excl::text, 'MAXVALUE'), opts.clause)
    FROM parts p, src, opts
    UNION ALL
    -- Constraints (the primary key): on the partitioned table when they contain the partition key.
    SELECT 3, 0, 'index', 'constraint ' || x.conname,
           format('ALTER TABLE %s ADD CONSTRAINT %I %s', src.dst,
                  left(CASE WHEN x.conname LIKE src.relname || '\_%' THEN :'copy' || substr(x.conname, length(src.relname) + 1)
                       ELSE :'copy' || '_' || x.conname END, 63),
                  pg_get_constraintdef(x.conoid))
    FROM idx x, src WHERE x.conoid IS NOT NULL AND x.contype IN ('p', 'u') AND x.has_key
    UNION ALL
    -- Plain indexes, and unique ones that contain the partition key: on the partitioned table.
    SELECT 4, 0, 'index', 'index ' || x.name,
           replace(replace(x.def, ' ON ' || src.qname || ' USING ', ' ON ' || src.dst || ' USING '),
                   'INDEX ' || quote_ident(x.name) || ' ON ',
                   'INDEX ' || quote_ident(left(CASE WHEN x.name LIKE src.relname || '\_%'
                       THEN :'copy' || substr(x.name, length(src.relname) + 1) ELSE :'copy' || '_' || x.name END, 63)) || ' ON ')
    FROM idx x, src WHERE x.conoid IS NULL AND (NOT x.indisunique OR x.has_key)
    UNION ALL
    -- Unique indexes without the partition key: one per partition, unique only within it.
    SELECT 5, p.k, 'index', 'index ' || x.name || ' (unique per partition only) on ' || p.name,
           replace(replace(x.def, ' ON ' || src.qname || ' USING ', ' ON ' || p.qname || ' USING '),
                   'INDEX ' || quote_ident(x.name) || ' ON ',
                   'INDEX ' || quote_ident(left(p.name || '_' || CASE WHEN x.name LIKE src.relname || '\_%'
                       THEN substr(x.name, length(src.relname) + 2) ELSE x.name END, 63)) || ' ON ')
    FROM idx x, src, parts p WHERE x.conoid IS NULL AND x.indisunique AND NOT x.has_key
    UNION ALL
    SELECT 6, p.k, 'copy', 'copy into ' || p.name,
           format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %2$s FROM %s%s ORDER BY sequence_number',
                  src.dst, cols.list, src.qname,
                  coalesce(' WHERE ' || nullif(concat_ws(' AND ',
                      CASE WHEN p.k > 0 THEN 'sequence_number >= ' || p.lo END,
                      CASE WHEN p.hi_excl IS NOT NULL THEN 'sequence_number < ' || p.hi_excl END), ''), ''))
    FROM parts p, src,
         (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) AS list
          FROM pg_attribute a, src WHERE a.attrelid = src.oid AND a.attnum > 0 AND NOT a.attisdropped
            AND a.attgenerated = '') AS cols
    UNION ALL
    SELECT 7, 0, 'identity', 'restart the copy''s identity',
           format('ALTER TABLE %s ALTER COLUMN sequence_number RESTART WITH %s', src.dst,
                  greatest(hi.hi, coalesce(pg_sequence_last_value(pg_get_serial_sequence(src.qname, 'sequence_number')::regclass), 0)) + 1)
    FROM src, hi
    UNION ALL
    SELECT 8, 0, 'trigger', 'trigger ' || t.tgname,
           replace(pg_get_triggerdef(t.oid), ' ON ' || src.qname || ' ', ' ON ' || src.dst || ' ')
    FROM pg_trigger t, src WHERE t.tgrelid = src.oid AND NOT t.tgisinternal
)
SELECT phase || E'\t' || label || E'\t' || stmt FROM ddl ORDER BY ord, sub, label;
