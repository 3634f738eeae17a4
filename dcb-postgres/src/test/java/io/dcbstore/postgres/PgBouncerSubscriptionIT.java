package io.dcbstore.postgres;

import io.dcbstore.EventStore;
import io.dcbstore.testkit.SubscriptionContract;

/** The Subscription suite through PgBouncer in transaction mode ({@link PgBouncerFixture}). */
class PgBouncerSubscriptionIT extends SubscriptionContract {
    @Override
    protected EventStore createStore() {
        return PgBouncerFixture.newStore(12, PostgresStoreConfig.defaults());
    }
}
