package io.dcbstore.simulator;

import io.dcbstore.simulator.load.Measurements;
import java.time.Duration;
import java.util.Locale;

/**
 * Unmeasured load before the run: the rate rises from a tenth of the target to the target over the
 * warm-up's first two thirds, then holds.
 */
final class WarmUp {
    private WarmUp() {}

    /** @param setup the simulation's load set-up; nothing happens with a zero warm-up */
    static void run(RunSetup setup) {
        Duration warmup = setup.config().warmup();
        if (warmup.isZero()) {
            return;
        }
        double rate = setup.config().rate();
        Duration ramp = warmup.multipliedBy(2).dividedBy(3);
        double from = rate / 10;
        setup.out()
                .printf(
                        Locale.ROOT,
                        "warming up for %d s (not measured): %.0f -> %.0f req/s over %d s, then steady...%n",
                        warmup.toSeconds(),
                        from,
                        rate,
                        ramp.toSeconds());
        setup.loadGenerator(new Measurements()).run(from, rate, ramp, warmup, second -> {});
    }
}
