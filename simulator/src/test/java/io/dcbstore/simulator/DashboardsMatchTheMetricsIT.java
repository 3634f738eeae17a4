package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards cannot drift from the code: a short simulation serves its metrics, and every
 * metric name that an expression of a panel of our dashboards queries must be one the scrape
 * endpoint serves. (The PostgreSQL dashboard's {@code pg_*} names are postgres_exporter's;
 * ops/observability/check-dashboards.sh checks every expression against a real Prometheus.)
 */
class DashboardsMatchTheMetricsIT {
    private static final Path DASHBOARDS = Path.of("..", "ops", "observability", "grafana", "dashboards");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without)\\s*\\([^)]*\\)");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*\\}|\\[[^\\]]*\\]");
    private static final Pattern METRIC =
            Pattern.compile("\\b((?:dcb|library|simulator|hikaricp|jvm|process|system|pg)_[a-z0-9_]+)\\b");

    @Test
    void everyMetricADashboardQueriesIsServedByTheSimulator(@TempDir Path directory) throws Exception {
        int port = freePort();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.commandLine()
                .execute(
                        "--rate",
                        "150",
                        "--duration",
                        "8",
                        "--warmup",
                        "1",
                        "--books",
                        "300",
                        "--readers",
                        "60",
                        "--events",
                        "2000",
                        "--metrics-port",
                        Integer.toString(port),
                        "--report-dir",
                        directory.toString()));
        String scrape = "";
        while (!run.isDone()) {
            String latest = scrapeQuietly(port);
            // The pools' meters go when the run closes its pools: keep a scrape from while it ran.
            if (latest.contains("simulator_requests_total")
                    && latest.contains("library_queries_seconds_count")
                    && latest.contains("hikaricp_connections_active")) {
                scrape = latest;
            }
            Thread.sleep(500);
        }
        assertThat(run.get()).isZero();
        Set<String> served = sampleNames(scrape);
        assertThat(served).contains("dcb_store_operations_seconds_count", "hikaricp_connections_active");

        List<String> missing = new ArrayList<>();
        Set<String> checked = new TreeSet<>();
        for (Path dashboard : dashboards()) {
            for (JsonNode panel :
                    new ObjectMapper().readTree(dashboard.toFile()).get("panels")) {
                for (JsonNode target : panel.get("targets")) {
                    for (String name : metricNames(target.get("expr").asText())) {
                        if (name.startsWith("pg_")) {
                            continue;
                        }
                        checked.add(name);
                        if (!served.contains(name)) {
                            missing.add(dashboard.getFileName() + " / "
                                    + panel.get("title").asText() + ": " + name);
                        }
                    }
                }
            }
        }
        assertThat(checked).hasSizeGreaterThan(30);
        assertThat(missing)
                .as("metrics the dashboards query but the code does not serve")
                .isEmpty();
    }

    /** @return the metric names an expression queries (label names and ranges removed first) */
    static Set<String> metricNames(String expression) {
        String stripped =
                MATCHERS.matcher(GROUPING.matcher(expression).replaceAll(" ")).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(stripped);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static Set<String> sampleNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            List<Path> found = files.filter(path -> path.toString().endsWith(".json"))
                    .sorted()
                    .toList();
            assertThat(found).hasSize(4);
            return found;
        }
    }

    private static String scrapeQuietly(int port) {
        try (InputStream in =
                URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
