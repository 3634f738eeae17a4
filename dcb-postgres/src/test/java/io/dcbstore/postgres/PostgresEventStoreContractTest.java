package io.dcbstore.postgres;

import io.dcbstore.EventStore;
import io.dcbstore.testkit.EventStoreContract;

/** The contract suite against the PostgreSQL store. */
class PostgresEventStoreContractTest extends EventStoreContract {
    private static final int STREAM_PAGE_SIZE = 100;

    @Override
    protected EventStore createStore() {
        return StoreFixture.newStore(4, PostgresStoreConfig.defaults().withStreamFetchSize(STREAM_PAGE_SIZE));
    }

    @Override
    protected int streamPageSize() {
        return STREAM_PAGE_SIZE;
    }
}
