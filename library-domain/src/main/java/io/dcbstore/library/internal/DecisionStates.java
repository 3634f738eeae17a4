package io.dcbstore.library.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcbstore.EventStore;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.StoredEvent;
import io.dcbstore.library.LibraryEvent;
import io.dcbstore.library.LibraryEventCodec;
import io.dcbstore.library.UndecodableEventException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The events of the boundaries commands decided on recently, kept in memory and current with the
 * log: a command decides from them and appends with the position they are complete up to, so it
 * reads nothing when they are current. The store's append condition still decides: if anything
 * newer matched the boundary, the append fails, the command waits until the states have seen it
 * and decides again.
 *
 * <p>States are kept per filter item (a book copy's story, a reader's story), so boundaries that
 * share an entity share its state. One follower of the log ({@link #apply}, from a subscription in
 * sequence order) adds every new event to the states it matches, then publishes its position: every
 * state is then complete up to that position. A state used for the first time is read from the
 * store once, after it was registered with the follower, so nothing falls between the read and the
 * follower. At most {@code capacity} states are kept; the least recently used go first.
 */
public final class DecisionStates {
    /** Numbers as jsonb compares them (exact decimals), so matching in memory agrees with {@code @>}. */
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /** Views that found their states evicted this often read instead. */
    private static final int MAX_VIEW_TRIES = 3;

    private static final long MAX_WAIT_NANOS = 50_000_000L;
    /** Enough for the items of any boundary, so a view never evicts the states it uses. */
    public static final int MIN_CAPACITY = 64;

    private final EventStore store;
    private final int capacity;
    private final ConcurrentHashMap<FilterItem, ItemState> states = new ConcurrentHashMap<>();
    /** Registered states by one {@code key=value} of their payload predicates; the rest in {@link #unindexed}. */
    private final ConcurrentHashMap<String, Set<ItemState>> index = new ConcurrentHashMap<>();

    private final Set<ItemState> unindexed = ConcurrentHashMap.newKeySet();
    private final AtomicLong clock = new AtomicLong();
    private final Object evicting = new Object();
    private volatile long position;

    /**
     * @param store where first-time states are read from
     * @param capacity how many filter items' states to keep at most
     * @param startPosition the position the follower starts after
     */
    public DecisionStates(EventStore store, int capacity, long startPosition) {
        new Problems()
                .notNull("event store", store)
                .check(capacity >= MIN_CAPACITY, "capacity must be at least " + MIN_CAPACITY + ", got " + capacity)
                .check(startPosition >= 0, "start position must not be negative")
                .throwIfAny();
        this.store = store;
        this.capacity = capacity;
        this.position = startPosition;
    }

    /** The events a command decides from, and the position they are complete up to. */
    public record View(List<LibraryEvent> history, long position) {}

    /** @return the position every state is complete up to */
    public long position() {
        return position;
    }

    /** @return how many filter items' states are kept */
    public int size() {
        return states.size();
    }

    /**
     * Adds a new event of the log to the states it matches. Called by the one follower, in sequence order.
     *
     * @param event the next event of the log
     */
    public void apply(StoredEvent event) {
        JsonNode payload;
        try {
            payload = parse(event.payload());
        } catch (RuntimeException unreadable) {
            // Beyond this parser's limits (jsonb stores more): the states it might match are
            // dropped, and the next command on them reads and decides as a command that reads does.
            for (ItemState state : states.values()) {
                if (state.item.eventTypes().isEmpty() || state.item.eventTypes().contains(event.type())) {
                    evict(state);
                }
            }
            return;
        }
        LibraryEvent decoded = null;
        for (ItemState state : candidates(payload)) {
            if (state.item.matches(event.type(), event.payload())) {
                if (decoded == null) {
                    try {
                        decoded = LibraryEventCodec.decode(event).event();
                    } catch (UndecodableEventException e) {
                        // the next command on it reads it and fails as a command that reads does
                        evict(state);
                        continue;
                    }
                }
                if (!state.offer(event.sequenceNumber(), decoded)) {
                    evict(state);
                }
            }
        }
    }

    /**
     * Publishes that every event up to this position was applied.
     *
     * @param appliedThrough the position of the last event applied (or scanned past)
     */
    public void advance(long appliedThrough) {
        if (appliedThrough > position) {
            position = appliedThrough;
        }
    }

    /**
     * Waits until the follower has applied the log up to a position.
     *
     * @param target the position
     * @return whether it got there within 50 ms
     */
    public boolean awaitPosition(long target) {
        long deadline = System.nanoTime() + MAX_WAIT_NANOS;
        long pause = 20_000L;
        while (position < target) {
            if (System.nanoTime() >= deadline || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 1_000_000L);
        }
        return true;
    }

    /**
     * The history of a boundary up to the follower's position, reading the items seen for the
     * first time from the store.
     *
     * @param boundary a command's boundary (items only; no time or position ranges)
     * @return the events, in log order, and the position the append must expect; null when other
     *     commands kept evicting the states meanwhile (the caller reads instead)
     */
    public View view(Filter boundary) {
        for (int tries = 0; tries < MAX_VIEW_TRIES; tries++) {
            List<ItemState> used = new ArrayList<>(boundary.items().size());
            List<ItemState> missing = new ArrayList<>();
            long now = clock.incrementAndGet();
            for (FilterItem item : boundary.items()) {
                ItemState state = states.computeIfAbsent(item, this::register);
                state.lastUsed = now;
                used.add(state);
                if (!state.loaded()) {
                    missing.add(state);
                }
            }
            if (!missing.isEmpty()) {
                long readUpTo;
                try {
                    readUpTo = load(missing);
                } catch (RuntimeException failed) {
                    missing.forEach(this::evict); // not left collecting followed events unloaded
                    throw failed;
                }
                if (position < readUpTo) {
                    awaitPosition(readUpTo);
                }
                evictIfFull();
            }
            View view = collect(used, position);
            if (view != null) {
                return view;
            }
        }
        return null;
    }

    private ItemState register(FilterItem item) {
        ItemState state = new ItemState(item);
        List<String> keys = keysOf(item);
        if (keys.isEmpty()) {
            unindexed.add(state);
        } else {
            for (String key : keys) {
                index.compute(key, (k, registered) -> {
                    Set<ItemState> set = registered == null ? ConcurrentHashMap.newKeySet() : registered;
                    set.add(state);
                    return set;
                });
            }
        }
        return state;
    }

    /** Reads the states seen for the first time, in one query; returns the highest sequence number read. */
    private long load(List<ItemState> missing) {
        Filter filter = Filter.anyOf(missing.stream().map(s -> s.item).toArray(FilterItem[]::new));
        QueryResult result = store.query(filter, ReadOptions.STRONG);
        List<List<ItemState.Recorded>> perState = new ArrayList<>(missing.size());
        for (int i = 0; i < missing.size(); i++) {
            perState.add(new ArrayList<>());
        }
        for (StoredEvent event : result.events()) {
            LibraryEvent decoded = LibraryEventCodec.decode(event).event(); // fails as a reading command does
            for (int i = 0; i < missing.size(); i++) {
                if (missing.get(i).item.matches(event.type(), event.payload())) {
                    perState.get(i).add(new ItemState.Recorded(event.sequenceNumber(), decoded));
                }
            }
        }
        for (int i = 0; i < missing.size(); i++) {
            missing.get(i).load(perState.get(i));
        }
        return result.maxSequenceNumber();
    }

    /** The events of the states up to the position, or null when a state was evicted meanwhile. */
    private static View collect(List<ItemState> used, long upTo) {
        List<ItemState.Recorded> merged = new ArrayList<>();
        for (ItemState state : used) {
            if (!state.copyInto(merged, upTo)) {
                return null;
            }
        }
        merged.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        List<LibraryEvent> history = new ArrayList<>(merged.size());
        long last = -1;
        for (ItemState.Recorded recorded : merged) {
            if (recorded.sequence() != last) {
                history.add(recorded.event());
                last = recorded.sequence();
            }
        }
        return new View(history, upTo);
    }

    private Iterable<ItemState> candidates(JsonNode payload) {
        List<ItemState> found = new ArrayList<>(unindexed);
        for (Map.Entry<String, JsonNode> field : payload.properties()) {
            if (field.getValue().isTextual()) {
                Set<ItemState> registered =
                        index.get(key(field.getKey(), field.getValue().textValue()));
                if (registered != null) {
                    for (ItemState state : registered) {
                        if (!found.contains(state)) {
                            found.add(state);
                        }
                    }
                }
            }
        }
        return found;
    }

    private static List<String> keysOf(FilterItem item) {
        List<String> keys = new ArrayList<>();
        for (PayloadPredicate predicate : item.predicates()) {
            if (!(predicate.value() instanceof String text)) {
                return List.of(); // matched by a number or a nested value: checked against every event
            }
            keys.add(key(predicate.key(), text));
            if (item.match() == FilterItem.Match.ALL_OF) {
                break; // every predicate must match, so the first one finds every candidate
            }
        }
        return keys;
    }

    private static String key(String name, String value) {
        return name + '\u0000' + value;
    }

    /** Drops the least recently used quarter of the states once there are more than the capacity. */
    private void evictIfFull() {
        if (states.size() <= capacity) {
            return;
        }
        synchronized (evicting) {
            if (states.size() <= capacity) {
                return;
            }
            long oldest = Long.MAX_VALUE;
            long newest = Long.MIN_VALUE;
            for (ItemState state : states.values()) {
                oldest = Math.min(oldest, state.lastUsed);
                newest = Math.max(newest, state.lastUsed);
            }
            long threshold = oldest + (newest - oldest) / 4;
            for (ItemState state : states.values()) {
                if (state.lastUsed <= threshold) {
                    evict(state);
                }
            }
        }
    }

    private void evict(ItemState state) {
        state.evict();
        states.remove(state.item, state);
        unindexed.remove(state);
        for (String key : keysOf(state.item)) {
            index.computeIfPresent(key, (k, registered) -> {
                registered.remove(state);
                return registered.isEmpty() ? null : registered; // no empty set per id ever used
            });
        }
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the store returned a payload that is not JSON", e);
        }
    }
}
