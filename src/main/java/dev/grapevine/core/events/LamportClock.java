package dev.grapevine.core.events;

/**
 * Lamport's logical clock (1978), as Serf orders user events: {@link #tick} before sending,
 * {@link #witness} on receipt so that later events from here order after what was seen.
 */
public final class LamportClock {
    private long time;

    public long time() {
        return time;
    }

    /** Advances for a local event and returns its time. */
    public long tick() {
        return ++time;
    }

    /** Moves past {@code seen} if it is ahead. */
    public void witness(long seen) {
        if (seen >= time) {
            time = seen + 1;
        }
    }
}
