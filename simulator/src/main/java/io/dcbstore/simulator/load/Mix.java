package io.dcbstore.simulator.load;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The scenario mix: a weight per operation, and the shares of lends aimed at a few hot copies
 * (real conflicts), of repeated commands (idempotent outcomes) and of returns of copies that are
 * not on loan (business failures). Immutable and validated.
 *
 * @param weights weight per operation (at least one positive)
 * @param contention share of lends aimed at the hot copies, 0..1
 * @param hotBooks how many hot copies
 * @param repeats share of add/register commands that repeat a succeeded one, 0..1
 * @param failures share of returns that name a copy the reader does not hold, 0..1
 */
public record Mix(Map<RequestKind, Integer> weights, double contention, int hotBooks, double repeats, double failures) {
    /** Picked once per request on the pacing thread: no copy of {@code values()} each time. */
    private static final RequestKind[] OPERATIONS = RequestKind.values();

    /** Validates the mix, reporting every problem. */
    public Mix {
        List<String> problems = new ArrayList<>();
        if (weights == null
                || weights.values().stream().anyMatch(w -> w == null || w < 0)
                || weights.values().stream().mapToInt(Integer::intValue).sum() <= 0) {
            problems.add("mix weights must be non-negative with a positive sum");
        }
        checkShare(problems, "contention", contention);
        checkShare(problems, "repeats", repeats);
        checkShare(problems, "failures", failures);
        if (hotBooks < 1) {
            problems.add("hot books must be at least 1, got " + hotBooks);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        weights = Map.copyOf(weights);
    }

    private static void checkShare(List<String> problems, String name, double share) {
        if (!(share >= 0 && share <= 1)) {
            problems.add(name + " must be between 0 and 1, got " + share);
        }
    }

    /** @return the default mix: the weights of {@link RequestKind}, 5% contested lends on 20 copies, 10% repeats, 10% failing returns */
    public static Mix defaults() {
        Map<RequestKind, Integer> weights = new EnumMap<>(RequestKind.class);
        for (RequestKind operation : RequestKind.values()) {
            weights.put(operation, operation.defaultWeight());
        }
        return new Mix(weights, 0.05, 20, 0.10, 0.10);
    }

    /**
     * Parses {@code name=weight,...} over the defaults (names of {@link RequestKind#key()}).
     *
     * @param text the weights to change
     * @return a copy with them
     * @throws IllegalArgumentException naming every entry that is not a known name with a whole weight
     */
    public Mix withWeights(String text) {
        Map<RequestKind, Integer> changed = new EnumMap<>(weights);
        List<String> problems = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] pair = part.trim().split("=");
            if (pair.length != 2) {
                problems.add("mix entries look like name=weight, got '" + part + "'");
                continue;
            }
            try {
                changed.put(RequestKind.byKey(pair[0].trim()), Integer.parseInt(pair[1].trim()));
            } catch (NumberFormatException e) {
                problems.add("mix weight of " + pair[0] + " is not a whole number: " + pair[1]);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new Mix(changed, contention, hotBooks, repeats, failures);
    }

    /** @return a copy with other shares */
    public Mix withShares(double newContention, double newRepeats, double newFailures) {
        return new Mix(weights, newContention, hotBooks, newRepeats, newFailures);
    }

    /**
     * @param random the random source
     * @return an operation, with probability proportional to its weight
     */
    public RequestKind pick(Random random) {
        int total = 0;
        for (RequestKind operation : OPERATIONS) {
            total += weights.getOrDefault(operation, 0);
        }
        int ticket = random.nextInt(total);
        for (RequestKind operation : OPERATIONS) {
            ticket -= weights.getOrDefault(operation, 0);
            if (ticket < 0) {
                return operation;
            }
        }
        throw new IllegalStateException("weights changed while picking");
    }
}
