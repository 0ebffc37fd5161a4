package dev.grapevine.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every write the simulated clients made, and which were acknowledged: what the checks after the run
 * hold the cluster to.
 *
 * <p>Two writes are <em>concurrent</em> when neither coordinator could have seen the other: the second
 * was taken before the first was acknowledged, or the second was taken during a network split in which
 * the first was taken or acknowledged, by a coordinator on the other side of it (no message crosses a
 * split, so neither could have read the other; a write in flight when the split began and acknowledged
 * by one side's owners is as unknown to the other side as one taken there). An acknowledged write is <em>superseded</em> when the write that replaces it by
 * last-write-wins (its next version in that order among the writes stored anywhere) is concurrent with
 * it: it was overwritten by a write that never knew of it. A write taken after it was acknowledged, on
 * the same side, replaces it legitimately.
 */
final class WriteLedger {

    /** One client write. {@code ackMillis} is -1 until acknowledged. */
    static final class Write {
        final long id;
        final String key;
        final SimRecord record;
        final long issuedMillis;
        /** The network split in force when the write was taken (0: none) and the coordinator's side of it. */
        final int split;
        final int side;
        long ackMillis = -1;
        /** The split in force when it was acknowledged (0: none), and the coordinator's side of it. */
        int ackSplit;
        int ackSide;
        boolean stored;

        Write(long id, String key, SimRecord record, long issuedMillis, int split, int side) {
            this.id = id;
            this.key = key;
            this.record = record;
            this.issuedMillis = issuedMillis;
            this.split = split;
            this.side = side;
        }

        boolean acked() {
            return ackMillis >= 0;
        }
    }

    private final Map<Long, Write> byId = new HashMap<>();
    private final Map<String, List<Write>> byKey = new TreeMap<>();
    private long acked;

    Write issue(long id, String key, SimRecord record, long nowMillis, int split, int side) {
        Write w = new Write(id, key, record, nowMillis, split, side);
        byId.put(id, w);
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(w);
        return w;
    }

    /** A replica stored the version of write {@code id}: it may win its key, acknowledged or not. */
    void stored(long id) {
        Write w = byId.get(id);
        if (w != null) {
            w.stored = true;
        }
    }

    void acked(long id, long nowMillis, int split, int side) {
        Write w = byId.get(id);
        if (w != null && !w.acked()) {
            w.ackMillis = nowMillis;
            w.ackSplit = split;
            w.ackSide = side;
            acked++;
        }
    }

    long ackedCount() {
        return acked;
    }

    /** The keys with at least one acknowledged write, ascending. */
    List<String> ackedKeys() {
        List<String> out = new ArrayList<>();
        byKey.forEach((k, ws) -> {
            for (Write w : ws) {
                if (w.acked()) {
                    out.add(k);
                    return;
                }
            }
        });
        return out;
    }

    /** The newest acknowledged version of {@code key} by last-write-wins; null if none. */
    SimRecord newestAcked(String key) {
        SimRecord best = null;
        for (Write w : byKey.getOrDefault(key, List.of())) {
            if (w.acked() && (best == null || w.record.supersedes(best))) {
                best = w.record;
            }
        }
        return best;
    }

    /** The acknowledged writes of {@code key} that {@code read} neither is nor replaces: lost. */
    int lost(String key, SimRecord read) {
        int n = 0;
        for (Write w : byKey.getOrDefault(key, List.of())) {
            if (w.acked() && (read == null || !read.atLeast(w.record))) {
                n++;
            }
        }
        return n;
    }

    /** Whether {@code read} is a value older than an acknowledged delete of {@code key}: a deleted key came back. */
    boolean resurrected(String key, SimRecord read) {
        if (read == null || read.tombstone()) {
            return false;
        }
        for (Write w : byKey.getOrDefault(key, List.of())) {
            if (w.acked() && w.record.tombstone() && w.record.supersedes(read)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The acknowledged writes replaced by a concurrent write (see the class comment); with
     * {@code byAckedOnly}, only those whose replacement was itself acknowledged (a write that failed
     * for its client may still have been stored by an owner, and then wins like any other).
     */
    long superseded(boolean byAckedOnly) {
        long n = 0;
        for (List<Write> ws : byKey.values()) {
            for (Write w : ws) {
                if (!w.acked()) {
                    continue;
                }
                Write next = null;
                for (Write v : ws) {
                    if (v != w && v.stored && v.record.supersedes(w.record) && (next == null || next.record.supersedes(v.record))) {
                        next = v;
                    }
                }
                if (next != null && concurrent(w, next) && (next.acked() || !byAckedOnly)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean concurrent(Write acked, Write next) {
        boolean overlapped = next.issuedMillis < acked.ackMillis && (!next.acked() || acked.issuedMillis < next.ackMillis);
        boolean splitBrain = (acked.split != 0 && acked.split == next.split && acked.side != next.side)
                || (acked.ackSplit != 0 && acked.ackSplit == next.split && acked.ackSide != next.side);
        return overlapped || splitBrain;
    }
}
