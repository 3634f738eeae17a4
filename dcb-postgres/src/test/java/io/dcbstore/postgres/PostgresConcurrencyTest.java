package io.dcbstore.postgres;

import io.dcbstore.EventStore;
import io.dcbstore.testkit.ConcurrencyContract;

/** The concurrency suite against the PostgreSQL store. */
class PostgresConcurrencyTest extends ConcurrencyContract {
    @Override
    protected EventStore createStore() {
        return StoreFixture.newStore(10, PostgresStoreConfig.defaults());
    }
}
