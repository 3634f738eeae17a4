package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dcbstore.simulator.load.Measurements;
import io.dcbstore.simulator.report.Figures;
import io.dcbstore.simulator.report.TimeBreakdown;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ExecutionPerCallTest {
    /** Ten successful requests of 2 queries and 1 append each, 8 ms from the intended start, 5 of them in the store. */
    private static Measurements.Totals tenRequests() {
        Histogram latency = new Histogram(3_600_000_000L, 3);
        for (int i = 1; i <= 10; i++) {
            latency.recordValue(i * 1000L);
        }
        return new Measurements.Totals(latency, new long[] {10, 0, 0, 0, 0, 0}, 3, 8, 1, 1, 5, 3, 2, 1, 0);
    }

    @Test
    void theDatabaseTimeOfBothServersIsSharedOutByTheCallsOfEachKind() {
        DatabaseTime.Groups primary = new DatabaseTime.Groups(
                new DatabaseTime.Group(15, 10),
                new DatabaseTime.Group(40, 10),
                DatabaseTime.Group.NONE,
                new DatabaseTime.Group(7, 99));
        DatabaseTime.Groups replica = new DatabaseTime.Groups(
                new DatabaseTime.Group(5, 10),
                DatabaseTime.Group.NONE,
                DatabaseTime.Group.NONE,
                DatabaseTime.Group.NONE);

        ExecutionPerCall perCall = ExecutionPerCall.of(primary, replica, List.of(tenRequests()));

        assertThat(perCall).isEqualTo(new ExecutionPerCall(1.0, 1.0, 0.0));
    }

    @Test
    void anOperationsFiguresSplitItsLatencyIntoQueuePoolDatabaseDriverAndApplication() {
        Figures figures = new ExecutionPerCall(1.0, 1.0, 0.0).figures(tenRequests());

        assertThat(figures.requests()).isEqualTo(10);
        assertThat(figures.ok()).isEqualTo(10);
        assertThat(figures.conflicts()).isEqualTo(3);
        assertThat(figures.p50Ms()).isCloseTo(5.0, within(0.01));
        assertThat(figures.maxMs()).isCloseTo(10.0, within(0.01));
        assertThat(figures.timeBreakdownMs()).isEqualTo(new TimeBreakdown(8, 1, 1, 3, 1, 2));
    }
}
