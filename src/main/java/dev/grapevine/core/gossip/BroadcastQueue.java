package dev.grapevine.core.gossip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

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
 *   <li>A rumor goes to each member at most {@code copiesMax} times from this node, and
 *       not at all to one that sent it here ({@link #heldBy}); once every member has it or was sent
 *       it that often, it is retired. memberlist picks targets blindly, so that in a small cluster
 *       each member got each rumor about ten times (9 sends from each of 5 members to 4 others), most
 *       of the traffic after a failure. A copy lost on the way is made up by the copies every other
 *       member sends, and by push-pull.</li>
 * </ul>
 */
public final class BroadcastQueue {

    private static final class Entry {
        final Rumor rumor;
        final int sizeBytes;
        final long id;
        int transmits;
        /** Members known to hold this rumor, or sent it {@code copiesMax} times; null while none. */
        Set<Object> holders;
        /** Members sent it fewer times than that, and how often; null while none. */
        Map<Object, Integer> sendsBelowMax;

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
    /**
     * Copies of one rumor this node sends to one member at most. Over a transport that delivers in
     * order, as Artery does, one: a second copy would arrive after the first. Over one that loses
     * copies alone, one copy each halved the traffic again in a small cluster, but at 50 % loss a
     * member of five then missed a rumor until push-pull in some runs of the simulator; two copies
     * keep that tail under a second.
     */
    private final int copiesMax;
    private final int capacity;
    private long nextId;
    private long dropped;
    private int smallestSizeBytes = Integer.MAX_VALUE;

    public BroadcastQueue(int capacity, int copiesMax) {
        if (capacity < 1 || copiesMax < 1) {
            throw new IllegalArgumentException("broadcast queue capacity and copies per member must be >= 1, but were "
                    + capacity + " and " + copiesMax);
        }
        this.capacity = capacity;
        this.copiesMax = copiesMax;
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
        return take(budgetBytes, transmitLimit, sink, null, null);
    }

    /**
     * As {@link #take(int, int, List)}, for a message to {@code target}: rumors it holds or was sent
     * already are left for other targets, and not counted; the target is then counted among a taken
     * rumor's holders, and a rumor that {@code coversAll} says every member now holds is retired.
     */
    public int take(int budgetBytes, int transmitLimit, List<Rumor> sink, Object target,
                    Predicate<Set<Object>> coversAll) {
        if (order.isEmpty() || budgetBytes < smallestSizeBytes) {
            return 0;
        }
        List<Entry> chosen = null;
        int used = 0;
        for (Iterator<Entry> it = order.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (target != null && e.holders != null && e.holders.contains(target)) {
                continue;
            }
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
            if (target != null) {
                if (e.sendsBelowMax == null) {
                    e.sendsBelowMax = new HashMap<>();
                }
                if (e.sendsBelowMax.merge(target, 1, Integer::sum) >= copiesMax) {
                    e.sendsBelowMax.remove(target);
                    if (e.holders == null) {
                        e.holders = new HashSet<>();
                    }
                    e.holders.add(target);
                }
            }
            if (e.transmits < transmitLimit && (coversAll == null || e.holders == null || !coversAll.test(e.holders))) {
                order.add(e);
            } else {
                bySubject.remove(e.rumor.subject());
            }
        }
        return used;
    }

    /**
     * Records that {@code holder} holds {@code rumor} (it sent it here), if this very rumor is queued.
     *
     * @return the holders of the queued rumor now, or null if this rumor is not the one queued
     */
    public Set<Object> heldBy(Rumor rumor, Object holder) {
        Entry e = bySubject.get(rumor.subject());
        if (e == null || !e.rumor.equals(rumor)) {
            return null;
        }
        if (e.holders == null) {
            e.holders = new HashSet<>();
        }
        e.holders.add(holder);
        return e.holders;
    }

    /** Whether some queued rumor is not known to be held by {@code target}. */
    public boolean hasNewsFor(Object target) {
        for (Entry e : bySubject.values()) {
            if (e.holders == null || !e.holders.contains(target)) {
                return true;
            }
        }
        return false;
    }

    /** Queues {@code rumor} as {@link #enqueue} does, with members already known to hold it. */
    public void enqueue(Rumor rumor, int sizeBytes, Set<Object> holders) {
        enqueue(rumor, sizeBytes);
        if (holders != null && !holders.isEmpty()) {
            Entry e = bySubject.get(rumor.subject());
            if (e != null) {
                e.holders = new HashSet<>(holders);
            }
        }
    }

    /** Retires the queued rumor about {@code subject} (every member holds it); not counted as dropped. */
    public void retire(Object subject) {
        Entry e = bySubject.remove(subject);
        if (e != null) {
            order.remove(e);
        }
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
