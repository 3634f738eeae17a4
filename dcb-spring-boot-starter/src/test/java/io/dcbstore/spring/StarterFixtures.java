package io.dcbstore.spring;

import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.testkit.TestDatabase;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The context runner and properties the starter's tests share; each test gets tables of its own. */
final class StarterFixtures {
    private StarterFixtures() {}

    /** @return a runner with the starter's auto-configurations and nothing else */
    static ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(DcbAutoConfiguration.class, DcbHealthContributorAutoConfiguration.class));
    }

    /** @return properties that point the store at the shared test database, on fresh tables */
    static String[] testDatabaseProperties() {
        TestDatabase database = TestDatabase.get();
        String table = TestDatabase.uniqueName("spring");
        return new String[] {
            "dcb.primary.url=" + database.jdbcUrl(),
            "dcb.primary.user=" + database.user(),
            "dcb.primary.password=" + database.password(),
            "dcb.pool-size=2",
            "dcb.store.events-table=" + table,
            "dcb.store.snapshots-table=" + table + "_snap"
        };
    }

    /** Appends one event and reads it back: the store works end to end. */
    static long appendAndCount(EventStore store) {
        String type = "SpringStarterTested";
        String id = TestDatabase.uniqueName("id");
        Filter filter = Filter.anyOf(FilterItem.types(type));
        store.append(Event.of(type, Map.of("Id", id)));
        return store.query(filter).events().size();
    }
}
