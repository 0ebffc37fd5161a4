package dev.grapevine.sim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The data of one simulated node, as its data dir holds it: per partition, key to the newest version
 * applied (tombstones included), and the hints this node keeps as a coordinator for owners that missed
 * a write. Everything here was acknowledged only once stored, so it is durable: a crashed node
 * restarts with its store and its hints, as a real one does with its data dir.
 */
final class ReplicaStore {

    /** One write kept for an owner that did not acknowledge it in time. */
    record Hint(String target, int partition, String key, SimRecord record) {
    }

    private final Map<Integer, TreeMap<String, SimRecord>> partitions = new TreeMap<>();
    /** Hints by target, oldest first; the total is bounded by {@code hintsMax}. */
    private final Map<String, LinkedHashMap<String, Hint>> hints = new TreeMap<>();
    private final int hintsMax;
    private int hintCount;

    ReplicaStore(int hintsMax) {
        this.hintsMax = hintsMax;
    }

    /** Applies a version last-write-wins; true if it changed this replica. */
    boolean apply(int partition, String key, SimRecord record) {
        TreeMap<String, SimRecord> entries = partitions.computeIfAbsent(partition, p -> new TreeMap<>());
        SimRecord mine = entries.get(key);
        if (mine != null && !record.supersedes(mine)) {
            return false;
        }
        entries.put(key, record);
        return true;
    }

    SimRecord get(int partition, String key) {
        TreeMap<String, SimRecord> entries = partitions.get(partition);
        return entries == null ? null : entries.get(key);
    }

    /** The partitions this node holds any entry of. */
    Set<Integer> held() {
        return new TreeSet<>(partitions.keySet());
    }

    /** The entries of one partition, by key (a live view: copy before the store changes). */
    SortedMap<String, SimRecord> entries(int partition) {
        TreeMap<String, SimRecord> entries = partitions.get(partition);
        return entries == null ? new TreeMap<>() : entries;
    }

    /** Key to digest of one partition's entries, for a Merkle tree or a hand-off's record of what it delivered. */
    Map<String, Long> digests(int partition) {
        Map<String, Long> out = new TreeMap<>();
        entries(partition).forEach((k, r) -> out.put(k, r.digest()));
        return out;
    }

    /**
     * Drops the entries of a partition that are still as {@code delivered} recorded them; a version
     * written since stays (it has not been handed over). Returns how many were dropped.
     */
    int drop(int partition, Map<String, Long> delivered) {
        TreeMap<String, SimRecord> entries = partitions.get(partition);
        if (entries == null) {
            return 0;
        }
        int dropped = 0;
        for (Iterator<Map.Entry<String, SimRecord>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, SimRecord> e = it.next();
            Long d = delivered.get(e.getKey());
            if (d != null && d == e.getValue().digest()) {
                it.remove();
                dropped++;
            }
        }
        if (entries.isEmpty()) {
            partitions.remove(partition);
        }
        return dropped;
    }

    /** Keeps a hint; false if the hint store is full (anti-entropy repairs that write instead). */
    boolean addHint(String target, int partition, String key, SimRecord record) {
        LinkedHashMap<String, Hint> mine = hints.computeIfAbsent(target, t -> new LinkedHashMap<>());
        Hint before = mine.get(key);
        if (before != null) {
            if (record.supersedes(before.record())) {
                mine.put(key, new Hint(target, partition, key, record)); // one hint per key and target: the newest
            }
            return true;
        }
        if (hintCount >= hintsMax) {
            return false;
        }
        mine.put(key, new Hint(target, partition, key, record));
        hintCount++;
        return true;
    }

    /** Up to {@code max} hints for {@code target}, oldest first. */
    List<Hint> hintsFor(String target, int max) {
        List<Hint> out = new ArrayList<>();
        LinkedHashMap<String, Hint> mine = hints.get(target);
        if (mine != null) {
            for (Hint h : mine.values()) {
                if (out.size() == max) {
                    break;
                }
                out.add(h);
            }
        }
        return out;
    }

    /** Removes a replayed hint, unless a newer one for the same key replaced it meanwhile. */
    void hintDelivered(Hint h) {
        LinkedHashMap<String, Hint> mine = hints.get(h.target());
        if (mine != null && h.equals(mine.get(h.key()))) {
            mine.remove(h.key());
            hintCount--;
            if (mine.isEmpty()) {
                hints.remove(h.target());
            }
        }
    }

    /** Drops every hint for {@code target} (it left the cluster); returns how many. */
    int dropHints(String target) {
        LinkedHashMap<String, Hint> mine = hints.remove(target);
        int n = mine == null ? 0 : mine.size();
        hintCount -= n;
        return n;
    }

    /**
     * On leave, every hint moves into its own partition of this store, last-write-wins, as the key-value
     * store's fold does: the partitions' hand-off then carries them to every owner that stays. Returns
     * how many moved.
     */
    int foldHints() {
        int moved = 0;
        for (LinkedHashMap<String, Hint> mine : hints.values()) {
            for (Hint h : mine.values()) {
                apply(h.partition(), h.key(), h.record());
                moved++;
            }
        }
        hints.clear();
        hintCount = 0;
        return moved;
    }

    /** Entries held across every partition. */
    int entryCount() {
        int n = 0;
        for (TreeMap<String, SimRecord> entries : partitions.values()) {
            n += entries.size();
        }
        return n;
    }

    Set<String> hintTargets() {
        return new TreeSet<>(hints.keySet());
    }

    int hintCount() {
        return hintCount;
    }
}
