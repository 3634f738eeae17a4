package io.dcbstore.simulator;

import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.simulator.load.Mix;
import io.dcbstore.simulator.load.RequestKind;
import io.dcbstore.simulator.report.EnvironmentReport;
import io.dcbstore.simulator.report.MixReport;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The machine and the settings of a run, for its report. */
final class Environment {
    private Environment() {}

    /**
     * @param config the simulation's settings
     * @param storeConfig the store's
     * @return the environment section of the report, finished now
     */
    static EnvironmentReport describe(SimulationConfig config, PostgresStoreConfig storeConfig) {
        String cluster = config.primaryUrl() == null
                ? "embedded primary + 1 streaming replica (ServerSettings.primary/replica)"
                : "external: " + config.primaryUrl() + (config.replicaUrl() == null ? "" : " + " + config.replicaUrl());
        return new EnvironmentReport(
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                cluster,
                config.workers(),
                config.poolSize(),
                config.timeout().toMillis(),
                config.queuePolicy().name().toLowerCase(Locale.ROOT),
                config.maxStaleness().toMillis(),
                config.seed(),
                config.books(),
                config.readers(),
                config.events(),
                mix(config.mix()),
                storeConfig.defaultTimeout().toMillis(),
                Instant.now().toString(),
                config.maxP99().toMillis());
    }

    /**
     * @param mix the scenario mix
     * @return it for the report, the weights by operation name in the operations' order
     */
    static MixReport mix(Mix mix) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (RequestKind operation : RequestKind.values()) {
            weights.put(operation.key(), mix.weights().getOrDefault(operation, 0));
        }
        return new MixReport(weights, mix.contention(), mix.hotBooks(), mix.repeats(), mix.failures());
    }
}
