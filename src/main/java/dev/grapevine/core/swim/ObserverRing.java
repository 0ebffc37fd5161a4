package dev.grapevine.core.swim;

import dev.grapevine.core.Hash64;

import java.util.Comparator;
import java.util.Iterator;
import java.util.TreeSet;

/**
 * Who checks a suspect: the live members placed on a ring by a hash of their names, and as a
 * suspect's observers the {@code k} that follow it on the ring (Rapid's monitoring ring, one ring
 * instead of K). Every node with the same view picks the same observers, so a suspicion costs about
 * k checks however large the cluster, and whether this node is one costs O(k log N), not O(N).
 */
public final class ObserverRing {
    private record Point(long hash, String name) {
    }

    private static final Comparator<Point> ORDER = Comparator.comparingLong(Point::hash).thenComparing(Point::name);

    private final TreeSet<Point> ring = new TreeSet<>(ORDER);

    private static Point pointOf(String name) {
        return new Point(Hash64.mix(Hash64.fnv(Hash64.FNV_OFFSET, name)), name);
    }

    /** Adds or removes {@code name} as a member that may observe others. */
    public void set(String name, boolean observes) {
        if (observes) {
            ring.add(pointOf(name));
        } else {
            ring.remove(pointOf(name));
        }
    }

    /** Whether {@code candidate} is among the {@code k} observers of {@code suspect}. */
    public boolean observes(String candidate, String suspect, int k) {
        Point start = pointOf(suspect);
        Iterator<Point> after = ring.tailSet(start, false).iterator();
        Iterator<Point> wrapped = ring.headSet(start, false).iterator();
        int seen = 0;
        while (seen < k) {
            Point next = after.hasNext() ? after.next() : wrapped.hasNext() ? wrapped.next() : null;
            if (next == null) {
                return false;
            }
            if (next.name().equals(candidate)) {
                return true;
            }
            seen++;
        }
        return false;
    }

    public int size() {
        return ring.size();
    }
}
