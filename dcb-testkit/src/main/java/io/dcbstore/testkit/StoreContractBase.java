package io.dcbstore.testkit;

import io.dcbstore.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The common set-up of the contract suites: a fresh, empty store per test, closed after it. */
public abstract class StoreContractBase {
    /** The store under test; fresh and empty for each test. */
    protected EventStore store;

    /** @return a new, empty store; closed after the test */
    protected abstract EventStore createStore();

    @BeforeEach
    void openStore() {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }
}
