package io.dcbstore.simulator.metrics;

import io.dcbstore.simulator.load.TimedEventStore;
import io.dcbstore.simulator.report.ActivitySummary;
import io.dcbstore.simulator.report.LatencyWindow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The activities of a simulation besides its requests, as they ended; thread-safe. It also takes
 * the snapshot saves of a {@link TimedEventStore}, and attributes activities to the windows of a
 * run.
 */
public final class ActivityLog implements TimedEventStore.SnapshotSaves {
    private final List<Activity> activities = new ArrayList<>();

    /** @param activity one that ended (or was last seen) */
    public synchronized void record(Activity activity) {
        activities.add(activity);
    }

    @Override
    public void saved(String projectionType, int stateChars, long startNanos, long endNanos) {
        record(new Activity(
                "snapshot_save",
                "jvm",
                String.format(Locale.ROOT, "%s, %.1f MB", projectionType, stateChars / 1e6),
                startNanos,
                Math.max(startNanos, endNanos)));
    }

    /**
     * @param fromNanos the start of a time ({@link System#nanoTime})
     * @param toNanos its end
     * @return the activities that overlapped it, in the order they were recorded
     */
    public synchronized List<Activity> between(long fromNanos, long toNanos) {
        return activities.stream()
                .filter(activity -> overlaps(activity, fromNanos, toNanos))
                .toList();
    }

    /**
     * Gives each window the activities that overlapped it.
     *
     * @param windows the windows of a run, in seconds since its start
     * @param activities what ran during the run
     * @param originNanos when the run started ({@link System#nanoTime})
     * @return the windows with their activities
     */
    public static List<LatencyWindow> attribute(
            List<LatencyWindow> windows, List<Activity> activities, long originNanos) {
        return windows.stream()
                .map(window -> window.withActivities(summarise(
                        activities,
                        originNanos + window.fromS() * 1_000_000_000L,
                        originNanos + window.toS() * 1_000_000_000L)))
                .toList();
    }

    /**
     * @param activities what ran
     * @param fromNanos the start of a window
     * @param toNanos its end
     * @return the activities that overlapped it, by kind, process and detail, the longest time in the window first
     */
    public static List<ActivitySummary> summarise(List<Activity> activities, long fromNanos, long toNanos) {
        Map<List<String>, ActivitySummary> summaries = new LinkedHashMap<>();
        for (Activity activity : activities) {
            if (!overlaps(activity, fromNanos, toNanos)) {
                continue;
            }
            double overlapMs =
                    (Math.min(activity.endNanos(), toNanos) - Math.max(activity.startNanos(), fromNanos)) / 1e6;
            double longestMs = activity.durationNanos() / 1e6;
            summaries.merge(
                    List.of(activity.kind(), activity.process(), activity.detail()),
                    new ActivitySummary(
                            activity.kind(), activity.process(), activity.detail(), 1, overlapMs, longestMs),
                    (one, other) -> new ActivitySummary(
                            one.kind(),
                            one.process(),
                            one.detail(),
                            one.count() + other.count(),
                            one.overlapMs() + other.overlapMs(),
                            Math.max(one.longestMs(), other.longestMs())));
        }
        return summaries.values().stream()
                .sorted(Comparator.comparingDouble(ActivitySummary::overlapMs).reversed())
                .toList();
    }

    /**
     * An activity overlaps [from, to) when it starts before the end and ends after the start; one
     * without duration, when it happened within.
     */
    private static boolean overlaps(Activity activity, long fromNanos, long toNanos) {
        return activity.startNanos() < toNanos
                && (activity.endNanos() > fromNanos || activity.startNanos() >= fromNanos);
    }
}
