package io.dcbstore.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.EventStore;
import io.dcbstore.testkit.TestDatabase;

/** Creates stores on the shared test database, each on tables of its own. */
final class StoreFixture {
    private StoreFixture() {
    }

    /** A store on fresh tables with its own pool, closed with the store. */
    static EventStore newStore(int poolSize, PostgresStoreConfig base) {
        String table = TestDatabase.uniqueName("ev");
        HikariDataSource pool = TestDatabase.get().newPool(table, poolSize);
        PostgresEventStore store = PostgresEventStore.create(pool, base.withTables(table, table + "_snap"));
        return new ClosingStore(store, pool);
    }

    /** A store that closes its pool with it. */
    static final class ClosingStore implements EventStore {
        private final PostgresEventStore delegate;
        private final HikariDataSource pool;

        ClosingStore(PostgresEventStore delegate, HikariDataSource pool) {
            this.delegate = delegate;
            this.pool = pool;
        }

        PostgresEventStore delegate() {
            return delegate;
        }

        HikariDataSource pool() {
            return pool;
        }

        @Override
        public io.dcbstore.QueryResult query(io.dcbstore.Filter filter, io.dcbstore.ReadOptions options) {
            return delegate.query(filter, options);
        }

        @Override
        public io.dcbstore.EventStream stream(io.dcbstore.Filter filter, io.dcbstore.ReadOptions options) {
            return delegate.stream(filter, options);
        }

        @Override
        public io.dcbstore.AppendResult append(java.util.List<io.dcbstore.Event> events, io.dcbstore.AppendCondition condition,
                                               io.dcbstore.AppendOptions options) {
            return delegate.append(events, condition, options);
        }

        @Override
        public boolean saveSnapshot(io.dcbstore.Snapshot snapshot) {
            return delegate.saveSnapshot(snapshot);
        }

        @Override
        public java.util.Optional<io.dcbstore.Snapshot> loadSnapshot(String projectionType, String filterHash) {
            return delegate.loadSnapshot(projectionType, filterHash);
        }

        @Override
        public boolean deleteSnapshot(String projectionType, String filterHash) {
            return delegate.deleteSnapshot(projectionType, filterHash);
        }

        @Override
        public void close() {
            delegate.close();
            pool.close();
        }
    }
}
