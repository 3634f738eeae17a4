package io.dcbstore.postgres;

import io.dcbstore.EventStore;
import io.dcbstore.testkit.IdempotentAppendContract;

/** The idempotent-append suite against the PostgreSQL store. */
class PostgresIdempotentAppendTest extends IdempotentAppendContract {
    @Override
    protected EventStore createStore() {
        return StoreFixture.newStore(2, PostgresStoreConfig.defaults());
    }
}
