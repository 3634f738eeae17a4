package io.dcbstore.postgres;

import io.dcbstore.EventStore;
import io.dcbstore.testkit.ConcurrencyContract;

/** The Concurrency suite through PgBouncer in transaction mode ({@link PgBouncerFixture}). */
class PgBouncerConcurrencyIT extends ConcurrencyContract {
    @Override
    protected EventStore createStore() {
        return PgBouncerFixture.newStore(10, PostgresStoreConfig.defaults());
    }
}
