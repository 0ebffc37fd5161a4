package dev.grapevine.core.gossip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Broadcasts waiting to be piggybacked, each sent in at most a retransmit limit of messages
 * (memberlist's TransmitLimitedQueue; Demers et al.'s "counter" rumor mongering).
 *
 * <ul>
 *   <li>Fewest transmissions first, newest first among equals, so fresh news overtakes old.</li>
 *   <li>A rumor replaces a queued one with the same {@link Rumor#subject()}: only the latest state of
 *       a member is worth sending.</li>
 *   <li>Bounded: beyond {@code capacity}, the most-sent (oldest) broadcasts are dropped and counted in
 *       {@link #dropped()}; push-pull still repairs what they would have told.</li>
 * </ul>
 */
public final class BroadcastQueue {

    private static final class Entry {
        final Rumor rumor;
        final int sizeBytes;
        final long id;
        int transmits;

        Entry(Rumor rumor, int sizeBytes, long id) {
            this.rumor = rumor;
            this.sizeBytes = sizeBytes;
            this.id = id;
        }
    }

    private final TreeSet<Entry> order = new TreeSet<>((a, b) -> {
        int c = Integer.compare(a.transmits, b.transmits);
        return c != 0 ? c : Long.compare(b.id, a.id);
    });
    private final Map<Object, Entry> bySubject = new HashMap<>();
    private final int capacity;
    private long nextId;
    private long dropped;
    private int smallestSizeBytes = Integer.MAX_VALUE;

    public BroadcastQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("broadcast queue capacity must be >= 1, but was " + capacity);
        }
        this.capacity = capacity;
    }

    /** Queues {@code rumor} (its encoded size given) and replaces any queued rumor about the same subject. */
    public void enqueue(Rumor rumor, int sizeBytes) {
        Entry old = bySubject.remove(rumor.subject());
        if (old != null) {
            order.remove(old);
        }
        Entry e = new Entry(rumor, sizeBytes, nextId++);
        order.add(e);
        bySubject.put(rumor.subject(), e);
        smallestSizeBytes = Math.min(smallestSizeBytes, sizeBytes);
        while (order.size() > capacity) {
            Entry victim = order.pollLast();
            bySubject.remove(victim.rumor.subject());
            dropped++;
        }
    }

    /**
     * Takes broadcasts that fit in {@code budgetBytes}, counting one transmission for each, and retires
     * those sent {@code transmitLimit} times.
     *
     * @param sink receives the chosen rumors, fewest-sent first
     * @return bytes taken
     */
    public int take(int budgetBytes, int transmitLimit, List<Rumor> sink) {
        if (order.isEmpty() || budgetBytes < smallestSizeBytes) {
            return 0;
        }
        List<Entry> chosen = null;
        int used = 0;
        for (Iterator<Entry> it = order.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (used + e.sizeBytes > budgetBytes) {
                if (budgetBytes - used < smallestSizeBytes) {
                    break;
                }
                continue;
            }
            it.remove();
            used += e.sizeBytes;
            if (chosen == null) {
                chosen = new ArrayList<>();
            }
            chosen.add(e);
        }
        if (chosen == null) {
            return 0;
        }
        for (Entry e : chosen) {
            sink.add(e.rumor);
            e.transmits++;
            if (e.transmits < transmitLimit) {
                order.add(e);
            } else {
                bySubject.remove(e.rumor.subject());
            }
        }
        return used;
    }

    /** Times the queued rumor about {@code subject} has been sent, or -1 if none is queued. */
    public int transmits(Object subject) {
        Entry e = bySubject.get(subject);
        return e == null ? -1 : e.transmits;
    }

    public boolean isEmpty() {
        return order.isEmpty();
    }

    public int size() {
        return order.size();
    }

    /** Broadcasts dropped because the queue was full. */
    public long dropped() {
        return dropped;
    }
}
