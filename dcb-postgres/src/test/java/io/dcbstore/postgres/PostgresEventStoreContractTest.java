package io.dcbstore.postgres;

import io.dcbstore.EventStore;
import io.dcbstore.testkit.EventStoreContract;

/** The contract suite against the PostgreSQL store. */
class PostgresEventStoreContractTest extends EventStoreContract {
    @Override
    protected EventStore createStore() {
        return StoreFixture.newStore(4, PostgresStoreConfig.defaults().withStreamFetchSize(100));
    }
}
