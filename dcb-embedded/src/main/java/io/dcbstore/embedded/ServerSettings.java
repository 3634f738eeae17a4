package io.dcbstore.embedded;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PostgreSQL settings for each role, with the reason for each choice. The same values are
 * shipped for DBAs in {@code ops/postgresql-primary.conf} and {@code ops/postgresql-replica.conf}.
 */
public final class ServerSettings {
    private ServerSettings() {}

    /**
     * Settings for a primary that serves the event store (2 cores, a few GiB for PostgreSQL).
     *
     * @param sharedBuffers e.g. {@code 1GB}; a quarter of the memory PostgreSQL may use
     * @return the settings
     */
    public static Map<String, String> primary(String sharedBuffers) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("max_connections", "200");
        settings.put("shared_buffers", sharedBuffers);
        settings.put("effective_cache_size", "4GB");
        settings.put("work_mem", "16MB");
        settings.put("maintenance_work_mem", "256MB");
        // Short OLTP statements: JIT compilation costs more than it saves, and so does starting
        // parallel workers (a plan that turned parallel after an ANALYZE cut capacity by a third).
        settings.put("jit", "off");
        settings.put("max_parallel_workers_per_gather", "0");
        settings.put("random_page_cost", "1.1");
        settings.put("effective_io_concurrency", "200");
        // Appends take one advisory lock per event field; leave room in the shared lock table.
        settings.put("max_locks_per_transaction", "256");
        // WAL: fewer, spread checkpoints so that appends do not stall on full-page writes.
        settings.put("wal_level", "replica");
        settings.put("max_wal_size", "4GB");
        settings.put("min_wal_size", "1GB");
        settings.put("checkpoint_timeout", "15min");
        settings.put("checkpoint_completion_target", "0.9");
        settings.put("wal_buffers", "64MB");
        settings.put("max_wal_senders", "10");
        settings.put("max_replication_slots", "10");
        settings.put("wal_keep_size", "1GB");
        // Durable: an acknowledged append survives a crash.
        settings.put("synchronous_commit", "on");
        settings.put("fsync", "on");
        // Group commit: with 3 or more other transactions open, a commit waits 20 us so that one WAL
        // flush serves several (docs/performance.md, issue 15: 2-12% less primary CPU per request).
        settings.put("commit_delay", "20");
        settings.put("commit_siblings", "3");
        // Observability: where the database time goes.
        settings.put("shared_preload_libraries", "pg_stat_statements");
        settings.put("pg_stat_statements.max", "5000");
        settings.put("pg_stat_statements.track", "top");
        settings.put("track_io_timing", "on");
        settings.put("track_commit_timestamp", "off");
        // Append-only table: frequent, cheap autovacuum (visibility map for index-only scans).
        settings.put("autovacuum_naptime", "10s");
        settings.put("autovacuum_vacuum_cost_limit", "2000");
        settings.put("log_min_duration_statement", "1000");
        settings.put("log_lock_waits", "on");
        settings.put("deadlock_timeout", "1s");
        return settings;
    }

    /**
     * Settings for a hot-standby replica of {@link #primary}.
     *
     * @param sharedBuffers e.g. {@code 512MB}
     * @return the settings
     */
    public static Map<String, String> replica(String sharedBuffers) {
        Map<String, String> settings = primary(sharedBuffers);
        settings.put("hot_standby", "on");
        // Tell the primary which rows replica queries still need, so vacuum does not cancel them.
        settings.put("hot_standby_feedback", "on");
        settings.put("max_standby_streaming_delay", "5s");
        settings.put("wal_receiver_status_interval", "1s");
        return settings;
    }

    /**
     * Settings for a replica in tests: {@link #replica} without durability.
     *
     * @return the settings
     */
    public static Map<String, String> replicaForTests() {
        Map<String, String> settings = forTests();
        settings.put("hot_standby", "on");
        settings.put("hot_standby_feedback", "on");
        settings.put("wal_receiver_status_interval", "1s");
        return settings;
    }

    /**
     * Settings for tests: like the primary, but not crash-safe (fsync and full-page writes off) so that tests are fast.
     * Never use these for data you want to keep.
     *
     * @return the settings
     */
    public static Map<String, String> forTests() {
        Map<String, String> settings = primary("128MB");
        settings.put("fsync", "off");
        // Commits still flush (cheap without fsync) so that replicas receive them at once.
        settings.put("full_page_writes", "off");
        settings.put("max_wal_size", "1GB");
        settings.put("min_wal_size", "80MB");
        settings.put("wal_keep_size", "0");
        settings.put("wal_buffers", "16MB");
        settings.put("log_min_duration_statement", "-1");
        return settings;
    }
}
