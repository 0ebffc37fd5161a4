package dev.grapevine.core.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

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
    private final ArrayDeque<UserEvent> recent = new ArrayDeque<>();
    private long ignoreBefore;
    private long tooOld;
    private long duplicates;
    private long evicted;
    private long implausible;

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
                    + " bytes (grapevine.protocol.user-event-max-bytes)");
        }
        clock.tick();
        record(event.origin(), event.ltime());
        remember(event);
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
        if (isImplausible(event.ltime())) {
            implausible++;
            return Verdict.DROP;
        }
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
        remember(event);
        return event.ltime() < ignoreBefore ? Verdict.PASS_ON : Verdict.DELIVER;
    }

    /** The latest events this node saw, as many as fit in {@code budgetBytes} (per {@code sizer}), oldest first. */
    public List<UserEvent> recent(int budgetBytes, ToIntFunction<UserEvent> sizer) {
        List<UserEvent> newestFirst = new ArrayList<>();
        int used = 0;
        for (Iterator<UserEvent> it = recent.descendingIterator(); it.hasNext(); ) {
            UserEvent e = it.next();
            int size = sizer.applyAsInt(e);
            if (used + size > budgetBytes) {
                break;
            }
            used += size;
            newestFirst.add(e);
        }
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** Keeps the last {@link #RECENT_MAX} events for push-pull. */
    private void remember(UserEvent event) {
        recent.addLast(event);
        if (recent.size() > RECENT_MAX) {
            recent.removeFirst();
        }
    }

    /** Events kept for push-pull: enough to cover a burst between two exchanges. */
    public static final int RECENT_MAX = 64;

    /** A join reply told us the cluster's clock: events older than that happened before we joined. */
    public void joined(long clusterClock) {
        if (isImplausible(clusterClock)) {
            implausible++;
            return;
        }
        clock.witness(clusterClock);
        ignoreBefore = Math.max(ignoreBefore, clusterClock);
    }

    public void witness(long remoteClock) {
        if (isImplausible(remoteClock)) {
            implausible++;
            return;
        }
        clock.witness(remoteClock);
    }

    /**
     * A Lamport time more than {@link #CLOCK_JUMP_MAX} ahead of ours is refused: honest clocks move by
     * one per event, and one forged value near Long.MAX_VALUE would otherwise wrap or pin every
     * node's clock for good (it spreads by push-pull).
     */
    private boolean isImplausible(long remoteClock) {
        return remoteClock - clock.time() > CLOCK_JUMP_MAX;
    }

    /** How far ahead a remote Lamport time may be: 2^32 events, decades of a busy cluster. */
    public static final long CLOCK_JUMP_MAX = 1L << 32;

    /** Lamport times refused as implausible (see {@link #CLOCK_JUMP_MAX}). */
    public long implausible() {
        return implausible;
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
            while (seenCount > rememberedMax()) {
                int forgotten = seen.pollFirstEntry().getValue().size();
                seenCount -= forgotten;
                evicted += forgotten;
            }
        }
        return added;
    }

    /**
     * Hard bound on remembered ids: many origins emitting at once can put many ids on one Lamport
     * time. Past it the oldest times are forgotten early (counted in {@link #evicted()}); an old event
     * arriving again after that may be delivered twice.
     */
    public int rememberedMax() {
        return bufferSize * 16;
    }

    /** Ids forgotten before their time because of {@link #rememberedMax()}. */
    public long evicted() {
        return evicted;
    }
}
