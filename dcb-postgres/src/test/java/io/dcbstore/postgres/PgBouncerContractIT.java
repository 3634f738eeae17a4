package io.dcbstore.postgres;

import io.dcbstore.EventStore;
import io.dcbstore.testkit.EventStoreContract;

/** The EventStore suite through PgBouncer in transaction mode ({@link PgBouncerFixture}). */
class PgBouncerContractIT extends EventStoreContract {
    @Override
    protected EventStore createStore() {
        return PgBouncerFixture.newStore(4, PostgresStoreConfig.defaults().withStreamFetchSize(100));
    }
}
