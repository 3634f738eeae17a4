package io.dcbstore.simulator.report;

import java.util.List;

/**
 * The check, after a chaos run, that every append the simulator saw acknowledged is in the log,
 * and that no event is in it twice.
 *
 * @param acknowledgedAppends appends the store acknowledged during the run (warm-up included)
 * @param acknowledgedEvents their events
 * @param eventsRead events of the log read, from the first one appended after the check began
 * @param acknowledgedLost acknowledged events not in the log at their sequence number (must be 0)
 * @param eventsDoubled events in the log twice: a {@code MessageID} seen before, or an event of a
 *     command whose events were already appended by an earlier append (must be 0)
 * @param examples the first problems found, for the reader
 */
public record AppendAuditReport(
        long acknowledgedAppends,
        long acknowledgedEvents,
        long eventsRead,
        long acknowledgedLost,
        long eventsDoubled,
        List<String> examples) {
    /** Copies the examples. */
    public AppendAuditReport {
        examples = List.copyOf(examples);
    }

    /** @return whether nothing acknowledged was lost and nothing was doubled */
    public boolean holds() {
        return acknowledgedLost == 0 && eventsDoubled == 0;
    }
}
