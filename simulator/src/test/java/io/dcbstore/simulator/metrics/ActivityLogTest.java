package io.dcbstore.simulator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.simulator.report.ActivitySummary;
import io.dcbstore.simulator.report.LatencyWindow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActivityLogTest {
    private static final long ORIGIN = 5_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private static Activity activity(String kind, String detail, double fromS, double toS) {
        return new Activity(kind, "primary", detail, ORIGIN + (long) (fromS * SECOND), ORIGIN + (long) (toS * SECOND));
    }

    private static LatencyWindow window(int fromS, int toS) {
        return new LatencyWindow(fromS, toS, 100, 1, 5, 9, 0, 0, 0, List.of(), Map.of());
    }

    @Test
    void anActivityIsAttributedToEveryWindowItOverlapsWithItsTimeInEach() {
        List<Activity> vacuum = List.of(activity("autovacuum", "VACUUM public.events", 8, 12.5));

        List<LatencyWindow> windows =
                ActivityLog.attribute(List.of(window(0, 10), window(10, 20), window(20, 30)), vacuum, ORIGIN);

        assertThat(windows.get(0).activities())
                .containsExactly(new ActivitySummary("autovacuum", "primary", "VACUUM public.events", 1, 2_000, 4_500));
        assertThat(windows.get(1).activities())
                .containsExactly(new ActivitySummary("autovacuum", "primary", "VACUUM public.events", 1, 2_500, 4_500));
        assertThat(windows.get(2).activities()).isEmpty();
    }

    @Test
    void activitiesOfOneKindProcessAndDetailAreCountedTogetherWithTheirLongest() {
        List<Activity> pauses = List.of(
                activity("gc_pause", "PS Scavenge (Allocation Failure)", 1, 1.004),
                activity("gc_pause", "PS Scavenge (Allocation Failure)", 3, 3.020),
                activity("gc_pause", "PS Scavenge (Allocation Failure)", 7, 7.006),
                activity("gc_pause", "PS MarkSweep (Ergonomics)", 8, 8.300));

        List<ActivitySummary> summaries = ActivityLog.summarise(pauses, ORIGIN, ORIGIN + 10 * SECOND);

        assertThat(summaries).hasSize(2);
        // The one that ran longest in the window comes first.
        assertThat(summaries.get(0).detail()).isEqualTo("PS MarkSweep (Ergonomics)");
        ActivitySummary scavenges = summaries.get(1);
        assertThat(scavenges.count()).isEqualTo(3);
        assertThat(scavenges.overlapMs()).isCloseTo(30, org.assertj.core.api.Assertions.within(0.01));
        assertThat(scavenges.longestMs()).isCloseTo(20, org.assertj.core.api.Assertions.within(0.01));
    }

    @Test
    void anActivityThatEndedAsTheWindowStartedIsNotInIt() {
        List<Activity> checkpoint = List.of(activity("checkpoint", "timed checkpoint", 5, 10));

        assertThat(ActivityLog.summarise(checkpoint, ORIGIN + 10 * SECOND, ORIGIN + 20 * SECOND))
                .isEmpty();
        assertThat(ActivityLog.summarise(checkpoint, ORIGIN, ORIGIN + 10 * SECOND))
                .hasSize(1);
    }

    @Test
    void anActivityWithoutDurationBelongsToTheWindowItHappenedIn() {
        List<Activity> instant = List.of(activity("gc_pause", "G1 Young Generation (G1 Evacuation Pause)", 10, 10));

        assertThat(ActivityLog.summarise(instant, ORIGIN, ORIGIN + 10 * SECOND)).isEmpty();
        assertThat(ActivityLog.summarise(instant, ORIGIN + 10 * SECOND, ORIGIN + 20 * SECOND))
                .extracting(ActivitySummary::count)
                .containsExactly(1);
    }

    @Test
    void theLogGivesTheActivitiesOfARunAndRecordsSnapshotSavesWithTheirSize() {
        ActivityLog log = new ActivityLog();
        log.record(activity("autovacuum", "ANALYZE public.events", 0, 1));
        log.saved("books_lent_out", 2_500_000, ORIGIN + 30 * SECOND, ORIGIN + 30 * SECOND + 400_000_000L);

        List<Activity> run = log.between(ORIGIN + 20 * SECOND, ORIGIN + 40 * SECOND);

        assertThat(run)
                .containsExactly(new Activity(
                        "snapshot_save",
                        "jvm",
                        "books_lent_out, 2.5 MB",
                        ORIGIN + 30 * SECOND,
                        ORIGIN + 30 * SECOND + 400_000_000L));
        assertThat(log.between(ORIGIN, ORIGIN + 2 * SECOND)).hasSize(1);
    }

    @Test
    void aSummaryDescribesItselfInOneLine() {
        ActivitySummary summary = new ActivitySummary("gc_pause", "jvm", "PS Scavenge (Allocation Failure)", 3, 45, 20);

        assertThat(summary.describe())
                .isEqualTo("gc_pause on jvm: 3 (45 ms in the window, longest 20 ms): PS Scavenge (Allocation Failure)");
        assertThat(new ActivitySummary("autovacuum", "primary", "VACUUM public.events (under a second)", 1, 0, 0)
                        .describe())
                .isEqualTo("autovacuum on primary: 1: VACUUM public.events (under a second)");
    }
}
