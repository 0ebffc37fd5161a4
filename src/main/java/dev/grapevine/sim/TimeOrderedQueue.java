package dev.grapevine.sim;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The simulator's pending events: by time, and at the same millisecond in the order they were added
 * (the order a priority queue on (time, sequence number) gives, which this replaces). Events share a
 * millisecond by the dozen at 10,000 nodes, so each millisecond holds one first-in first-out bucket
 * and only the distinct times are kept in a heap: a step costs a hash look-up instead of two dozen
 * comparisons of a heap of all events.
 */
final class TimeOrderedQueue<E> {
    private final Map<Long, ArrayDeque<E>> buckets = new HashMap<>();
    /** The times that hold a bucket, each once. */
    private final PriorityQueue<Long> times = new PriorityQueue<>();
    /** The bucket of the earliest time, kept at hand: most steps take from it or add to it. */
    private long headTime;
    private ArrayDeque<E> head;
    private int size;

    void add(long timeMillis, E event) {
        ArrayDeque<E> bucket = head != null && headTime == timeMillis ? head : buckets.get(timeMillis);
        if (bucket == null) {
            bucket = new ArrayDeque<>();
            buckets.put(timeMillis, bucket);
            times.add(timeMillis);
        }
        bucket.addLast(event);
        size++;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The earliest time that holds an event; call only when not {@link #isEmpty}. */
    long peekTime() {
        return times.peek();
    }

    /** Takes the event added first of those at the earliest time, or null when empty. */
    E poll() {
        if (size == 0) {
            return null;
        }
        long earliest = times.peek();
        if (head == null || headTime != earliest) {
            head = buckets.get(earliest);
            headTime = earliest;
        }
        E event = head.pollFirst();
        size--;
        if (head.isEmpty()) {
            buckets.remove(earliest);
            times.poll();
            head = null;
        }
        return event;
    }
}
