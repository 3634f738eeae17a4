package io.dcbstore.simulator.growth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One size of the log the growth benchmark measures, and the library seeded at that size: a book
 * copy per 5 events and a reader per 20, each capped, so that past the caps the log grows (longer
 * histories) while the state the projections hold stays the same size.
 *
 * @param events events seeded
 * @param books book copies seeded
 * @param readers readers seeded
 */
public record GrowthSize(long events, long books, long readers) {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})([kKmM]?)");
    /** The smallest log measured: below it the figures are noise. */
    public static final long MIN_EVENTS = 10_000;

    /** Validates the size. */
    public GrowthSize {
        if (events < MIN_EVENTS || books < 1 || readers < 1 || books + readers > events) {
            throw new IllegalArgumentException("a growth size needs at least " + MIN_EVENTS
                    + " events and more events than books and readers, got " + events + "/" + books + "/" + readers);
        }
    }

    /**
     * @param events events to seed
     * @param maxBooks the cap on book copies
     * @param maxReaders the cap on readers
     * @return the size with its library
     */
    public static GrowthSize of(long events, long maxBooks, long maxReaders) {
        return new GrowthSize(
                events, Math.max(1, Math.min(events / 5, maxBooks)), Math.max(1, Math.min(events / 20, maxReaders)));
    }

    /**
     * Parses a list like {@code 1M,10M,50M} (K and M are thousands and millions; plain numbers are
     * events), smallest first.
     *
     * @param list the comma-separated sizes
     * @return the event counts, ascending, without duplicates
     * @throws IllegalArgumentException naming the first size that does not parse or is too small
     */
    public static List<Long> parseEvents(String list) {
        List<Long> sizes = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            Matcher matcher = SIZE.matcher(part.trim());
            if (!matcher.matches()) {
                throw new IllegalArgumentException(
                        "a size is a number of events, optionally with K or M (1M, 500K, 2500000), got '" + part + "'");
            }
            long multiplier = switch (matcher.group(2).toUpperCase(Locale.ROOT)) {
                case "K" -> 1_000L;
                case "M" -> 1_000_000L;
                default -> 1L;
            };
            long events = Math.multiplyExact(Long.parseLong(matcher.group(1)), multiplier);
            if (events < MIN_EVENTS) {
                throw new IllegalArgumentException(
                        "each size must be at least " + MIN_EVENTS + " events, got '" + part.trim() + "'");
            }
            if (!sizes.contains(events)) {
                sizes.add(events);
            }
        }
        sizes.sort(Long::compare);
        return List.copyOf(sizes);
    }

    /** @return the size as people write it: {@code 1M}, {@code 500K}, {@code 2,500,000} */
    public String label() {
        if (events % 1_000_000 == 0) {
            return events / 1_000_000 + "M";
        }
        if (events % 1_000 == 0) {
            return events / 1_000 + "K";
        }
        return String.format(Locale.ROOT, "%,d", events);
    }
}
