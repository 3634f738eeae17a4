package io.dcbstore.simulator.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.StoredEvent;
import io.dcbstore.simulator.report.AppendAuditReport;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppendAuditTest {
    private static final long HEAD = 100;

    @Test
    void aLogWithEveryAcknowledgedEventOnceHolds() {
        AppendAuditReport report = AppendAudit.check(
                List.of(seeded(99), stored(101, "e1", "c1"), stored(102, "e2", "c2"), stored(103, "e3", "c2"))
                        .iterator(),
                List.of(acknowledged(101, "e1", "c1"), acknowledged(102, "e2", "c2"), acknowledged(103, "e3", "c2")),
                2,
                HEAD);

        assertThat(report.holds()).isTrue();
        assertThat(report.acknowledgedAppends()).isEqualTo(2);
        assertThat(report.acknowledgedEvents()).isEqualTo(3);
        assertThat(report.eventsRead()).isEqualTo(3);
        assertThat(report.examples()).isEmpty();
    }

    @Test
    void anAcknowledgedEventMissingFromTheLogIsReportedLost() {
        AppendAuditReport report = AppendAudit.check(
                List.of(stored(101, "e1", "c1")).iterator(),
                List.of(acknowledged(101, "e1", "c1"), acknowledged(102, "e2", "c2")),
                2,
                HEAD);

        assertThat(report.acknowledgedLost()).isEqualTo(1);
        assertThat(report.eventsDoubled()).isZero();
        assertThat(report.holds()).isFalse();
        assertThat(report.examples()).singleElement().asString().contains("e2").contains("not in the log");
    }

    @Test
    void anotherEventAtTheSequenceNumberOfAnAcknowledgedOneIsReportedLost() {
        AppendAuditReport report = AppendAudit.check(
                List.of(stored(101, "other", "c9")).iterator(), List.of(acknowledged(101, "e1", "c1")), 1, HEAD);

        assertThat(report.acknowledgedLost()).isEqualTo(1);
        assertThat(report.examples()).singleElement().asString().contains("the log has");
    }

    @Test
    void aCommandWhoseEventsWereAppendedAgainByALaterAppendIsReportedDoubled() {
        // c1's append was acknowledged; a retry of c1 wrote its event again after c2's (new MessageID).
        AppendAuditReport report = AppendAudit.check(
                List.of(stored(101, "e1", "c1"), stored(102, "e2", "c2"), stored(103, "e1-retry", "c1"))
                        .iterator(),
                List.of(acknowledged(101, "e1", "c1"), acknowledged(102, "e2", "c2")),
                2,
                HEAD);

        assertThat(report.eventsDoubled()).isEqualTo(1);
        assertThat(report.acknowledgedLost()).isZero();
        assertThat(report.examples()).singleElement().asString().contains("103").contains("twice");
    }

    @Test
    void anEventWhoseMessageIdIsAlreadyInTheLogIsReportedDoubled() {
        AppendAuditReport report = AppendAudit.check(
                List.of(stored(101, "e1", "c1"), stored(102, "e1", "c1")).iterator(),
                List.of(acknowledged(101, "e1", "c1")),
                1,
                HEAD);

        assertThat(report.eventsDoubled()).isEqualTo(1);
    }

    @Test
    void aLogMissingOneAcknowledgedEventAndDoublingAnotherReportsBoth() {
        AppendAuditReport report = AppendAudit.check(
                List.of(seeded(100), stored(101, "e1", "c1"), stored(104, "e3", "c3"), stored(105, "e3b", "c1"))
                        .iterator(),
                List.of(acknowledged(101, "e1", "c1"), acknowledged(102, "e2", "c2"), acknowledged(104, "e3", "c3")),
                3,
                HEAD);

        assertThat(report.acknowledgedLost()).isEqualTo(1);
        assertThat(report.eventsDoubled()).isEqualTo(1);
        assertThat(report.eventsRead()).isEqualTo(3);
        assertThat(report.examples()).hasSize(2);
    }

    private static StoredEvent seeded(long sequenceNumber) {
        return new StoredEvent(sequenceNumber, "BookCopyLentToReader", "{}", "{}", Instant.EPOCH);
    }

    private static StoredEvent stored(long sequenceNumber, String messageId, String command) {
        return new StoredEvent(
                sequenceNumber,
                "BookCopyLentToReader",
                "{\"BookID\": \"book-1\"}",
                "{\"MessageID\": \"" + messageId + "\", \"CausationID\": \"" + command + "\", \"CorrelationID\": \""
                        + command + "\"}",
                Instant.EPOCH);
    }

    private static AcknowledgedEvent acknowledged(long sequenceNumber, String messageId, String command) {
        return new AcknowledgedEvent(sequenceNumber, new EventIdentity("BookCopyLentToReader", messageId, command));
    }
}
