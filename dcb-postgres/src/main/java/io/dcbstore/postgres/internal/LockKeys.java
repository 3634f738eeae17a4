package io.dcbstore.postgres.internal;

import io.dcbstore.AppendCondition;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.PayloadPredicate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The advisory locks an append takes before its check, so that two appends where an event of one
 * matches the condition of the other are serialised, while disjoint appends do not wait for each
 * other.
 *
 * <p>The rule: the <em>condition</em> takes EXCLUSIVE locks, the <em>events</em> take SHARED
 * locks, on keys chosen so that an event matching a condition always shares a key with it:
 * <ul>
 *   <li>an event locks (shared) its type, every top-level scalar field {@code key=value} of its
 *       payload, and the "everything" key;</li>
 *   <li>a condition item with predicates locks (exclusive) one predicate for ALL_OF (the event
 *       must have them all, so any one is shared with it) and every predicate for ANY_OF;</li>
 *   <li>an item with only types locks (exclusive) each type; a match-all condition locks the
 *       "everything" key.</li>
 * </ul>
 * Shared locks do not conflict with each other, so appends writing events that merely share a
 * field value (a publisher, a year) never wait for one another. Keys are taken in ascending order,
 * so two appends cannot deadlock. A hash collision can only make two appends wait, never let a
 * conflict through.
 */
final class LockKeys {
    private final String salt;

    /** @param salt separates the key spaces of different event tables in one database */
    LockKeys(String salt) {
        this.salt = salt;
    }

    /**
     * The keys in ascending order and, for each, whether it is taken exclusively.
     *
     * @param keys the keys
     * @param exclusive for each key, whether it is exclusive
     * @param global whether the plan was folded into the single exclusive "everything" key
     */
    record Plan(long[] keys, boolean[] exclusive, boolean global) {}

    /**
     * @param condition the append's condition, or {@code null}
     * @param events the events to append
     * @return the locks to take
     */
    Plan plan(AppendCondition condition, List<ParsedEvent> events) {
        Map<Long, Boolean> locks = new TreeMap<>();
        for (ParsedEvent event : events) {
            locks.putIfAbsent(key("all", ""), false);
            locks.putIfAbsent(key("type", event.type()), false);
            for (String field : event.scalarFields()) {
                locks.putIfAbsent(key("field", field), false);
            }
        }
        if (condition != null) {
            addConditionLocks(condition.failIfEventsMatch(), locks);
        }
        boolean global = locks.size() > MAX_KEYS;
        if (global) {
            locks = fold(locks);
        }
        long[] keys = new long[locks.size()];
        boolean[] exclusive = new boolean[locks.size()];
        int i = 0;
        for (Map.Entry<Long, Boolean> lock : locks.entrySet()) {
            keys[i] = lock.getKey();
            exclusive[i] = lock.getValue();
            i++;
        }
        return new Plan(keys, exclusive, global);
    }

    /** Beyond this many keys, an append takes the single exclusive "everything" lock instead. */
    static final int MAX_KEYS = 64;

    /**
     * A large append (more than {@link #MAX_KEYS} keys, e.g. thousands of events) would fill the
     * shared lock table, so it takes one lock instead: the "everything" key, exclusively. Every
     * other append holds that key at least shared, so the large append is serialised with all of
     * them: correct, and the price of staying within the lock table.
     */
    private Map<Long, Boolean> fold(Map<Long, Boolean> ignored) {
        Map<Long, Boolean> folded = new TreeMap<>();
        folded.put(key("all", ""), true);
        return folded;
    }

    private void addConditionLocks(Filter filter, Map<Long, Boolean> locks) {
        if (filter.matchesEverything()) {
            locks.put(key("all", ""), true);
            return;
        }
        for (FilterItem item : filter.items()) {
            List<PayloadPredicate> predicates = item.predicates();
            if (predicates.isEmpty()) {
                for (String type : item.eventTypes()) {
                    locks.put(key("type", type), true);
                }
            } else if (item.match() == FilterItem.Match.ALL_OF) {
                locks.put(key("field", predicates.get(0).canonical()), true);
            } else {
                for (PayloadPredicate predicate : predicates) {
                    locks.put(key("field", predicate.canonical()), true);
                }
            }
        }
    }

    /**
     * A 64-bit key: FNV-1a over salt, kind and value, finished with the MurmurHash3 mixer. Not
     * cryptographic and need not be: a collision only makes two unrelated appends wait for each
     * other, it never lets a conflict through.
     *
     * @return the key
     */
    long key(String kind, String value) {
        long hash = 0xcbf29ce484222325L;
        hash = mix(hash, salt);
        hash = (hash ^ 0xFF) * 0x100000001b3L;
        hash = mix(hash, kind);
        hash = (hash ^ 0xFE) * 0x100000001b3L;
        hash = mix(hash, value);
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }

    private static long mix(long hash, String text) {
        long result = hash;
        for (int i = 0; i < text.length(); i++) {
            result = (result ^ text.charAt(i)) * 0x100000001b3L;
        }
        return result;
    }
}
