package io.dcbstore.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.testkit.TestDatabase;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional for the library too: handlers made without registries work on a class
 * path with no Micrometer jar. Everything is loaded in a class loader that hides Micrometer and
 * used through reflection (its types there are not this test's types).
 */
class HandlersWithoutMicrometerTest {
    @Test
    void commandsAndQueriesWorkWithNoMicrometerOnTheClassPath() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        URL[] withoutMicrometer = Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.contains("micrometer"))
                .map(HandlersWithoutMicrometerTest::url)
                .toArray(URL[]::new);
        String table = TestDatabase.uniqueName("nommlib");
        try (URLClassLoader loader = new URLClassLoader(withoutMicrometer, ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> loader.loadClass("io.micrometer.observation.ObservationRegistry"))
                    .isInstanceOf(ClassNotFoundException.class);
            // Frameworks reflect over the public classes: no signature may need a Micrometer type.
            for (String name :
                    new String[] {"io.dcbstore.library.LibraryCommands", "io.dcbstore.library.LibraryQueries"}) {
                assertThat(loader.loadClass(name).getMethods()).isNotEmpty();
            }
            Class<?> configType = loader.loadClass("io.dcbstore.postgres.PostgresStoreConfig");
            Object config = configType.getMethod("defaults").invoke(null);
            config = configType
                    .getMethod("withTables", String.class, String.class)
                    .invoke(config, table, table + "_snap");
            Class<?> storeType = loader.loadClass("io.dcbstore.postgres.PostgresEventStore");
            Class<?> eventStoreType = loader.loadClass("io.dcbstore.EventStore");
            try (AutoCloseable store = (AutoCloseable) storeType
                    .getMethod("create", DataSource.class, configType)
                    .invoke(null, dataSource(loader), config)) {
                Class<?> readerIdType = loader.loadClass("io.dcbstore.library.ReaderId");
                Object readerId = readerIdType.getMethod("of", String.class).invoke(null, "r1");
                Object command = loader.loadClass("io.dcbstore.library.RegisterReader")
                        .getConstructor(readerIdType, String.class)
                        .newInstance(readerId, "Ann");
                Class<?> commandsType = loader.loadClass("io.dcbstore.library.LibraryCommands");
                Object commands =
                        commandsType.getMethod("create", eventStoreType).invoke(null, store);
                Object outcome = commandsType
                        .getMethod("handle", loader.loadClass("io.dcbstore.library.LibraryCommand"))
                        .invoke(commands, command);
                assertThat(outcome.getClass().getMethod("status").invoke(outcome))
                        .hasToString("SUCCESS");

                Class<?> queriesType = loader.loadClass("io.dcbstore.library.LibraryQueries");
                Object queries = queriesType.getMethod("create", eventStoreType).invoke(null, store);
                Object readers = queriesType.getMethod("registeredReaders").invoke(queries);
                assertThat((List<?>) readers.getClass().getMethod("readers").invoke(readers))
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
