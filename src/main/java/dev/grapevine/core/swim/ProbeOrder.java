package dev.grapevine.core.swim;

import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.random.RandomGenerator;

/**
 * SWIM's round-robin probe order (Das et al. 2002, §4.3): members are probed in a random permutation,
 * a new one each pass, so every member is probed within a bounded time (at most 2N − 1 periods), not
 * merely in expectation. A member that joins mid-pass joins what remains of the pass, so it is probed
 * this pass too, at a random point (memberlist inserts at a random offset for the same reason).
 *
 * <p>The permutation is drawn lazily, one Fisher–Yates step per probe: a pass costs one random draw
 * per probe made rather than N draws up front, which matters when a simulator holds 10,000 nodes.
 */
public final class ProbeOrder {
    private int[] ids = new int[16];
    private int length;
    private int cursor;

    /**
     * The next member id to probe, or -1 if none qualifies. Ids failing {@code probeable} are skipped;
     * when a pass ends, {@code refill} supplies the next pass's ids, which are then shuffled.
     */
    public int next(IntPredicate probeable, Refill refill, RandomGenerator rng) {
        for (int attempt = 0; attempt < 2; attempt++) {
            while (cursor < length) {
                int pick = cursor + rng.nextInt(length - cursor);
                int id = ids[pick];
                ids[pick] = ids[cursor];
                ids[cursor++] = id;
                if (probeable.test(id)) {
                    return id;
                }
            }
            length = 0;
            cursor = 0;
            refill.into(this);
        }
        return -1;
    }

    /** Appends during a refill. */
    public void add(int id) {
        if (length == ids.length) {
            ids = Arrays.copyOf(ids, length * 2);
        }
        ids[length++] = id;
    }

    /** Adds a member mid-pass; the lazy shuffle puts it at a random point of the rest of the pass. */
    public void insert(int id) {
        add(id);
    }

    /** Supplies the ids of one pass. */
    @FunctionalInterface
    public interface Refill {
        void into(ProbeOrder order);
    }
}
