package dev.grapevine.core.recovery;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Whether this node's side of a network partition may take writes when writes need a majority
 * ({@code kv.partition-mode = majority}). Two sides of a partition cannot both hold more than half
 * of the same set of members, so at most one side takes writes and no acknowledged write can be
 * replaced by a concurrent one from the other side.
 *
 * <p>The set a majority is counted against is the <em>reference</em>: the members of the last epoch
 * this node admitted. An epoch whose members include more than half of the reference is admitted
 * and becomes the next reference, so a cluster that shrinks one crash at a time keeps taking writes,
 * while the smaller side of a split never admits its epoch and keeps the old reference until the
 * split heals. With no reference yet (a new cluster, or a node that never admitted an epoch), the
 * first epoch is admitted.
 *
 * <p>A write is checked against the live members this node sees right now too: between a split and
 * the next epoch, a node that already lost sight of the majority refuses writes at once.
 *
 * <p>Pure: single writer, no clock; the runtime persists {@link #reference()} beside the last epoch.
 */
public final class MajorityGate {

    /** A decision; {@code reason} says why writes are refused, null when admitted. */
    public record Verdict(boolean admitted, String reason) {
        static final Verdict ADMITTED = new Verdict(true, null);
    }

    private SortedSet<String> reference;

    /** @param reference the last admitted epoch's members, as saved; empty if none */
    public MajorityGate(Collection<String> reference) {
        this.reference = Collections.unmodifiableSortedSet(new TreeSet<>(reference));
    }

    /** The members a majority is counted against. */
    public SortedSet<String> reference() {
        return reference;
    }

    /**
     * An epoch complete everywhere with these members: admitted, and made the reference, if they hold
     * a majority of the reference. Offer only epochs complete everywhere: right after a split the
     * smaller side sees the other side's members fail one at a time and may settle, for a while, on an
     * epoch that still lists some of them (c, d, e of a|b|c split from d|e). That epoch holds a majority
     * of the reference but never completes, since c takes no part in it; admitted, it would make d and
     * e a majority of the next reference.
     */
    public Verdict onEpoch(Collection<String> members) {
        Verdict v = check(members);
        if (v.admitted()) {
            reference = Collections.unmodifiableSortedSet(new TreeSet<>(members));
        }
        return v;
    }

    /** Whether a node that sees these live members (itself included) may take writes now. */
    public Verdict check(Collection<String> liveMembers) {
        if (reference.isEmpty()) {
            return Verdict.ADMITTED;
        }
        int seen = 0;
        for (String m : liveMembers) {
            if (reference.contains(m)) {
                seen++;
            }
        }
        int needed = reference.size() / 2 + 1;
        if (seen >= needed) {
            return Verdict.ADMITTED;
        }
        return new Verdict(false, "this node sees " + seen + " of the " + reference.size()
                + " members of the last majority epoch; writes need " + needed + " (kv.partition-mode = majority)");
    }
}
