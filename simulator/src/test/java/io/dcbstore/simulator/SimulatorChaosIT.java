package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcbstore.library.BookId;
import io.dcbstore.library.EventMetadata;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEventCodec;
import io.dcbstore.library.ReaderId;
import io.dcbstore.simulator.SimulatorEndToEndIT.Run;
import io.dcbstore.simulator.cluster.ConnectedStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short {@code --chaos} runs of the real simulator: one whose faults break nothing (exit 0), and
 * two whose log is broken after the load through {@link Main#beforeChecks}, the test seam (exit 1).
 */
class SimulatorChaosIT {
    /** The append audit's line, when it found a problem. */
    private static final Pattern AUDIT_VIOLATION =
            Pattern.compile("acknowledged appends lost: ([\\d,]+); events doubled: ([\\d,]+) \\(VIOLATION\\)");

    /** How many of the log's newest events the lossy failover loses. */
    private static final int LOST_TAIL = 5;

    @Test
    void aChaosRunReportsBothOutagesWithTheirRecoveryAndLosesOrDoublesNoAcknowledgedAppend(@TempDir Path directory)
            throws Exception {
        int exitCode = Main.commandLine()
                .execute(
                        "--rate",
                        "100",
                        "--duration",
                        "16",
                        "--warmup",
                        "1",
                        "--books",
                        "300",
                        "--readers",
                        "60",
                        "--events",
                        "2000",
                        "--workers",
                        "8",
                        "--chaos-schedule",
                        "stop-replica@2s,start-replica@4s,kill-primary@8s,start-primary@9s",
                        "--report-dir",
                        directory.toString());

        assertThat(exitCode)
                .as("exit code: invariants hold, nothing acknowledged lost or doubled")
                .isZero();
        JsonNode report =
                new ObjectMapper().readTree(directory.resolve("report.json").toFile());
        JsonNode chaos = report.get("chaos");
        assertThat(report.get("cpu").get("note").asText())
                .as("the killed primary's CPU cannot be counted across its restart")
                .contains("primary restarted during the run");
        assertThat(chaos.get("schedule").asText()).startsWith("stop-replica@2s");
        JsonNode replica = chaos.get("outages").get(0);
        JsonNode primary = chaos.get("outages").get(1);
        assertThat(replica.get("fault").asText()).isEqualTo("stop-replica");
        assertThat(primary.get("fault").asText()).isEqualTo("kill-primary");
        for (JsonNode outage : chaos.get("outages")) {
            assertThat(outage.get("recovered_at_s").asDouble())
                    .as("%s recovered after its restart", outage.get("server"))
                    .isGreaterThanOrEqualTo(outage.get("up_at_s").asDouble());
            assertThat(outage.get("recovery_ms").asDouble()).isPositive();
        }
        assertThat(primary.get("requests_failed").asLong())
                .as("commands cannot succeed while the primary is down")
                .isPositive();
        JsonNode audit = chaos.get("append_audit");
        assertThat(audit.get("acknowledged_appends").asLong()).isPositive();
        assertThat(audit.get("acknowledged_lost").asLong()).isZero();
        assertThat(audit.get("events_doubled").asLong()).isZero();
        assertThat(Files.readString(directory.resolve("report.html")))
                .contains("Outages", "id=\"chart-latency\"", "\"down_at_s\"");
    }

    /**
     * A lossy failover, as a fault a chaos run must catch: after the load, the log's newest events
     * are deleted (the append-only trigger disabled for it, as a promoted replica that never had
     * them would not have them either). What is left is a prefix of a valid log, so the lending
     * rules still hold: the audit alone must fail the run.
     */
    @Test
    void aChaosRunWhoseLogLostAcknowledgedAppendsExitsWithCodeOneAndPrintsTheLoss(@TempDir Path directory) {
        AtomicInteger deleted = new AtomicInteger();
        Main main = new Main();
        main.beforeChecks = servers -> deleted.set(deleteTheNewestEvents(servers, LOST_TAIL));

        Run run = SimulatorEndToEndIT.simulate(main, shortChaosRun(directory));

        assertThat(run.exitCode())
                .as("exit code of a run that lost acknowledged appends")
                .isEqualTo(1);
        assertThat(deleted).as("events deleted").hasValue(LOST_TAIL);
        Matcher audit = AUDIT_VIOLATION.matcher(run.console());
        assertThat(audit.find())
                .as("the audit's violation in:%n%s", run.console())
                .isTrue();
        assertThat(Long.parseLong(audit.group(1).replace(",", "")))
                .as("acknowledged events lost")
                .isBetween(1L, (long) LOST_TAIL);
        assertThat(run.console()).contains("is not in the log");
        assertThat(run.invariants().group(5)).as("the lending rules").isEqualTo("no violation");
    }

    /**
     * A lending appended around the command handlers after the load (a copy never added, to a
     * reader never registered) is found by the invariant check a chaos run always makes, without
     * {@code --check-invariants}; the audit, which only looks for lost and doubled appends, holds.
     */
    @Test
    void aChaosRunWhoseLogBreaksALendingRuleExitsWithCodeOneAndPrintsTheViolations(@TempDir Path directory) {
        Main main = new Main();
        main.beforeChecks = servers -> servers.store()
                .append(LibraryEventCodec.encode(
                        new BookCopyLentToReader(BookId.of("book-crafted"), ReaderId.of("reader-crafted")),
                        new EventMetadata("crafted", "crafted", "crafted"),
                        Instant.parse("2026-01-01T00:00:00Z")));

        Run run = SimulatorEndToEndIT.simulate(main, shortChaosRun(directory));

        assertThat(run.exitCode())
                .as("exit code of a run whose log breaks a rule")
                .isEqualTo(1);
        assertThat(run.console())
                .doesNotContain("(VIOLATION)")
                .contains(
                        "copy book-crafted was lent while not in circulation",
                        "copy book-crafted was lent to reader-crafted, who is not registered");
        assertThat(run.invariants().group(5)).isEqualTo("2 VIOLATIONS");
    }

    /** A few seconds of load on a small log, the replica stopped and started once. */
    private static String[] shortChaosRun(Path directory) {
        return new String[] {
            "--rate",
            "50",
            "--duration",
            "3",
            "--warmup",
            "0",
            "--books",
            "50",
            "--readers",
            "20",
            "--events",
            "300",
            "--workers",
            "4",
            "--chaos-schedule",
            "stop-replica@0.5s,start-replica@1s",
            "--report-dir",
            directory.toString()
        };
    }

    /** Deletes the log's {@code count} newest events, the append-only trigger off meanwhile. */
    private static int deleteTheNewestEvents(ConnectedStore servers, int count) {
        String events = servers.storeConfig().eventsTable();
        try (Connection connection = servers.primaryPool().getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("ALTER TABLE " + events + " DISABLE TRIGGER " + events + "_append_only");
            int deleted = statement.executeUpdate("DELETE FROM " + events + " WHERE sequence_number IN"
                    + " (SELECT sequence_number FROM " + events + " ORDER BY sequence_number DESC LIMIT " + count
                    + ")");
            statement.execute("ALTER TABLE " + events + " ENABLE TRIGGER " + events + "_append_only");
            connection.commit();
            return deleted;
        } catch (SQLException e) {
            throw new IllegalStateException("could not delete the newest events", e);
        }
    }
}
