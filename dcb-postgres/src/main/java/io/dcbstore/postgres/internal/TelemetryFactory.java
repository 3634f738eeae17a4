package io.dcbstore.postgres.internal;

import io.dcbstore.ConfigurationException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Makes the Micrometer telemetry. A class of its own so that a store without registries never
 * loads a Micrometer class: Micrometer is an optional dependency.
 */
public final class TelemetryFactory {
    private static final Pattern HOST_AND_PORT = Pattern.compile("^jdbc:postgresql://([^/,?]+)");

    private TelemetryFactory() {}

    /**
     * @param meters a Micrometer {@code MeterRegistry}, or null for none
     * @param observations a Micrometer {@code ObservationRegistry}, or null for none
     * @param nodes every node's data source by node name, to name the servers in spans
     * @return the telemetry
     */
    public static Telemetry micrometer(Object meters, Object observations, Map<String, DataSource> nodes) {
        if (meters != null && !(meters instanceof MeterRegistry)) {
            throw new ConfigurationException(
                    "the meter registry must be a Micrometer MeterRegistry, got " + meters.getClass());
        }
        if (observations != null && !(observations instanceof ObservationRegistry)) {
            throw new ConfigurationException("the observation registry must be a Micrometer ObservationRegistry, got "
                    + observations.getClass());
        }
        Map<String, String> addresses = new LinkedHashMap<>();
        nodes.forEach((name, dataSource) -> addresses.put(name, addressOf(dataSource)));
        return new MicrometerTelemetry((MeterRegistry) meters, (ObservationRegistry) observations, addresses);
    }

    /** @return the first {@code host:port} of the node's JDBC URL, or {@code unknown} */
    private static String addressOf(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            Matcher matcher = HOST_AND_PORT.matcher(connection.getMetaData().getURL());
            return matcher.find() ? matcher.group(1) : "unknown";
        } catch (SQLException | RuntimeException e) {
            return "unknown";
        }
    }
}
