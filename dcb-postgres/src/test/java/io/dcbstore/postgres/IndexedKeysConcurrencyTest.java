package io.dcbstore.postgres;

import io.dcbstore.EventStore;
import io.dcbstore.testkit.ConcurrencyContract;

/**
 * The concurrency suite against a store whose append checks find the events after the expected
 * position through indexed keys: no conflicting append may slip through the narrower plan.
 */
class IndexedKeysConcurrencyTest extends ConcurrencyContract {
    @Override
    protected EventStore createStore() {
        return StoreFixture.newStore(
                10, PostgresStoreConfig.defaults().withIndexedKeys("BookID", "ReaderID", "OwnerID", "ClaimID"));
    }
}
