package io.dcbstore.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.InvalidInputException;
import io.dcbstore.postgres.internal.JdbcUrls;
import io.dcbstore.postgres.internal.ReadRouter;
import io.dcbstore.postgres.internal.SettingText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Connects a {@link PostgresEventStore} with its own HikariCP pools, closed with the store: the
 * primary's URL and credentials, any streaming replicas, the pool size and the configuration.
 * Obtain one with {@link PostgresEventStore#connectTo(String)} or {@link #fromProperties(Map, String)};
 * for pools of your own, use {@link PostgresEventStore#builder(javax.sql.DataSource)}.
 *
 * <pre>{@code
 * try (PostgresEventStore store = PostgresEventStore.connectTo("jdbc:postgresql://db/app")
 *         .credentials("app", secret)
 *         .replica("jdbc:postgresql://replica/app")
 *         .config(PostgresStoreConfig.defaults().withDefaultTimeout(Duration.ofSeconds(2)))
 *         .connect()) { ... }
 * }</pre>
 *
 * Not thread-safe; use it to connect once.
 */
public final class PostgresStoreConnector {
    private static final Pattern REPLICA_URL = Pattern.compile("replicas\\.([A-Za-z0-9_-]+)\\.url");
    private static final List<String> OWN_KEYS = List.of("url", "user", "password", "poolSize", "pool-size");

    private final String primaryUrl;
    private String user = "";
    private String password = "";
    private final Map<String, String> replicaUrls = new LinkedHashMap<>();
    private int poolSize = 10;
    private PostgresStoreConfig config = PostgresStoreConfig.defaults();
    private @Nullable Object meters;
    private @Nullable Object observations;

    PostgresStoreConnector(String primaryUrl) {
        String problem = urlProblem("the primary's URL", primaryUrl);
        if (problem != null) {
            throw new InvalidInputException(problem);
        }
        this.primaryUrl = primaryUrl.trim();
    }

    /** @return what is wrong with a URL (its secrets masked), or null */
    private static @Nullable String urlProblem(String what, @Nullable String url) {
        if (url == null || !url.trim().startsWith("jdbc:postgresql:")) {
            return what + " must start with jdbc:postgresql:, got " + JdbcUrls.redacted(url);
        }
        return null;
    }

    /**
     * Reads everything from properties under a prefix ({@code dcb.} below): {@code dcb.url},
     * {@code dcb.user}, {@code dcb.password}, {@code dcb.pool-size}, {@code dcb.replicas.<name>.url}
     * (repeatable), and every setting of {@link PostgresStoreConfig#fromProperties}. A key under the
     * prefix that is none of these is refused, so that a misspelt setting does not pass unnoticed
     * (so the prefix must not be empty; a missing final dot is added). URLs are trimmed, and their
     * secrets are masked in every message.
     *
     * @param properties the properties
     * @param prefix what every key starts with, for example {@code dcb.}
     * @return a connector; meter and observation registries can still be added
     * @throws InvalidInputException naming every missing, unknown or invalid property
     */
    public static PostgresStoreConnector fromProperties(Map<String, String> properties, String prefix) {
        if (properties == null || prefix == null || prefix.isEmpty()) {
            throw new InvalidInputException("properties and a non-empty prefix (such as dcb.) are needed:"
                    + " every key under the prefix must be one of the store's");
        }
        String dotted = prefix.endsWith(".") ? prefix : prefix + ".";
        List<String> problems = new ArrayList<>();
        Set<String> known = new HashSet<>();
        for (PostgresStoreConfig.Setting setting : PostgresStoreConfig.Setting.values()) {
            known.add(dotted + setting.key());
            known.add(dotted + setting.kebabKey());
        }
        OWN_KEYS.forEach(key -> known.add(dotted + key));
        Map<String, String> replicas = new LinkedHashMap<>();
        for (Map.Entry<String, String> property : properties.entrySet()) {
            String key = property.getKey();
            if (!key.startsWith(dotted) || known.contains(key)) {
                continue;
            }
            Matcher replica = REPLICA_URL.matcher(key.substring(dotted.length()));
            if (!replica.matches()) {
                problems.add("unknown property " + key + "; known: " + dotted + "url, user, password, pool-size,"
                        + " replicas.<name>.url, and the store settings " + settingNames());
            } else if (replica.group(1).equals(ReadRouter.PRIMARY)) {
                problems.add(key + ": a replica cannot be named " + ReadRouter.PRIMARY);
            } else {
                String urlProblem = urlProblem(key, property.getValue());
                if (urlProblem != null) {
                    problems.add(urlProblem);
                }
                replicas.put(replica.group(1), property.getValue());
            }
        }
        String url = properties.get(dotted + "url");
        if (url == null) {
            problems.add(dotted + "url is missing (the primary's jdbc:postgresql: URL)");
        } else if (urlProblem(dotted + "url", url) != null) {
            problems.add(urlProblem(dotted + "url", url));
        }
        int pool = poolSize(properties, dotted, problems);
        PostgresStoreConfig config = null;
        try {
            config = PostgresStoreConfig.fromProperties(properties, dotted);
        } catch (InvalidInputException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        PostgresStoreConnector connector = new PostgresStoreConnector(url)
                .credentials(
                        properties.getOrDefault(dotted + "user", "").trim(),
                        properties.getOrDefault(dotted + "password", ""))
                .poolSize(pool)
                .config(config);
        replicas.forEach(connector::replica);
        return connector;
    }

    private static int poolSize(Map<String, String> properties, String prefix, List<String> problems) {
        String name = ConfigProperties.writtenName(properties, prefix + "poolSize", prefix + "pool-size", problems);
        String text = name == null ? null : properties.get(name);
        if (text == null) {
            return 10;
        }
        try {
            int size = SettingText.integer(text);
            if (size >= 1) {
                return size;
            }
            problems.add(name + ": must be at least 1, got " + size);
        } catch (IllegalArgumentException e) {
            problems.add(name + ": " + e.getMessage());
        }
        return 10;
    }

    private static String settingNames() {
        List<String> names = new ArrayList<>();
        for (PostgresStoreConfig.Setting setting : PostgresStoreConfig.Setting.values()) {
            names.add(setting.kebabKey());
        }
        return String.join(", ", names);
    }

    /**
     * @param newUser the database user of every node
     * @param newPassword its password
     * @return this connector
     */
    public PostgresStoreConnector credentials(String newUser, String newPassword) {
        if (newUser == null || newPassword == null) {
            throw new InvalidInputException("user and password must not be null (empty for none)");
        }
        this.user = newUser;
        this.password = newPassword;
        return this;
    }

    /**
     * Adds a streaming replica named {@code replica-<n>} (n counts from 1).
     *
     * @param url the replica's {@code jdbc:postgresql:} URL
     * @return this connector
     */
    public PostgresStoreConnector replica(String url) {
        return replica("replica-" + (replicaUrls.size() + 1), url);
    }

    /**
     * @param name a unique name, shown in status and metrics
     * @param url the replica's {@code jdbc:postgresql:} URL
     * @return this connector
     */
    public PostgresStoreConnector replica(String name, String url) {
        if (name == null || name.isBlank() || name.equals(ReadRouter.PRIMARY) || replicaUrls.containsKey(name)) {
            throw new InvalidInputException("a replica needs a unique, non-blank name other than '" + ReadRouter.PRIMARY
                    + "', got '" + name + "'");
        }
        String problem = urlProblem("replica " + name + "'s URL", url);
        if (problem != null) {
            throw new InvalidInputException(problem);
        }
        replicaUrls.put(name, url.trim());
        return this;
    }

    /**
     * @param connections the largest number of connections per node; at least 1
     * @return this connector
     */
    public PostgresStoreConnector poolSize(int connections) {
        if (connections < 1) {
            throw new InvalidInputException("pool size must be at least 1, got " + connections);
        }
        this.poolSize = connections;
        return this;
    }

    /**
     * @param newConfig the store's configuration
     * @return this connector
     */
    public PostgresStoreConnector config(PostgresStoreConfig newConfig) {
        if (newConfig == null) {
            throw new InvalidInputException("config must not be null");
        }
        this.config = newConfig;
        return this;
    }

    /**
     * @param registry a Micrometer {@code MeterRegistry} for the store's and the pools' meters
     * @return this connector
     * @see PostgresEventStore.Builder#meterRegistry(Object)
     */
    public PostgresStoreConnector meterRegistry(Object registry) {
        if (registry == null) {
            throw new InvalidInputException("meter registry must not be null");
        }
        this.meters = registry;
        return this;
    }

    /**
     * @param registry a Micrometer {@code ObservationRegistry} for the store's observations
     * @return this connector
     * @see PostgresEventStore.Builder#observationRegistry(Object)
     */
    public PostgresStoreConnector observationRegistry(Object registry) {
        if (registry == null) {
            throw new InvalidInputException("observation registry must not be null");
        }
        this.observations = registry;
        return this;
    }

    /**
     * Opens the pools and the store; on failure closes every pool opened so far.
     *
     * @return the store, which closes its pools when it is closed
     * @throws io.dcbstore.DatabaseException if a node cannot be reached or refuses the credentials
     * @throws io.dcbstore.ConfigurationException if a replica is a primary or the primary a standby
     */
    public PostgresEventStore connect() {
        List<AutoCloseable> pools = new ArrayList<>();
        try {
            HikariDataSource primaryPool =
                    PostgresPools.newPool("dcb-primary", primaryUrl, user, password, poolSize, meters);
            pools.add(primaryPool);
            PostgresEventStore.Builder builder =
                    PostgresEventStore.builder(primaryPool).config(config).closeWithStore(primaryPool);
            for (Map.Entry<String, String> replica : replicaUrls.entrySet()) {
                HikariDataSource replicaPool = PostgresPools.newPool(
                        "dcb-" + replica.getKey(), replica.getValue(), user, password, poolSize, meters);
                pools.add(replicaPool);
                builder.replica(replica.getKey(), replicaPool).closeWithStore(replicaPool);
            }
            if (meters != null) {
                builder.meterRegistry(meters);
            }
            if (observations != null) {
                builder.observationRegistry(observations);
            }
            return builder.build();
        } catch (RuntimeException e) {
            for (AutoCloseable pool : pools) {
                try {
                    pool.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }
}
