package dev.grapevine.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a Pekko Cluster node saw, with local receive times: an append-only log of membership verdicts
 * (up, unreachable, reachable, down, removed) and events received on the pub-sub topic, read by the
 * harness from a position; and the members removed (they vanish from {@code Cluster.state()}).
 * Written by the node's actors, read by the admin API's threads, hence synchronized.
 */
final class NodeRecord {
    /** Entries kept; beyond it the oldest are dropped and the drop is counted. */
    static final int ENTRIES_MAX = 100_000;

    /** kind: "event" (name = the event's name) or a verdict word (name = the member's name). */
    record Entry(long seq, String kind, String name, long ms) {}

    private final Map<String, Long> removedAtMs = new ConcurrentHashMap<>();
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long nextSeq;
    private long dropped;

    synchronized void add(String kind, String name, long nowMs) {
        if (entries.size() == ENTRIES_MAX) {
            entries.removeFirst();
            dropped++;
        }
        entries.addLast(new Entry(nextSeq++, kind, name, nowMs));
        if (kind.equals("removed")) removedAtMs.put(name, nowMs);
    }

    Map<String, Long> removed() {
        return Map.copyOf(removedAtMs);
    }

    /** Entries with seq ≥ from, oldest first. */
    synchronized List<Entry> since(long from) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) if (e.seq() >= from) out.add(e);
        return out;
    }

    synchronized long nextSeq() {
        return nextSeq;
    }

    synchronized long dropped() {
        return dropped;
    }
}
