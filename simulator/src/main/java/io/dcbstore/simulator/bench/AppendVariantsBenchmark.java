package io.dcbstore.simulator.bench;

import static io.dcbstore.simulator.bench.BenchmarkOutput.line;

import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import javax.sql.DataSource;

/**
 * What idempotent appends and notifications cost the append: the same conditional appends through
 * a store that sends no notifications and gives its events no ids, one that notifies other
 * processes' subscriptions at the default interval, one that notifies every 5 ms, and one that
 * also gives every event an id (the unique index of ids then grows with every append). The stores share the pool, the table and the
 * machine; the order of the variants rotates from round to round.
 */
final class AppendVariantsBenchmark {
    private AppendVariantsBenchmark() {}

    /**
     * @param pool the seeded database's pool
     * @param writers append threads
     * @param seconds seconds per run
     * @param rounds rounds (each runs every variant)
     * @param append an append on a given store, with event ids or without
     * @throws Exception when a run fails
     */
    static void run(
            DataSource pool,
            int writers,
            int seconds,
            int rounds,
            BiFunction<PostgresEventStore, Boolean, LoadLoop.Action> append)
            throws Exception {
        PostgresStoreConfig defaults = PostgresStoreConfig.defaults();
        try (PostgresEventStore silent = PostgresEventStore.create(pool, defaults.withNotifyInterval(Duration.ZERO));
                PostgresEventStore notifying = PostgresEventStore.create(pool, defaults);
                PostgresEventStore eager =
                        PostgresEventStore.create(pool, defaults.withNotifyInterval(Duration.ofMillis(5)))) {
            List<Variant> variants = List.of(
                    new Variant("no ids, no notifications", silent, false),
                    new Variant(
                            "no ids, notifications every "
                                    + defaults.notifyInterval().toMillis() + " ms (default)",
                            notifying,
                            false),
                    new Variant("no ids, notifications every 5 ms", eager, false),
                    new Variant("ids, notifications (default)", notifying, true));
            line("");
            line(
                    "## Appends without and with notifications and event ids; %d writers, %d s per run,"
                            + " the order of the variants rotating from round to round",
                    writers, seconds);
            line("| round | variant | appends/s | p50 / p99 / p99.9 ms |");
            line("|---|---|---|---|");
            for (Variant variant : variants) {
                LoadLoop.run(writers, 5, append.apply(variant.store(), variant.ids()));
            }
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                for (int k = 0; k < variants.size(); k++) {
                    Variant variant = variants.get((k + round - 1) % variants.size());
                    LoadLoop.Result result =
                            LoadLoop.run(writers, seconds, append.apply(variant.store(), variant.ids()));
                    rates.computeIfAbsent(variant.name(), name -> new ArrayList<>())
                            .add(result.perSecond());
                    line(
                            "| %d | %s | %,.0f | %s |",
                            round,
                            variant.name(),
                            result.perSecond(),
                            StoreBenchmark.percentiles(result.latencyMicros()));
                }
            }
            double base = Medians.of(rates.get(variants.get(0).name()));
            for (Variant variant : variants) {
                double rate = Medians.of(rates.get(variant.name()));
                line(
                        "%s: median %,.0f appends/s, %.3f of no ids, no notifications.",
                        variant.name(), rate, rate / base);
            }
        }
    }

    private record Variant(String name, PostgresEventStore store, boolean ids) {}
}
