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
 * this node admitted once it was complete everywhere. An epoch whose members include more than half
 * of the reference is admitted; it becomes the next reference only when every one of its members has
 * reported it done ({@link #onEpochComplete}), so a cluster that shrinks one crash at a time keeps
 * taking writes, while the smaller side of a split never admits its epoch and keeps the old
 * reference until the split heals. With no reference yet (a new cluster, or a node that never
 * admitted an epoch), the first epoch is admitted and becomes the reference as it forms.
 *
 * <p>Why only a complete epoch moves the reference: failure detection spreads over seconds, so
 * after a split each side forms a few epochs in a row, each with a few more of the other side gone.
 * Were each of them the next reference, the smaller side would step down from majority to majority
 * of the last step (20, 17, 13, 8 members: each a majority of the one before) and admit itself,
 * while the larger side took writes too. An epoch that still lists members of the other side cannot
 * complete on either side, since their word cannot cross the split; the first epoch that can is the
 * one of the side alone, and the smaller side's holds no majority of the reference.
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
     * An epoch formed with these members: admitted if they hold a majority of the reference. The
     * reference stays until the epoch is complete everywhere ({@link #onEpochComplete}), but for the
     * first epoch a node ever sees, which becomes the reference at once: a cluster split before its
     * first epoch completed would otherwise have no reference, and both sides would take writes.
     */
    public Verdict onEpoch(Collection<String> members) {
        if (reference.isEmpty()) {
            reference = Collections.unmodifiableSortedSet(new TreeSet<>(members));
            return Verdict.ADMITTED;
        }
        return check(members);
    }

    /**
     * Every member of the epoch with these members reported it done: admitted, and made the
     * reference, if they hold a majority of the reference.
     */
    public Verdict onEpochComplete(Collection<String> members) {
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
