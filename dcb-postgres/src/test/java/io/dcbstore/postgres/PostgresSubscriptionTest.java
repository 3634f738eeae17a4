package io.dcbstore.postgres;

import io.dcbstore.EventStore;
import io.dcbstore.testkit.SubscriptionContract;

/** The subscription suite against the PostgreSQL store. */
class PostgresSubscriptionTest extends SubscriptionContract {
    @Override
    protected EventStore createStore() {
        return StoreFixture.newStore(12, PostgresStoreConfig.defaults());
    }
}
