package io.dcbstore.postgres;

import io.dcbstore.EventStore;
import io.dcbstore.testkit.IdempotentAppendContract;

/** The IdempotentAppend suite through PgBouncer in transaction mode ({@link PgBouncerFixture}). */
class PgBouncerIdempotentAppendIT extends IdempotentAppendContract {
    @Override
    protected EventStore createStore() {
        return PgBouncerFixture.newStore(4, PostgresStoreConfig.defaults());
    }
}
