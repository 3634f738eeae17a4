package io.dcbstore.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class MixRoundsTest {
    private static final MixRounds COMMANDS_AND_QUERIES = new MixRounds(
            List.of(
                    new MixRounds.Side("primary", null, List.of(), 0.4, 0),
                    new MixRounds.Side("replica", null, List.of(), 0.6, 0)),
            8);

    private static MixRounds.Round round(double primaryTps, double replicaTps) {
        return new MixRounds.Round(new double[] {primaryTps, replicaTps}, new double[2], 0, new Histogram(3));
    }

    @Test
    void theFittedRateIsTheOneAtWhichBothSidesKeepUpWithTheirShareOfTheMachine() {
        // A machine where a command takes 1/1000 of it and a query 1/5000: p/1000 + q/5000 = 1.
        List<MixRounds.Round> history = List.of(round(500, 2500), round(800, 1000));

        double rate = COMMANDS_AND_QUERIES.fittedRate(history);

        assertThat(rate).isCloseTo(1 / (0.4 / 1000 + 0.6 / 5000), within(1e-6));
        assertThat(0.4 * rate / 1000 + 0.6 * rate / 5000).isCloseTo(1, within(1e-9));
    }

    @Test
    void withoutTwoDifferentRunsThereIsNoFit() {
        assertThat(COMMANDS_AND_QUERIES.fittedRate(List.of(round(500, 2500)))).isZero();
        assertThat(COMMANDS_AND_QUERIES.fittedRate(List.of(round(500, 2500), round(1000, 5000))))
                .isZero();
        // Runs that would make one side free are no fit either.
        assertThat(COMMANDS_AND_QUERIES.fittedRate(List.of(round(500, 2500), round(600, 2500))))
                .isZero();
    }

    @Test
    void aSideAloneIsNeverFitted() {
        MixRounds commandsOnly = new MixRounds(
                List.of(
                        new MixRounds.Side("primary", null, List.of(), 0.4, 0),
                        new MixRounds.Side("replica (shared reads)", null, List.of(), 0, 40)),
                8);

        assertThat(commandsOnly.fittedRate(List.of(round(500, 40), round(800, 40))))
                .isZero();
    }
}
