package dev.grapevine.kv;

import java.time.Instant;

/**
 * A hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks", OPODIS 2014): it
 * stays close to wall-clock time, yet every timestamp it issues is greater than every timestamp it
 * issued or observed before, so a write that causally follows another always sorts after it, even
 * when the two nodes' wall clocks disagree or a wall clock steps backwards.
 *
 * <p>A timestamp is one {@code long}: physical milliseconds since the epoch in the high 48 bits and a
 * logical counter in the low 16 bits. Packing them this way makes the paper's {@code (l, c)} pair
 * compare as a plain number, and makes "add one" carry a full logical counter into the physical
 * part instead of wrapping it. Physical time is limited to {@link #PHYSICAL_MILLIS_MAX} (the year
 * 6429) so that every timestamp is a non-negative long and compares correctly with {@code <}.
 *
 * <p>Wall time is a parameter, never read here, so simulations and tests drive the clock. Not
 * thread-safe: one actor owns a clock.
 */
public final class Hlc {
    /** Bits of the logical counter in a timestamp. */
    public static final int LOGICAL_BITS = 16;
    /** The largest logical counter; one more carries into the physical milliseconds. */
    public static final int LOGICAL_MAX = (1 << LOGICAL_BITS) - 1;
    /** The largest physical part: 2^47 - 1 ms, so that the packed timestamp stays non-negative. */
    public static final long PHYSICAL_MILLIS_MAX = (1L << (63 - LOGICAL_BITS)) - 1;

    private final long maxAheadMillis;
    /** The greatest timestamp issued or observed so far; 0 before the first. */
    private long last;

    /**
     * @param maxAheadMillis how far (ms) a remote timestamp's physical part may be ahead of our wall
     *     clock before {@link #observe} refuses it. Without this bound one node with a clock set to
     *     2100 would drag every clock it talks to into 2100, where only the logical counter moves.
     */
    public Hlc(long maxAheadMillis) {
        if (maxAheadMillis < 0) {
            throw new IllegalArgumentException("maxAheadMillis must be >= 0, but was " + maxAheadMillis);
        }
        this.maxAheadMillis = maxAheadMillis;
    }

    /** A timestamp for a local event: greater than every earlier timestamp issued or observed. */
    public long now(long wallMillis) {
        checkWall(wallMillis);
        long wall = wallMillis << LOGICAL_BITS;
        if (wall > last) {
            last = wall; // wall clock moved past everything seen: logical counter restarts at 0
        } else {
            if (last == Long.MAX_VALUE) {
                throw new IllegalStateException("hybrid clock exhausted at " + toString(last));
            }
            last++; // a full logical counter carries into the physical milliseconds
        }
        return last;
    }

    /**
     * Merges a timestamp received from another node, so that our next {@link #now} sorts after it.
     *
     * @throws IllegalArgumentException if {@code remoteTimestamp} is negative, or its physical part
     *     is more than {@code maxAheadMillis} ahead of {@code wallMillis}; the clock is then unchanged
     */
    public void observe(long remoteTimestamp, long wallMillis) {
        checkWall(wallMillis);
        if (remoteTimestamp < 0) {
            throw new IllegalArgumentException("remote hybrid timestamp must be >= 0, but was " + remoteTimestamp);
        }
        long aheadMillis = physicalMillis(remoteTimestamp) - wallMillis;
        if (aheadMillis > maxAheadMillis) {
            throw new IllegalArgumentException("remote hybrid timestamp " + toString(remoteTimestamp)
                    + " is " + aheadMillis + " ms ahead of local wall clock " + wallMillis
                    + " ms, more than the limit of " + maxAheadMillis + " ms");
        }
        last = Math.max(last, remoteTimestamp);
    }

    /** The greatest timestamp issued or observed so far (0 before the first). */
    public long last() {
        return last;
    }

    public long maxAheadMillis() {
        return maxAheadMillis;
    }

    /** The physical part of a timestamp: milliseconds since the epoch. */
    public static long physicalMillis(long timestamp) {
        return timestamp >>> LOGICAL_BITS;
    }

    /** The logical part of a timestamp: 0..{@link #LOGICAL_MAX}. */
    public static int logical(long timestamp) {
        return (int) (timestamp & LOGICAL_MAX);
    }

    /** The timestamp with the given parts, e.g. for tests and for scanning from a point in time. */
    public static long of(long physicalMillis, int logical) {
        checkWall(physicalMillis);
        if (logical < 0 || logical > LOGICAL_MAX) {
            throw new IllegalArgumentException("logical must be in 0.." + LOGICAL_MAX + ", but was " + logical);
        }
        return (physicalMillis << LOGICAL_BITS) | logical;
    }

    /** For logs: the physical part as an ISO instant, then {@code #} and the logical counter. */
    public static String toString(long timestamp) {
        return Instant.ofEpochMilli(physicalMillis(timestamp)) + "#" + logical(timestamp);
    }

    private static void checkWall(long wallMillis) {
        if (wallMillis < 0 || wallMillis > PHYSICAL_MILLIS_MAX) {
            throw new IllegalArgumentException(
                    "wall clock must be in 0.." + PHYSICAL_MILLIS_MAX + " ms, but was " + wallMillis);
        }
    }
}
