package io.dcbstore.simulator.bench;

import static io.dcbstore.simulator.bench.BenchmarkOutput.line;

import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.simulator.metrics.Tracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * What metrics and tracing cost: the same appends and queries through a store without registries,
 * one with a Micrometer meter registry, and one with that and an observation registry that makes
 * OpenTelemetry spans ({@link Tracing}: the spans go through a batch processor to an exporter that
 * drops them, so the cost measured is the store's and the tracer's, not a network's). The three stores share the pool, the table and the machine; the order of the
 * variants rotates from round to round.
 */
final class TelemetryBenchmark {
    private TelemetryBenchmark() {}

    /**
     * @param pool the seeded database's pool
     * @param writers append threads
     * @param readers query threads
     * @param seconds seconds per run
     * @param rounds rounds (each runs every variant)
     * @param append an append on a given store
     * @param query a query on a given store
     * @throws Exception when a run fails
     */
    static void run(
            DataSource pool,
            int writers,
            int readers,
            int seconds,
            int rounds,
            Function<PostgresEventStore, LoadLoop.Action> append,
            Function<PostgresEventStore, LoadLoop.Action> query)
            throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Tracing tracing = Tracing.dropping();
        ObservationRegistry observations = tracing.observations();
        try (PostgresEventStore plain = PostgresEventStore.create(pool, PostgresStoreConfig.defaults());
                PostgresEventStore metered =
                        PostgresEventStore.builder(pool).meterRegistry(meters).build();
                PostgresEventStore traced = PostgresEventStore.builder(pool)
                        .meterRegistry(meters)
                        .observationRegistry(observations)
                        .build()) {
            List<Variant> variants = List.of(
                    new Variant("off", plain), new Variant("metrics", metered), new Variant("metrics+tracing", traced));
            line("");
            line(
                    "## Metrics and tracing: off, metrics only, metrics and tracing; %d writers append, %d threads query,"
                            + " %d s per run, the order of the variants rotating from round to round",
                    writers, readers, seconds);
            line("| round | variant | appends/s | append p99 ms | queries/s | query p99 ms |");
            line("|---|---|---|---|---|---|");
            // Warm every variant up first: the first run after seeding is slower, whichever it is.
            for (Variant variant : variants) {
                LoadLoop.run(writers, 5, append.apply(variant.store()));
                LoadLoop.run(readers, 5, query.apply(variant.store()));
            }
            Map<String, List<Double>> appendRates = new LinkedHashMap<>();
            Map<String, List<Double>> queryRates = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                for (int k = 0; k < variants.size(); k++) {
                    Variant variant = variants.get((k + round - 1) % variants.size());
                    LoadLoop.Result appends = LoadLoop.run(writers, seconds, append.apply(variant.store()));
                    LoadLoop.Result queries = LoadLoop.run(readers, seconds, query.apply(variant.store()));
                    appendRates
                            .computeIfAbsent(variant.name(), name -> new ArrayList<>())
                            .add(appends.perSecond());
                    queryRates
                            .computeIfAbsent(variant.name(), name -> new ArrayList<>())
                            .add(queries.perSecond());
                    line(
                            "| %d | %s | %,.0f | %.2f | %,.0f | %.2f |",
                            round,
                            variant.name(),
                            appends.perSecond(),
                            p99(appends),
                            queries.perSecond(),
                            p99(queries));
                }
            }
            double appendsOff = Medians.of(appendRates.get("off"));
            double queriesOff = Medians.of(queryRates.get("off"));
            for (Variant variant : variants.subList(1, variants.size())) {
                line(
                        "%s / off, medians: appends %.3f, queries %.3f.",
                        variant.name(),
                        Medians.of(appendRates.get(variant.name())) / appendsOff,
                        Medians.of(queryRates.get(variant.name())) / queriesOff);
            }
        } finally {
            tracing.close();
            meters.close();
        }
    }

    private record Variant(String name, PostgresEventStore store) {}

    private static double p99(LoadLoop.Result result) {
        return result.latencyMicros().getValueAtPercentile(99) / 1000.0;
    }
}
