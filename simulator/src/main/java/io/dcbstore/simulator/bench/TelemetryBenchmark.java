package io.dcbstore.simulator.bench;

import static io.dcbstore.simulator.bench.BenchmarkOutput.line;

import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.simulator.metrics.Tracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * What metrics and tracing cost: the same appends and queries through a store without registries
 * and through one with a Micrometer meter registry and an observation registry that makes
 * OpenTelemetry spans ({@link Tracing}: the spans go through a batch processor to an exporter that
 * drops them, so the cost measured is the store's and the tracer's, not a network's). Both stores share the pool, the table and the machine; rounds alternate.
 */
final class TelemetryBenchmark {
    private TelemetryBenchmark() {}

    /**
     * @param pool the seeded database's pool
     * @param writers append threads
     * @param readers query threads
     * @param seconds seconds per run
     * @param rounds rounds (each: off then on)
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
                PostgresEventStore observed = PostgresEventStore.builder(pool)
                        .meterRegistry(meters)
                        .observationRegistry(observations)
                        .build()) {
            line("");
            line(
                    "## Metrics and tracing on vs off: %d writers append, %d threads query, %d s per run, rounds alternate",
                    writers, readers, seconds);
            line("| round | appends/s off | on | p99 ms off | on | queries/s off | on | p99 ms off | on |");
            line("|---|---|---|---|---|---|---|---|---|");
            List<Double> appendRatios = new ArrayList<>();
            List<Double> queryRatios = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                LoadLoop.Result appendOff = LoadLoop.run(writers, seconds, append.apply(plain));
                LoadLoop.Result appendOn = LoadLoop.run(writers, seconds, append.apply(observed));
                LoadLoop.Result queryOff = LoadLoop.run(readers, seconds, query.apply(plain));
                LoadLoop.Result queryOn = LoadLoop.run(readers, seconds, query.apply(observed));
                appendRatios.add(appendOn.perSecond() / appendOff.perSecond());
                queryRatios.add(queryOn.perSecond() / queryOff.perSecond());
                line(
                        "| %d | %,.0f | %,.0f | %.2f | %.2f | %,.0f | %,.0f | %.2f | %.2f |",
                        round,
                        appendOff.perSecond(),
                        appendOn.perSecond(),
                        p99(appendOff),
                        p99(appendOn),
                        queryOff.perSecond(),
                        queryOn.perSecond(),
                        p99(queryOff),
                        p99(queryOn));
            }
            line(
                    "Throughput on/off, median of the rounds: appends %s, queries %s (%,d store calls recorded, each with its span).",
                    String.format(Locale.ROOT, "%.3f", median(appendRatios)),
                    String.format(Locale.ROOT, "%.3f", median(queryRatios)),
                    meters.get("dcb.store.operations").timers().stream()
                            .mapToLong(timer -> timer.count())
                            .sum());
        } finally {
            tracing.close();
            meters.close();
        }
    }

    private static double p99(LoadLoop.Result result) {
        return result.latencyMicros().getValueAtPercentile(99) / 1000.0;
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }
}
