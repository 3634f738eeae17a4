package io.dcbstore.postgres.internal;

import io.dcbstore.AppendCondition;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.CommitToken;
import io.dcbstore.Event;
import io.dcbstore.EventStream;
import io.dcbstore.Filter;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.Snapshot;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.postgres.StatementStatistics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The PostgreSQL implementation of every store operation against one primary, one job per
 * part: {@link Schema} (creation and the checks at start), {@link Reads} (queries, tokens and
 * streams up to the safe mark of {@link SafeMarks}), {@link Appends} (the append protocol) and
 * {@link SnapshotTable}. See {@link Statements} for the protocol and the read rule.
 */
public final class PostgresEngine {
    private final PostgresStoreConfig config;
    private final Statements statements;
    private final Schema schema;
    private final Reads reads;
    private final Appends appends;
    private final SnapshotTable snapshots;

    /**
     * @param primary the primary's data source
     * @param config the validated configuration
     */
    public PostgresEngine(DataSource primary, PostgresStoreConfig config) {
        this.config = config;
        this.statements = new Statements(config.eventsTable(), config.snapshotsTable());
        this.schema = new Schema(primary, config, statements);
        this.reads = new Reads(statements, config);
        this.appends = new Appends(primary, config, statements);
        this.snapshots = new SnapshotTable(primary, config, statements);
    }

    /** Creates (or updates) tables, indexes and functions when they are missing or older; safe to run concurrently. */
    public void createSchema() {
        schema.create();
    }

    /** Checks that the schema exists at this version, for a store that does not create it. */
    public void requireSchema() {
        schema.require();
    }

    /**
     * Checks the primary at start: a UTF8 database, and driver options that keep a pipeline one
     * transaction (no server-side prepared statements behind a pooler in transaction mode).
     *
     * @return whether the primary is reached through a pooler in transaction mode, where a
     *     connection's session (LISTEN) does not stay with it
     * @throws io.dcbstore.ConfigurationException when it cannot guarantee the append
     */
    public boolean checkServer() {
        return schema.checkServer() == Pooling.TRANSACTION;
    }

    /**
     * Refuses a replica whose driver options split pipelines.
     *
     * @param replica the replica's data source
     * @param name its name
     */
    public void checkReplica(DataSource replica, String name) {
        schema.checkReplica(replica, name);
    }

    /**
     * Reads matching events from a node, up to its safe mark.
     *
     * @param source the node to read from
     * @param filter what to read
     * @param options token and cancellation (the timeout is given separately)
     * @param timeout the timeout of this attempt
     * @return the events and their highest sequence number, or empty when the token is not visible
     */
    public Optional<QueryResult> query(DataSource source, Filter filter, ReadOptions options, Duration timeout) {
        return reads.query(source, filter, options, timeout);
    }

    /**
     * Reads a subscription's page on a node: at most {@code limit} matching events, up to the safe mark.
     *
     * @param source the node
     * @param filter what to read, with the position to read after
     * @param limit the most events
     * @param timeout the timeout of the read
     * @return the page
     */
    public EventPage page(DataSource source, Filter filter, int limit, Duration timeout) {
        return reads.page(source, filter, limit, timeout);
    }

    /**
     * @param source the node
     * @param token the token
     * @param timeout the timeout of this check
     * @return whether the token's event is at or below the node's safe mark
     */
    public boolean tokenVisible(DataSource source, CommitToken token, Duration timeout) {
        return reads.tokenVisible(source, token, timeout);
    }

    /**
     * Streams matching events from a node with a server-side cursor.
     *
     * @param source the node to read from
     * @param filter what to read
     * @param options timeout (per batch) and cancellation
     * @return the open stream
     */
    public EventStream stream(DataSource source, Filter filter, ReadOptions options) {
        return reads.stream(source, filter, options, timeoutOf(options.timeout()));
    }

    /**
     * Appends events under an optional condition (see {@link Statements}).
     *
     * @param events the events
     * @param condition the condition, or {@code null}
     * @param options timeout and cancellation
     * @return what was written
     */
    public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
        return appends.append(events, condition, options);
    }

    /**
     * @param snapshot the snapshot to save
     * @return whether it is now the saved one
     */
    public boolean saveSnapshot(Snapshot snapshot) {
        return snapshots.save(snapshot);
    }

    /**
     * @param source the node to read from
     * @param projectionType the projection
     * @param filterHash its filter's hash
     * @return the snapshot, if saved
     */
    public Optional<Snapshot> loadSnapshot(DataSource source, String projectionType, String filterHash) {
        return snapshots.load(source, projectionType, filterHash);
    }

    /**
     * @param projectionType the projection
     * @param filterHash its filter's hash
     * @return whether one was deleted
     */
    public boolean deleteSnapshot(String projectionType, String filterHash) {
        return snapshots.delete(projectionType, filterHash);
    }

    /** @return the counters of the store's SQL */
    public StatementStatistics statementStatistics() {
        SqlCache<String> appendCache = appends.sqlCache();
        return new StatementStatistics(
                appendCache.hits() + statements.queryCacheHits(),
                appendCache.misses() + statements.queryCacheMisses(),
                appendCache.size() + statements.queryCacheSize(),
                appends.globalLockAppends());
    }

    /** @return the default timeout, or the requested one */
    public Duration timeoutOf(Duration requested) {
        return requested == null ? config.defaultTimeout() : requested;
    }
}
