package io.dcbstore.postgres;

import io.dcbstore.EventStore;
import io.dcbstore.testkit.EventStoreContract;

/** The EventStore suite through PgBouncer in transaction mode ({@link PgBouncerFixture}). */
class PgBouncerContractIT extends EventStoreContract {
    private static final int STREAM_PAGE_SIZE = 100;

    @Override
    protected EventStore createStore() {
        return PgBouncerFixture.newStore(4, PostgresStoreConfig.defaults().withStreamFetchSize(STREAM_PAGE_SIZE));
    }

    @Override
    protected int streamPageSize() {
        return STREAM_PAGE_SIZE;
    }
}
