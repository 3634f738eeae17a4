package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.testkit.TestDatabase;
import java.io.File;
import java.lang.reflect.Array;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is an optional dependency: a store made without registries must work on a class
 * path that has no Micrometer at all. The store is loaded in a class loader that hides every
 * Micrometer jar, and used through reflection (its types there are not this test's types).
 */
class StoreWithoutMicrometerTest {
    @Test
    void aStoreWithoutRegistriesAppendsAndQueriesWithNoMicrometerOnTheClassPath() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        URL[] withoutMicrometer = Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.contains("micrometer"))
                .map(StoreWithoutMicrometerTest::url)
                .toArray(URL[]::new);
        String table = TestDatabase.uniqueName("nomm");
        try (URLClassLoader loader = new URLClassLoader(withoutMicrometer, ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> loader.loadClass("io.micrometer.core.instrument.MeterRegistry"))
                    .isInstanceOf(ClassNotFoundException.class);
            // Frameworks reflect over the public classes: no signature may need a Micrometer type.
            for (String name : new String[] {
                "io.dcbstore.postgres.PostgresEventStore",
                "io.dcbstore.postgres.PostgresEventStore$Builder",
                "io.dcbstore.postgres.PostgresPools"
            }) {
                assertThat(loader.loadClass(name).getMethods()).isNotEmpty();
            }
            Object dataSource = dataSource(loader);
            Class<?> configType = loader.loadClass("io.dcbstore.postgres.PostgresStoreConfig");
            Object config = configType.getMethod("defaults").invoke(null);
            config = configType
                    .getMethod("withTables", String.class, String.class)
                    .invoke(config, table, table + "_snap");
            Class<?> storeType = loader.loadClass("io.dcbstore.postgres.PostgresEventStore");
            try (AutoCloseable store = (AutoCloseable)
                    storeType.getMethod("create", DataSource.class, configType).invoke(null, dataSource, config)) {
                Class<?> eventStore = loader.loadClass("io.dcbstore.EventStore");
                Class<?> eventType = loader.loadClass("io.dcbstore.Event");
                Object events = Array.newInstance(eventType, 1);
                Array.set(
                        events,
                        0,
                        eventType
                                .getMethod("of", String.class, String.class)
                                .invoke(null, "Lent", "{\"BookID\":\"b1\"}"));
                eventStore.getMethod("append", events.getClass()).invoke(store, events);

                Class<?> itemType = loader.loadClass("io.dcbstore.FilterItem");
                Object items = Array.newInstance(itemType, 1);
                Array.set(items, 0, itemType.getMethod("types", String[].class).invoke(null, (Object)
                        new String[] {"Lent"}));
                Class<?> filterType = loader.loadClass("io.dcbstore.Filter");
                Object filter = filterType.getMethod("anyOf", items.getClass()).invoke(null, items);
                Object result = eventStore.getMethod("query", filterType).invoke(store, filter);
                assertThat((List<?>) result.getClass().getMethod("events").invoke(result))
                        .hasSize(1);
            }
        }
    }

    private static Object dataSource(ClassLoader loader) throws ReflectiveOperationException {
        Class<?> type = loader.loadClass("org.postgresql.ds.PGSimpleDataSource");
        Object dataSource = type.getConstructor().newInstance();
        type.getMethod("setURL", String.class)
                .invoke(dataSource, TestDatabase.get().jdbcUrl());
        type.getMethod("setUser", String.class)
                .invoke(dataSource, TestDatabase.get().user());
        type.getMethod("setPassword", String.class)
                .invoke(dataSource, TestDatabase.get().password());
        return dataSource;
    }

    private static URL url(String entry) {
        try {
            return Path.of(entry).toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(entry, e);
        }
    }
}
