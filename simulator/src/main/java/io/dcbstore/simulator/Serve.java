package io.dcbstore.simulator;

import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.cluster.EmbeddedStore;
import io.dcbstore.simulator.seed.LibrarySeeder;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts a tuned embedded primary with the schema and a seeded library, prints how to connect, and waits. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Start a tuned embedded PostgreSQL with a seeded library and wait (Ctrl-C stops it).")
final class Serve implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "1000000", description = "events to seed (default ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--books", defaultValue = "200000", description = "book copies (default ${DEFAULT-VALUE})")
    long books;

    @Option(names = "--readers", defaultValue = "50000", description = "readers (default ${DEFAULT-VALUE})")
    long readers;

    @Override
    public Integer call() throws Exception {
        try (EmbeddedStore embedded =
                EmbeddedStore.primaryOnly(ServerSettings.primary("1GB"), ConnectedStore.Options.of("serve", 2))) {
            embedded.connected().seed(LibrarySeeder.Plan.ofTotal(events, books, readers), written -> {});
            System.out.printf(
                    "ready: psql -h 127.0.0.1 -p %d -U postgres postgres%n",
                    embedded.cluster().primary().port());
            System.out.flush();
            new CountDownLatch(1).await();
        }
        return 0;
    }
}
