package dev.grapevine.core.events;

import dev.grapevine.core.gossip.Rumor.EventId;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * This node's user-event clock and deduplication, after Serf: an event is delivered once, events
 * further than {@code bufferSize} Lamport ticks in the past are dropped as too old (a bounded memory
 * of what was seen cannot vouch for them), and a joining node skips events from before it joined.
 */
public final class UserEventLog {
    private final LamportClock clock = new LamportClock();
    private final int bufferSize;
    private final int payloadBytesMax;
    /** Seen event ids by Lamport time, trimmed to the last {@code bufferSize} ticks. */
    private final TreeMap<Long, Set<String>> seen = new TreeMap<>();
    private int seenCount;
    private long ignoreBefore;
    private long tooOld;
    private long duplicates;

    public UserEventLog(int bufferSize, int payloadBytesMax) {
        this.bufferSize = bufferSize;
        this.payloadBytesMax = payloadBytesMax;
    }

    /**
     * A new event from this node, already recorded as seen.
     *
     * @throws IllegalArgumentException if name plus payload exceed the configured limit
     */
    public UserEvent emit(String origin, String name, byte[] payload) {
        UserEvent event = new UserEvent(origin, clock.time() + 1, name, payload);
        if (event.sizeBytes() > payloadBytesMax) {
            throw new IllegalArgumentException("user event '" + name + "' is " + event.sizeBytes()
                    + " bytes (name + payload); the limit is " + payloadBytesMax
                    + " bytes (grapevine user-event-max-bytes)");
        }
        clock.tick();
        record(event.origin(), event.ltime());
        return event;
    }

    /** Outcome of {@link #receive}. */
    public enum Verdict {
        /** New: deliver it and gossip it on. */
        DELIVER,
        /** New, but from before this node joined: gossip it on, do not deliver. */
        PASS_ON,
        /** Already seen, or too old to tell: drop it. */
        DROP
    }

    public Verdict receive(UserEvent event) {
        clock.witness(event.ltime());
        long now = clock.time();
        if (now > bufferSize && event.ltime() < now - bufferSize) {
            tooOld++;
            return Verdict.DROP;
        }
        if (!record(event.origin(), event.ltime())) {
            duplicates++;
            return Verdict.DROP;
        }
        return event.ltime() < ignoreBefore ? Verdict.PASS_ON : Verdict.DELIVER;
    }

    /** A join reply told us the cluster's clock: events older than that happened before we joined. */
    public void joined(long clusterClock) {
        clock.witness(clusterClock);
        ignoreBefore = Math.max(ignoreBefore, clusterClock);
    }

    public void witness(long remoteClock) {
        clock.witness(remoteClock);
    }

    public long time() {
        return clock.time();
    }

    public long tooOld() {
        return tooOld;
    }

    public long duplicates() {
        return duplicates;
    }

    private boolean record(String origin, long ltime) {
        boolean added = seen.computeIfAbsent(ltime, t -> new HashSet<>()).add(origin);
        if (added) {
            seenCount++;
            long floor = clock.time() - bufferSize;
            while (!seen.isEmpty() && seen.firstKey() < floor) {
                seenCount -= seen.pollFirstEntry().getValue().size();
            }
        }
        return added;
    }

    /** Ids remembered for dedup, for tests and metrics. */
    public int rememberedCount() {
        return seenCount;
    }

    static EventId id(UserEvent e) {
        return new EventId(e.origin(), e.ltime());
    }
}
