-- Streaming replicas as seen by the PRIMARY (pg_stat_replication), one row per WAL sender.
-- Lag in bytes: how far each position reported by the replica is behind the primary's current
-- WAL position. *_lag intervals: time between a commit being flushed locally and the replica
-- reporting it written / flushed / replayed (NULL when the replica is fully caught up and idle).
-- Run on the primary:  psql -X -h HOST -p PORT -U postgres -d postgres -x -f replication-status.sql
-- (pg_current_wal_lsn() fails on a standby; there pg_stat_replication only lists cascading ones.)
SELECT application_name,
       client_addr,
       state,
       sync_state,
       pg_current_wal_lsn()                                 AS current_lsn,
       replay_lsn,
       pg_wal_lsn_diff(pg_current_wal_lsn(), sent_lsn)      AS sent_lag_bytes,
       pg_wal_lsn_diff(pg_current_wal_lsn(), write_lsn)     AS write_lag_bytes,
       pg_wal_lsn_diff(pg_current_wal_lsn(), flush_lsn)     AS flush_lag_bytes,
       pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)    AS replay_lag_bytes,
       pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)) AS replay_lag_size,
       write_lag,
       flush_lag,
       replay_lag,
       reply_time
FROM pg_stat_replication
ORDER BY application_name, client_addr;
