package dev.grapevine.core.member;

import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;

/**
 * The one rule that decides which of two beliefs about the same member wins. Everything that merges
 * membership (gossip, push-pull, joins, refutation) goes through {@link #compare}.
 *
 * <ol>
 *   <li>A higher {@code epoch} wins: a restarted process supersedes every state of its predecessor at
 *       once, from any address (no waiting to refute a stale "dead", memberlist#157, PR #345).</li>
 *   <li>Within an epoch, a higher {@code incarnation} wins: the member itself raised it to refute.</li>
 *   <li>At equal (epoch, incarnation), status order {@code ALIVE < SUSPECT < DEAD < LEFT} (SWIM §4.2):
 *       a suspicion overrides the alive it was raised against, and only a newer incarnation clears it.</li>
 *   <li>Only the member itself issues an incarnation, so the remaining fields are equal in practice;
 *       address and tags break ties so the order is total, which makes merge a max: commutative,
 *       associative and idempotent (see the property tests).</li>
 * </ol>
 */
public final class Precedence {
    private Precedence() {
    }

    /** Positive when {@code a} overrides {@code b}. Both must describe the same member name. */
    public static int compare(Member a, Member b) {
        if (!a.name().equals(b.name())) {
            throw new IllegalArgumentException("precedence compares one member, but got " + a.name() + " and " + b.name());
        }
        int c = Long.compare(a.epoch(), b.epoch());
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.incarnation(), b.incarnation());
        if (c != 0) {
            return c;
        }
        c = Integer.compare(a.status().ordinal(), b.status().ordinal());
        if (c != 0) {
            return c;
        }
        c = a.address().compareTo(b.address());
        if (c != 0) {
            return c;
        }
        return compareTags(a.tags(), b.tags());
    }

    /** True when {@code incoming} should replace {@code current}; anything beats nothing. */
    public static boolean overrides(Member incoming, Member current) {
        return current == null || compare(incoming, current) > 0;
    }

    /** The winner of the two: the merge of two beliefs. */
    public static Member merge(Member a, Member b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return compare(a, b) >= 0 ? a : b;
    }

    public static final Comparator<Member> ORDER = Precedence::compare;

    private static int compareTags(Map<String, String> a, Map<String, String> b) {
        Iterator<Map.Entry<String, String>> ia = a.entrySet().iterator();
        Iterator<Map.Entry<String, String>> ib = b.entrySet().iterator();
        while (ia.hasNext() && ib.hasNext()) {
            Map.Entry<String, String> ea = ia.next();
            Map.Entry<String, String> eb = ib.next();
            int c = ea.getKey().compareTo(eb.getKey());
            if (c != 0) {
                return c;
            }
            c = ea.getValue().compareTo(eb.getValue());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(ia.hasNext(), ib.hasNext());
    }
}
