package io.dcbstore.simulator.chaos;

import java.time.Duration;
import java.util.Locale;

/**
 * One action of a chaos schedule and when it happens, from the start of the measured run.
 *
 * @param action what happens
 * @param at when, from the start of the measured run
 */
public record ChaosStep(ChaosAction action, Duration at) {
    /** Requires both, and a time not negative. */
    public ChaosStep {
        if (action == null || at == null || at.isNegative()) {
            throw new IllegalArgumentException("a chaos step needs an action and a time not negative");
        }
    }

    /** @return the step as {@code --chaos-schedule} writes it, e.g. {@code kill-primary@90s} */
    @Override
    public String toString() {
        double seconds = at.toMillis() / 1000.0;
        String time = seconds == Math.rint(seconds)
                ? Long.toString((long) seconds)
                : String.format(Locale.ROOT, "%.3f", seconds).replaceAll("0+$", "");
        return action.key() + "@" + time + "s";
    }
}
