package dev.grapevine.core.member;

import dev.grapevine.core.Hash64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Interns member names as dense ints so a member table is an array, not a hash map per node.
 *
 * <p>A node owns one index. The simulator may share one index between all its nodes (it runs them on
 * one thread): the index only says which names exist somewhere, never what any node believes about
 * them, and it turns N hash maps of N entries into one, which is what lets 10,000 nodes fit in memory.
 * Ids are assigned in first-seen order and never reused, so iteration by id is deterministic.
 */
public final class NameIndex {
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    /** Each name's place on the observer ring ({@link #ringHash}), worked out once. */
    private long[] ringHashes = new long[16];

    /** The id of {@code name}, assigning the next one if it is new. */
    public int idOf(String name) {
        Integer id = ids.get(name);
        if (id != null) {
            return id;
        }
        int next = names.size();
        ids.put(name, next);
        names.add(name);
        if (next == ringHashes.length) {
            ringHashes = Arrays.copyOf(ringHashes, next * 2);
        }
        ringHashes[next] = ringHash(name);
        return next;
    }

    /** The id of {@code name}, or -1 if it was never seen. */
    public int find(String name) {
        Integer id = ids.get(name);
        return id == null ? -1 : id;
    }

    public String nameOf(int id) {
        return names.get(id);
    }

    /** Where a member sits on the ring of observers (core.swim.Observers): the same on every node. */
    public static long ringHash(String name) {
        return Hash64.mix(Hash64.fnv(Hash64.FNV_OFFSET, name));
    }

    public long ringHash(int id) {
        return ringHashes[id];
    }

    public int size() {
        return names.size();
    }
}
