package io.dcbstore.simulator.bench;

import static io.dcbstore.simulator.bench.BenchmarkOutput.line;

import io.dcbstore.Consistency;
import io.dcbstore.Event;
import io.dcbstore.EventSubscription;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.StoredEvent;
import io.dcbstore.SubscriptionOptions;
import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.cluster.EmbeddedStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How long an appended event takes to reach a live subscription: from the moment its append
 * returned to the moment {@link EventSubscription#next} returned it, for a subscription of the
 * appending store (woken at once), one of another store on the same database (woken by
 * {@code NOTIFY}), and one of another store reading the replica (woken by the same notification,
 * then reading once the replica has replayed the event, else at its poll interval). Appends run at
 * a fixed rate on an embedded primary + streaming replica.
 */
@Command(
        name = "bench-subscriptions",
        mixinStandardHelpOptions = true,
        description = "Benchmark the delivery lag of live subscriptions: same store, another store, a replica.")
public final class SubscriptionBenchmark implements Callable<Integer> {
    private static final Filter TICKS = Filter.anyOf(FilterItem.types("Tick"));

    @Option(names = "--rate", defaultValue = "500", description = "appends per second (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--duration", defaultValue = "20", description = "seconds per run (default ${DEFAULT-VALUE})")
    int duration;

    @Option(names = "--rounds", defaultValue = "3", description = "rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--replica-poll-ms",
            defaultValue = "20",
            description = "poll interval of the replica's subscription, ms (default ${DEFAULT-VALUE})")
    int replicaPollMillis;

    private final Map<Long, Long> appendedAt = new ConcurrentHashMap<>();

    @Override
    public Integer call() throws Exception {
        ConnectedStore.Options pools = ConnectedStore.Options.of("bench", 6, 4);
        try (EmbeddedStore embedded =
                        EmbeddedStore.withReplica(ServerSettings.primary("1GB"), ServerSettings.replica("1GB"), pools);
                PostgresEventStore other = PostgresEventStore.builder(
                                embedded.connected().primaryPool())
                        .replica("replica-1", embedded.connected().replicaPool())
                        .config(PostgresStoreConfig.defaults())
                        .build()) {
            PostgresEventStore appending = embedded.connected().store();
            embedded.cluster().awaitStreaming(Duration.ofSeconds(60));
            line("# Subscription benchmark, %s", Instant.now());
            line(
                    "%d appends/s from one thread on the primary, %d s per run; embedded primary + streaming replica,"
                            + " durable settings; lag from the append's return to next()'s.",
                    rate, duration);
            line("");
            line("| round | subscriber | events | lag p50 / p99 / max ms |");
            line("|---|---|---|---|");
            for (int round = 1; round <= rounds; round++) {
                measure(round, appending, other);
            }
        }
        return 0;
    }

    private void measure(int round, PostgresEventStore appending, PostgresEventStore other) throws Exception {
        long start = appending.query(TICKS).maxSequenceNumber();
        List<Subscriber> subscribers = List.of(
                new Subscriber("same store, primary", appending.subscribe(TICKS, start)),
                new Subscriber("another store, primary (NOTIFY)", other.subscribe(TICKS, start)),
                new Subscriber(
                        "another store, replica (poll " + replicaPollMillis + " ms)",
                        other.subscribe(
                                TICKS,
                                start,
                                SubscriptionOptions.DEFAULTS
                                        .withConsistency(Consistency.EVENTUAL)
                                        .withPollInterval(Duration.ofMillis(replicaPollMillis)))));
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (Subscriber subscriber : subscribers) {
            Thread thread = new Thread(() -> subscriber.follow(running), "bench-" + subscriber.name);
            thread.start();
            threads.add(thread);
        }
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        long until = next + Duration.ofSeconds(duration).toNanos();
        for (int i = 0; next < until; i++) {
            LockSupport.parkNanos(next - System.nanoTime());
            long sequence = appending.append(Event.of("Tick", Map.of("I", i))).lastSequenceNumber();
            appendedAt.put(sequence, System.nanoTime());
            next += interval;
        }
        Thread.sleep(2_000);
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        for (Subscriber subscriber : subscribers) {
            subscriber.subscription.close();
            Histogram lag = subscriber.lagMicros;
            line(
                    "| %d | %s | %,d | %.2f / %.2f / %.2f |",
                    round,
                    subscriber.name,
                    lag.getTotalCount(),
                    lag.getValueAtPercentile(50) / 1000.0,
                    lag.getValueAtPercentile(99) / 1000.0,
                    lag.getMaxValue() / 1000.0);
        }
        appendedAt.clear();
    }

    /** One subscription and the lags it saw. */
    private final class Subscriber {
        final String name;
        final EventSubscription subscription;
        final Histogram lagMicros = new Histogram(3);

        Subscriber(String name, EventSubscription subscription) {
            this.name = name;
            this.subscription = subscription;
        }

        void follow(AtomicBoolean running) {
            while (running.get()) {
                StoredEvent event = subscription.next(Duration.ofMillis(50));
                if (event == null) {
                    continue;
                }
                long now = System.nanoTime();
                Long appended = appendedAt.get(event.sequenceNumber());
                // The subscriber may see an event before its append returned: a lag of 0.
                lagMicros.recordValue(appended == null ? 0 : Math.max(0, (now - appended) / 1000));
            }
        }
    }
}
