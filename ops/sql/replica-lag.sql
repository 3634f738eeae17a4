-- Replication lag as seen by a REPLICA (hot standby).
-- receive_lsn: last WAL position received and flushed by the WAL receiver; replay_lsn: last one
-- applied. replay_delay: age of the last replayed commit, now() - pg_last_xact_replay_timestamp()
-- (clocks of primary and replica must be in sync).
-- Classification:
--   not a replica  pg_is_in_recovery() is false (this is a primary)
--   disconnected   no WAL receiver process (primary down, wrong primary_conninfo, ...): the
--                  LSNs below are stale, so "idle" would be misleading
--   idle           everything received is replayed (receive = replay LSN); the replay delay
--                  then only says how long ago the primary last committed
--   unknown        nothing replayed since the replica started
--   healthy        replay delay < 1 s
--   lagging        replay delay < 10 s
--   critical       replay delay >= 10 s
-- Run on a replica:  psql -X -h HOST -p PORT -U postgres -d postgres -x -f replica-lag.sql
SELECT pg_is_in_recovery()                                            AS in_recovery,
       (SELECT status FROM pg_stat_wal_receiver)                      AS wal_receiver,
       pg_last_wal_receive_lsn()                                      AS receive_lsn,
       pg_last_wal_replay_lsn()                                       AS replay_lsn,
       pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) AS replay_backlog_bytes,
       pg_last_xact_replay_timestamp()                                AS last_replayed_commit,
       now() - pg_last_xact_replay_timestamp()                        AS replay_delay,
       CASE
           WHEN NOT pg_is_in_recovery() THEN 'not a replica'
           WHEN NOT EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN 'disconnected'
           WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 'idle'
           WHEN pg_last_xact_replay_timestamp() IS NULL THEN 'unknown'
           WHEN now() - pg_last_xact_replay_timestamp() < interval '1 second' THEN 'healthy'
           WHEN now() - pg_last_xact_replay_timestamp() < interval '10 seconds' THEN 'lagging'
           ELSE 'critical'
       END                                                            AS classification;
