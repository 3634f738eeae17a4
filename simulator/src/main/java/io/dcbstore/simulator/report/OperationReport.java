package io.dcbstore.simulator.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * One operation's part of a run: its share of the target rate, what it achieved, and its figures
 * (written next to the rates, not nested).
 *
 * @param targetRate the operation's share of the target rate (its share of the scheduled requests)
 * @param achievedRate its requests that were not shed, per second of the run
 * @param durationSeconds the run's measured seconds
 * @param figures outcomes, percentiles and where the time went
 */
public record OperationReport(
        @Rounded double targetRate,
        @Rounded double achievedRate,
        @Rounded @JsonProperty("duration_s") double durationSeconds,
        @JsonUnwrapped Figures figures) {}
