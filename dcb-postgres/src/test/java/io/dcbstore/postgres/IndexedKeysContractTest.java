package io.dcbstore.postgres;

import io.dcbstore.EventStore;
import io.dcbstore.testkit.EventStoreContract;

/**
 * The contract suite against a store whose statements also find events through indexed keys:
 * the keys its filters name, string and other values alike, so the extra key conditions must
 * select exactly what the containment selects.
 */
class IndexedKeysContractTest extends EventStoreContract {
    private static final int STREAM_PAGE_SIZE = 100;

    @Override
    protected EventStore createStore() {
        return StoreFixture.newStore(
                4,
                PostgresStoreConfig.defaults()
                        .withStreamFetchSize(STREAM_PAGE_SIZE)
                        .withIndexedKeys("BookID", "ReaderID", "Part", "k", "K", "Count", "Flag", "Batch"));
    }

    @Override
    protected int streamPageSize() {
        return STREAM_PAGE_SIZE;
    }
}
