package io.dcbstore.simulator.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What {@code --chaos} did and what it cost: the schedule, every outage, and the check that every
 * acknowledged append is in the log once.
 *
 * @param schedule the schedule, as {@code --chaos-schedule} writes it
 * @param outages each outage, in time order
 * @param appendAudit the check of the log against the acknowledged appends, or {@code null}
 *     before it ran
 */
public record ChaosReport(
        String schedule,
        List<OutageReport> outages,
        @JsonInclude(JsonInclude.Include.NON_NULL) AppendAuditReport appendAudit) {
    /** Copies the outages. */
    public ChaosReport {
        outages = List.copyOf(outages);
    }

    /**
     * @param audit the check of the log
     * @return a copy with it
     */
    public ChaosReport withAppendAudit(AppendAuditReport audit) {
        return new ChaosReport(schedule, outages, audit);
    }
}
