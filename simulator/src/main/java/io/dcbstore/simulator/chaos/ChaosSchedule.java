package io.dcbstore.simulator.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The faults of a chaos run, in time order: {@code --chaos-schedule
 * "stop-replica@30s,start-replica@50s,kill-primary@90s,start-primary@100s"} (seconds from the start
 * of the measured run; the {@code s} is optional, fractions are allowed). Every server taken down is
 * started again later, and a server is not taken down twice without a start in between, so each
 * outage is one down step and the start that ends it.
 *
 * @param steps the steps, in time order
 */
public record ChaosSchedule(List<ChaosStep> steps) {
    /** Checks the order and the pairing of the steps, reporting every problem together. */
    public ChaosSchedule {
        steps = List.copyOf(steps);
        List<String> problems = new ArrayList<>();
        if (steps.isEmpty()) {
            problems.add("a chaos schedule needs at least one step");
        }
        Map<ChaosAction.Server, ChaosStep> down = new EnumMap<>(ChaosAction.Server.class);
        Duration previous = Duration.ZERO;
        for (ChaosStep step : steps) {
            if (step.at().compareTo(previous) < 0) {
                problems.add(step + " comes before the step ahead of it (at " + previous.toMillis() / 1000.0 + " s)");
            }
            previous = step.at();
            ChaosAction.Server server = step.action().server();
            if (step.action().takesDown() && down.containsKey(server)) {
                problems.add(step + ": the " + name(server) + " is already down since " + down.get(server));
            } else if (!step.action().takesDown() && !down.containsKey(server)) {
                problems.add(step + ": the " + name(server) + " is not down");
            }
            if (step.action().takesDown()) {
                down.put(server, step);
            } else {
                down.remove(server);
            }
        }
        down.values().forEach(step -> problems.add(step + " is never followed by a start"));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid --chaos-schedule: " + String.join("; ", problems));
        }
    }

    /**
     * The default for a run: stop the replica at 1/6 of the run and start it 20/180 later, kill
     * the primary at half the run and start it 10/180 later; for 180 s, the schedule in the class
     * comment.
     *
     * @param run the measured run's duration
     * @return the schedule
     */
    public static ChaosSchedule defaultFor(Duration run) {
        long millis = run.toMillis();
        return new ChaosSchedule(List.of(
                new ChaosStep(ChaosAction.STOP_REPLICA, Duration.ofMillis(millis * 30 / 180)),
                new ChaosStep(ChaosAction.START_REPLICA, Duration.ofMillis(millis * 50 / 180)),
                new ChaosStep(ChaosAction.KILL_PRIMARY, Duration.ofMillis(millis * 90 / 180)),
                new ChaosStep(ChaosAction.START_PRIMARY, Duration.ofMillis(millis * 100 / 180))));
    }

    /**
     * @param text steps separated by commas, each {@code action@seconds[s]}
     * @return the schedule
     * @throws IllegalArgumentException listing every problem of the text
     */
    public static ChaosSchedule parse(String text) {
        List<ChaosStep> steps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String step = part.trim();
            int at = step.indexOf('@');
            if (at < 0) {
                problems.add("'" + step + "' is not action@seconds");
                continue;
            }
            try {
                steps.add(new ChaosStep(
                        ChaosAction.byKey(step.substring(0, at).trim()), seconds(step.substring(at + 1))));
            } catch (IllegalArgumentException e) {
                problems.add("'" + step + "': " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid --chaos-schedule: " + String.join("; ", problems));
        }
        return new ChaosSchedule(steps);
    }

    private static Duration seconds(String text) {
        String number = text.trim();
        if (number.endsWith("s")) {
            number = number.substring(0, number.length() - 1);
        }
        double seconds;
        try {
            seconds = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text.trim() + "' is not a number of seconds", e);
        }
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("the time must be a number of seconds, 0 or more, got " + text.trim());
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /**
     * @param run the measured run's duration
     * @return the problem when a step falls at or after the end of the run, or null
     */
    public String problemFor(Duration run) {
        ChaosStep last = steps.get(steps.size() - 1);
        return last.at().compareTo(run) >= 0
                ? "--chaos-schedule ends with " + last + ", not within the " + run.toSeconds() + " s run"
                : null;
    }

    private static String name(ChaosAction.Server server) {
        return server == ChaosAction.Server.PRIMARY ? "primary" : "replica";
    }

    /** @return the schedule as {@code --chaos-schedule} writes it */
    @Override
    public String toString() {
        return steps.stream().map(ChaosStep::toString).collect(Collectors.joining(","));
    }
}
