package dev.grapevine.bench;

import org.apache.pekko.cluster.Member;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a Pekko Cluster node saw that its cluster state forgets: members removed (they simply vanish
 * from {@code Cluster.state()}) and events received on the pub-sub topic, with local receive times.
 * Written by the node's actors, read by the admin API's threads, hence synchronized.
 */
final class NodeRecord {
    /** Events kept for GET /events; beyond it the oldest are dropped and the drop is counted. */
    static final int EVENTS_MAX = 100_000;

    record Received(String name, long receivedMs) {}

    private final Map<String, Long> removedAtMs = new ConcurrentHashMap<>();
    private final Deque<Received> events = new ArrayDeque<>();
    private long eventsDropped;

    void removed(Member m, long nowMs) {
        removedAtMs.put(PekkoClusterNode.nameOf(m), nowMs);
    }

    Map<String, Long> removed() {
        return Map.copyOf(removedAtMs);
    }

    synchronized void received(String name, long nowMs) {
        if (events.size() == EVENTS_MAX) {
            events.removeFirst();
            eventsDropped++;
        }
        events.addLast(new Received(name, nowMs));
    }

    synchronized List<Received> events() {
        return new ArrayList<>(events);
    }

    synchronized long eventsDropped() {
        return eventsDropped;
    }
}
