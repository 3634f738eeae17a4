package io.dcbstore.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.EventStore;
import io.dcbstore.testkit.DelegatingEventStore;
import io.dcbstore.testkit.TestDatabase;

/** Creates stores on the shared test database, each on tables of its own. */
final class StoreFixture {
    private StoreFixture() {}

    /** A store on fresh tables with its own pool, closed with the store. */
    static EventStore newStore(int poolSize, PostgresStoreConfig base) {
        String table = TestDatabase.uniqueName("ev");
        HikariDataSource pool = TestDatabase.get().newPool(table, poolSize);
        PostgresEventStore store = PostgresEventStore.create(pool, base.withTables(table, table + "_snap"));
        return new ClosingStore(store, pool);
    }

    /** A store that closes its pool with it. */
    static final class ClosingStore extends DelegatingEventStore {
        private final PostgresEventStore delegate;
        private final HikariDataSource pool;

        ClosingStore(PostgresEventStore delegate, HikariDataSource pool) {
            super(delegate);
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
        public void close() {
            super.close();
            pool.close();
        }
    }
}
