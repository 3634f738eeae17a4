package io.dcbstore.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.AppendCondition;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.JsonLimits;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.StoredEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * The property the append's locks rest on: when an event of one append matches the condition of
 * another, their lock plans share a key that at least one of them takes exclusively, so the two
 * are serialised and the condition's check sees the event. Checked on generated appends (fixed
 * seeds, reproducible), with the in-memory {@link Filter#matches} as the judge of "matches".
 */
class LockKeysTest {
    private static final List<String> TYPES = List.of("A", "B", "C");
    private static final List<String> KEYS = List.of("k", "m", "n");
    /** JSON texts of values; numbers written in several ways that are equal as numbers. */
    private static final List<String> VALUES =
            List.of("\"x\"", "\"y\"", "\"1\"", "1", "1.0", "1.00", "10e-1", "2", "true", "false", "null", "[1]");

    private final LockKeys lockKeys = new LockKeys("events_test");

    /** The kinds of condition and append the generated cases must cover, each at least once. */
    private enum Shape {
        MATCH_ALL,
        TYPES_ONLY,
        ALL_OF_SEVERAL_PREDICATES,
        ANY_OF_PREDICATES,
        NUMBER_WRITTEN_OTHERWISE,
        FOLDED_EVENTS,
        FOLDED_CONDITION
    }

    @Test
    void anAppendWhoseEventMatchesAnotherAppendsConditionSharesAnExclusivelyHeldKeyWithIt() {
        Map<Shape, Integer> covered = new EnumMap<>(Shape.class);
        int matching = 0;
        for (int seed = 0; seed < 20_000; seed++) {
            Random random = new Random(seed);
            Filter condition = condition(random);
            List<Event> conditional = events(random, 1 + random.nextInt(2));
            List<Event> other = events(random, random.nextInt(8) == 0 ? 40 : 1 + random.nextInt(3));
            Event matched = firstMatching(condition, other);
            if (matched == null) {
                continue;
            }
            matching++;
            LockKeys.Plan guarded = lockKeys.plan(AppendCondition.of(condition, 0), parse(conditional));
            LockKeys.Plan writing = lockKeys.plan(null, parse(other));
            assertThat(conflict(guarded, writing))
                    .as(
                            "seed %s: %s in %s (folded: %s) against the condition %s (folded: %s)",
                            seed, matched.payload(), matched.type(), writing.global(), condition, guarded.global())
                    .isTrue();
            record(covered, condition, matched, guarded, writing);
        }
        assertThat(matching)
                .as("generated pairs where an event matches the condition")
                .isGreaterThan(1000);
        assertThat(covered).as("every shape covered").containsOnlyKeys(Shape.values());
    }

    @Test
    void theKeysArePinnedSoThatProcessesOfTwoReleasesAppendingTogetherTakeTheSameLocks() {
        // A rolling upgrade runs old and new code on one table: if a release hashed differently,
        // an append of one could miss the other's conflicting append. These values must not change.
        assertThat(lockKeys.key("all", "")).isEqualTo(-1986445147343363770L);
        assertThat(lockKeys.key("type", "BookCopyLentToReader")).isEqualTo(2854992465427003457L);
        assertThat(lockKeys.key("field", "ReaderID=\"reader-1\"")).isEqualTo(-3007076323017294640L);
        assertThat(new LockKeys("events").key("type", "A")).isEqualTo(-4724098878101715852L);
    }

    @Test
    void anAppendWithAsManyKeysAsTheLimitKeepsThemAndOneMoreTakesTheSingleExclusiveLock() {
        LockKeys.Plan atLimit = lockKeys.plan(null, parse(List.of(wideEvent(LockKeys.MAX_KEYS - 2))));
        LockKeys.Plan overLimit = lockKeys.plan(null, parse(List.of(wideEvent(LockKeys.MAX_KEYS - 1))));

        assertThat(atLimit.global()).isFalse();
        assertThat(atLimit.keys()).hasSize(LockKeys.MAX_KEYS);
        assertThat(overLimit.global()).isTrue();
        assertThat(overLimit.keys()).containsExactly(lockKeys.key("all", ""));
        assertThat(overLimit.exclusive()).containsExactly(true);
    }

    /** An event whose keys are "all", its type and one per field. */
    private static Event wideEvent(int fields) {
        StringJoiner payload = new StringJoiner(", ", "{", "}");
        for (int i = 0; i < fields; i++) {
            payload.add("\"f" + i + "\": " + i);
        }
        return Event.of("Wide", payload.toString());
    }

    @Test
    void appendsWhoseEventsOnlyShareFieldValuesDoNotWaitForEachOther() {
        LockKeys.Plan first = lockKeys.plan(null, parse(List.of(Event.of("A", "{\"k\": 1, \"m\": \"x\"}"))));
        LockKeys.Plan second = lockKeys.plan(null, parse(List.of(Event.of("A", "{\"k\": 1.0, \"m\": \"x\"}"))));
        assertThat(conflict(first, second)).isFalse();
        assertThat(first.keys()).containsExactly(second.keys());
    }

    private static Event firstMatching(Filter condition, List<Event> events) {
        for (Event event : events) {
            if (condition.matches(new StoredEvent(1, event.type(), event.payload(), "{}", Instant.EPOCH))) {
                return event;
            }
        }
        return null;
    }

    /** @return whether some key is in both plans and exclusive in at least one */
    private static boolean conflict(LockKeys.Plan one, LockKeys.Plan two) {
        Map<Long, Boolean> exclusive = new HashMap<>();
        for (int i = 0; i < one.keys().length; i++) {
            exclusive.put(one.keys()[i], one.exclusive()[i]);
        }
        for (int i = 0; i < two.keys().length; i++) {
            Boolean held = exclusive.get(two.keys()[i]);
            if (held != null && (held || two.exclusive()[i])) {
                return true;
            }
        }
        return false;
    }

    private static void record(
            Map<Shape, Integer> covered,
            Filter condition,
            Event matched,
            LockKeys.Plan guarded,
            LockKeys.Plan writing) {
        List<Shape> shapes = new ArrayList<>();
        if (condition.matchesEverything()) {
            shapes.add(Shape.MATCH_ALL);
        }
        for (FilterItem item : condition.items()) {
            if (!item.matches(matched.type(), matched.payload())) {
                continue;
            }
            if (item.predicates().isEmpty()) {
                shapes.add(Shape.TYPES_ONLY);
            } else if (item.match() == FilterItem.Match.ALL_OF
                    && item.predicates().size() > 1) {
                shapes.add(Shape.ALL_OF_SEVERAL_PREDICATES);
            } else if (item.match() == FilterItem.Match.ANY_OF) {
                shapes.add(Shape.ANY_OF_PREDICATES);
            }
            if (item.predicates().size() == 1 && item.predicates().get(0).value() instanceof BigDecimal) {
                String key = item.predicates().get(0).key();
                if (List.of("1.0", "1.00", "10e-1").stream()
                        .anyMatch(number -> matched.payload().contains("\"" + key + "\": " + number))) {
                    shapes.add(Shape.NUMBER_WRITTEN_OTHERWISE);
                }
            }
        }
        if (writing.global()) {
            shapes.add(Shape.FOLDED_EVENTS);
        }
        if (guarded.global()) {
            shapes.add(Shape.FOLDED_CONDITION);
        }
        shapes.forEach(shape -> covered.merge(shape, 1, Integer::sum));
    }

    private static Filter condition(Random random) {
        if (random.nextInt(20) == 0) {
            return Filter.matchAll();
        }
        if (random.nextInt(20) == 0) {
            // More predicates than an append takes keys for: the condition folds into one lock.
            List<PayloadPredicate> many = new ArrayList<>();
            for (int i = 0; i < LockKeys.MAX_KEYS + 1; i++) {
                many.add(PayloadPredicate.eq("id", "v" + i));
            }
            many.add(predicate(random));
            return Filter.anyOf(new FilterItem(Set.of(), FilterItem.Match.ANY_OF, many));
        }
        List<FilterItem> items = new ArrayList<>();
        for (int i = 0; i <= random.nextInt(2); i++) {
            items.add(item(random));
        }
        return Filter.anyOf(items.toArray(FilterItem[]::new));
    }

    private static FilterItem item(Random random) {
        Set<String> types = random.nextBoolean() ? Set.of() : Set.copyOf(pick(random, TYPES, 1 + random.nextInt(2)));
        if (random.nextInt(4) == 0 && !types.isEmpty()) {
            return new FilterItem(types, FilterItem.Match.ALL_OF, List.of());
        }
        List<PayloadPredicate> predicates = new ArrayList<>();
        for (int i = 0; i <= random.nextInt(3); i++) {
            predicates.add(predicate(random));
        }
        FilterItem.Match match = random.nextBoolean() ? FilterItem.Match.ALL_OF : FilterItem.Match.ANY_OF;
        return new FilterItem(types, match, predicates);
    }

    private static PayloadPredicate predicate(Random random) {
        String key = KEYS.get(random.nextInt(KEYS.size()));
        Object value = switch (random.nextInt(6)) {
            case 0 -> "x";
            case 1 -> "1";
            case 2 -> 1;
            case 3 -> new BigDecimal("1.0");
            case 4 -> 1.0d;
            default -> true;
        };
        return PayloadPredicate.eq(key, value);
    }

    private static List<Event> events(Random random, int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringJoiner payload = new StringJoiner(", ", "{", "}");
            for (String key : pick(random, KEYS, random.nextInt(KEYS.size() + 1))) {
                payload.add("\"" + key + "\": " + VALUES.get(random.nextInt(VALUES.size())));
            }
            if (count > 3) {
                payload.add("\"id\": \"event-" + i + "\"");
            }
            events.add(Event.of(TYPES.get(random.nextInt(TYPES.size())), payload.toString()));
        }
        return events;
    }

    private static <T> List<T> pick(Random random, List<T> from, int count) {
        List<T> left = new ArrayList<>(from);
        List<T> picked = new ArrayList<>();
        for (int i = 0; i < count && !left.isEmpty(); i++) {
            picked.add(left.remove(random.nextInt(left.size())));
        }
        return picked;
    }

    private static List<ParsedEvent> parse(List<Event> events) {
        return ParsedEvent.parseAll(events, 1 << 20, JsonLimits.POSTGRESQL);
    }
}
