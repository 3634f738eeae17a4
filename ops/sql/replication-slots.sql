-- Replication slots on the PRIMARY and the WAL each one holds back. An inactive slot keeps WAL
-- forever (pg_wal can fill the disk): drop slots of replicas that are gone with
--   SELECT pg_drop_replication_slot('name');
-- wal_status: reserved (within max_wal_size), extended (beyond, kept by the slot or
-- wal_keep_size), unreserved (about to be removed), lost (the replica needs a new base backup).
-- safe_wal_size: WAL that can still be written before the slot is lost (NULL without
-- max_slot_wal_keep_size, the default: the slot is never lost, the disk fills up instead).
-- Run on the primary:  psql -X -h HOST -p PORT -U postgres -d postgres -x -f replication-slots.sql
SELECT slot_name,
       slot_type,
       active,
       active_pid,
       restart_lsn,
       pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)                 AS retained_wal_bytes,
       pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)) AS retained_wal,
       wal_status,
       safe_wal_size
FROM pg_replication_slots
ORDER BY slot_name;
