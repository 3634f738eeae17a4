package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench-growth} at one small size on the embedded primary and replica, end to end. */
class GrowthBenchmarkIT {

    @Test
    void oneSizeIsSeededMeasuredInBothModesAndReportedWithEveryFigure(@TempDir Path directory) throws Exception {
        StringWriter errors = new StringWriter();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream standardOut = System.out;
        int exitCode;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exitCode = Main.commandLine()
                    .setErr(new PrintWriter(errors))
                    .execute(
                            "bench-growth",
                            "--sizes",
                            "20K",
                            "--rate",
                            "300",
                            "--duration",
                            "1s",
                            "--warmup",
                            "0s",
                            "--max-p99",
                            "2s",
                            "--probe-seconds",
                            "1",
                            "--probe-rounds",
                            "1",
                            "--find-max-repeats",
                            "2",
                            "--report-dir",
                            directory.toString());
        } finally {
            System.setOut(standardOut);
        }
        String output = captured.toString(StandardCharsets.UTF_8);

        assertThat(exitCode).as(output + errors).isZero();
        assertThat(output).contains("seeded 20,000 events (4,000 books, 1,000 readers");
        JsonNode row = new ObjectMapper()
                .readTree(Files.readString(directory.resolve("growth.json")))
                .path("rows")
                .get(0);
        assertThat(row.path("events").asLong()).isEqualTo(20_000);
        assertThat(row.path("table_bytes").asLong()).isGreaterThan(20_000L * 100);
        assertThat(row.path("index_bytes").asLong()).isPositive();
        assertThat(row.path("indexes").size()).isGreaterThanOrEqualTo(2);
        assertThat(row.path("disk_bytes").asLong())
                .isGreaterThan(row.path("table_bytes").asLong());
        assertThat(row.path("append_per_second").asDouble()).isPositive();
        assertThat(row.path("query_per_second").asDouble()).isPositive();
        assertThat(row.path("append_p99_ms").asDouble())
                .isGreaterThanOrEqualTo(row.path("append_p50_ms").asDouble());
        // Each find-max sustained some step (1-s steps on a busy machine: the rate itself is not the point).
        assertThat(row.path("find_max_reading").asDouble()).isPositive();
        assertThat(row.path("find_max_eventual").asDouble()).isPositive();
        assertThat(row.path("hit_ratio_primary").asDouble()).isBetween(0.0, 1.0);
        assertThat(row.path("hit_ratio_replica").asDouble()).isBetween(0.0, 1.0);
        assertThat(row.path("heap_after_full_gc_bytes").asLong()).isPositive();
        // The find-maxes and the probes appended to the seeded log.
        assertThat(row.path("events_at_end").asLong()).isGreaterThan(20_000);
        assertThat(row.path("frozen_xid_age_at_end").asLong())
                .isGreaterThan(row.path("frozen_xid_age_after_seed").asLong());
        // Measured (pg_visibility installs on the embedded server): -1 would mean unknown. Seeding
        // freezes every page, but the runs' appends land in the free space of old pages too and
        // clear their all-frozen bits, so at this size the share may be anything down to 0.
        assertThat(row.path("all_frozen_share_at_end").asDouble()).isBetween(0.0, 1.0);
        // Each mode ran twice, and the figure is the upper of the two runs (the median of an even count).
        for (String mode : List.of("reading", "eventual")) {
            JsonNode runs = row.path("find_max_" + mode + "_runs");
            assertThat(runs.size()).as(mode).isEqualTo(2);
            assertThat(row.path("find_max_" + mode).asDouble())
                    .as(mode)
                    .isEqualTo(Math.max(runs.get(0).asDouble(), runs.get(1).asDouble()));
        }
        assertThat(output).contains("### find-max, every query reads (run 2 of 2)");
        // Each find-max wrote its own full report.
        for (int run = 1; run <= 2; run++) {
            assertThat(directory.resolve("20K-every-query-reads-" + run).resolve("report.json"))
                    .exists();
            assertThat(directory.resolve("20K-max-staleness-100ms-" + run).resolve("report.json"))
                    .exists();
        }
        assertThat(directory.resolve("growth.html")).exists();
        assertThat(Files.readString(directory.resolve("growth.md"))).contains("| what | 20K |");
    }
}
