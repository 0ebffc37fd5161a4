package dev.grapevine.core.recovery;

import java.util.Arrays;

/**
 * Every member's latest word on its recovery work in one epoch, as one value that gossip carries
 * whole. Member {@code i} is the {@code i}-th name, in ascending order, of the epoch's live set: the
 * epoch's name is a digest of that set ({@link RecoveryCoordinator#epochOf}), so every node in the
 * epoch reads the same index as the same member, and no names travel.
 *
 * <p>One value per epoch replaced one rumor per member per epoch. Each of those had to reach every
 * member on its own, so a change of membership cost N rumors, each sent a retransmit limit of times
 * by every node: at 50 members, 96 of the 103 rumor copies a node received per second under churn
 * were progress. A merged value carries every word a node holds in each copy.
 *
 * <p>Merge rule: per member, the word with the higher {@code seq} wins (a member numbers its
 * publications within its life, and the epoch fixes the life). It is commutative, associative and
 * idempotent, so nodes that heard the words in any order and any grouping converge. A member that
 * leaves the epoch and comes back to it later publishes with a higher number, so its new word
 * replaces the one from its first stay.
 *
 * <p>A word may also carry the member's {@link Progress#repairedSinceSeconds()}: the start of its
 * latest complete round of exchanges, which tombstone GC needs from every member ({@link RepairProof}).
 * It changes at most once per round (the anti-entropy interval), with a new publication number.
 *
 * <p>Immutable; {@link #merge} and {@link #with} return this very instance when nothing changes.
 */
public final class EpochProgress {

    /** Members one value may list; the wire decoder refuses more. */
    public static final int MEMBERS_MAX = 1 << 16;
    /** Largest publication number: the wire carries {@code 4·seq + 3} in a varint of at most 63 bits. */
    public static final long SEQ_MAX = (Long.MAX_VALUE - 3) / 4;

    private final long epoch;
    /** Each member's publication number; 0: no word heard. */
    private final long[] seq;
    private final int[] pending;
    private final int[] failed;
    /** Each member's repaired-since second, or {@link Progress#NOT_REPAIRED}. */
    private final long[] since;

    private EpochProgress(long epoch, long[] seq, int[] pending, int[] failed, long[] since) {
        this.epoch = epoch;
        this.seq = seq;
        this.pending = pending;
        this.failed = failed;
        this.since = since;
    }

    private static long[] notRepaired(int members) {
        long[] none = new long[members];
        Arrays.fill(none, Progress.NOT_REPAIRED);
        return none;
    }

    /** No word yet from any of the epoch's {@code members}. */
    public static EpochProgress empty(long epoch, int members) {
        checkMembers(members);
        return new EpochProgress(epoch, new long[members], new int[members], new int[members], notRepaired(members));
    }

    /**
     * A value with the given words (copied). A member with {@code seq} 0 has no word, and then its
     * counts must be 0.
     */
    public static EpochProgress of(long epoch, long[] seq, int[] pending, int[] failed) {
        return of(epoch, seq, pending, failed, notRepaired(seq.length));
    }

    /** Like {@link #of(long, long[], int[], int[])}, with each member's repaired-since second ({@link Progress#NOT_REPAIRED}: none). */
    public static EpochProgress of(long epoch, long[] seq, int[] pending, int[] failed, long[] repairedSinceSeconds) {
        checkMembers(seq.length);
        if (pending.length != seq.length || failed.length != seq.length || repairedSinceSeconds.length != seq.length) {
            throw new IllegalArgumentException("seq, pending, failed and repaired-since must list the same members: "
                    + seq.length + ", " + pending.length + ", " + failed.length + ", " + repairedSinceSeconds.length);
        }
        for (int i = 0; i < seq.length; i++) {
            checkWord(i, seq[i], pending[i], failed[i]);
            checkSince(i, seq[i], repairedSinceSeconds[i]);
        }
        return new EpochProgress(epoch, seq.clone(), pending.clone(), failed.clone(), repairedSinceSeconds.clone());
    }

    private static void checkSince(int index, long seq, long since) {
        if (since < Progress.NOT_REPAIRED || seq == 0 && since != Progress.NOT_REPAIRED) {
            throw new IllegalArgumentException("member " + index + ": repaired-since must be -1 or a second >= 0, and -1"
                    + " for a member with no word (seq 0): " + seq + ", " + since);
        }
    }

    private static void checkMembers(int members) {
        if (members < 1 || members > MEMBERS_MAX) {
            throw new IllegalArgumentException("an epoch has 1.." + MEMBERS_MAX + " members, not " + members);
        }
    }

    private static void checkWord(int index, long seq, int pending, int failed) {
        if (seq < 0 || seq > SEQ_MAX || pending < 0 || failed < 0 || seq == 0 && (pending != 0 || failed != 0)) {
            throw new IllegalArgumentException("member " + index + ": seq must be 0.." + SEQ_MAX + ", counts cannot be"
                    + " negative, and a member with no word (seq 0) has no counts: " + seq + ", " + pending + ", " + failed);
        }
    }

    /** The epoch's 64-bit name ({@link Progress#epochName} gives its 16 hex digits). */
    public long epoch() {
        return epoch;
    }

    public int members() {
        return seq.length;
    }

    /** Member {@code i}'s publication number, 0 if no word from it is held. */
    public long seq(int i) {
        return seq[i];
    }

    public int pending(int i) {
        return pending[i];
    }

    public int failed(int i) {
        return failed[i];
    }

    /** Member {@code i}'s repaired-since second, or {@link Progress#NOT_REPAIRED}. */
    public long repairedSinceSeconds(int i) {
        return since[i];
    }

    /** Member {@code i}'s word, or null if none is held. */
    public Progress progress(int i) {
        return seq[i] == 0 ? null : new Progress(Progress.epochName(epoch), pending[i], failed[i], since[i]);
    }

    /** Whether member {@code i} said its work in this epoch is done. */
    public boolean done(int i) {
        return seq[i] != 0 && pending[i] == 0 && failed[i] == 0;
    }

    /** Member {@code i}'s word replaced by a newer one; this instance if {@code seq} is not newer. */
    public EpochProgress with(int i, long seq, int pending, int failed) {
        return with(i, seq, pending, failed, Progress.NOT_REPAIRED);
    }

    /** Member {@code i}'s word, with its repaired-since second, replaced by a newer one; this instance if {@code seq} is not newer. */
    public EpochProgress with(int i, long seq, int pending, int failed, long repairedSinceSeconds) {
        checkWord(i, seq, pending, failed);
        checkSince(i, seq, repairedSinceSeconds);
        if (seq <= this.seq[i]) {
            return this;
        }
        EpochProgress next = copy();
        next.seq[i] = seq;
        next.pending[i] = pending;
        next.failed[i] = failed;
        next.since[i] = repairedSinceSeconds;
        return next;
    }

    private EpochProgress copy() {
        return new EpochProgress(epoch, seq.clone(), pending.clone(), failed.clone(), since.clone());
    }

    /** Whether {@code other} is about the same epoch, with the same members, so the two can merge. */
    public boolean sameEpoch(EpochProgress other) {
        return epoch == other.epoch && seq.length == other.seq.length;
    }

    /**
     * The newer word of each member from either value: {@code this} if {@code other} brings nothing
     * newer, {@code other} if this holds nothing newer than it.
     *
     * @throws IllegalArgumentException if they are not about the same epoch ({@link #sameEpoch})
     */
    public EpochProgress merge(EpochProgress other) {
        if (!sameEpoch(other)) {
            throw new IllegalArgumentException("cannot merge the progress of epoch " + Progress.epochName(epoch) + " ("
                    + seq.length + " members) with that of " + Progress.epochName(other.epoch) + " ("
                    + other.seq.length + ")");
        }
        boolean thisNewer = false;
        boolean otherNewer = false;
        for (int i = 0; i < seq.length; i++) {
            thisNewer |= seq[i] > other.seq[i];
            otherNewer |= other.seq[i] > seq[i];
        }
        if (!otherNewer) {
            return this;
        }
        if (!thisNewer) {
            return other;
        }
        EpochProgress next = copy();
        for (int i = 0; i < seq.length; i++) {
            if (other.seq[i] > seq[i]) {
                next.seq[i] = other.seq[i];
                next.pending[i] = other.pending[i];
                next.failed[i] = other.failed[i];
                next.since[i] = other.since[i];
            }
        }
        return next;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpochProgress e && epoch == e.epoch && Arrays.equals(seq, e.seq)
                && Arrays.equals(pending, e.pending) && Arrays.equals(failed, e.failed) && Arrays.equals(since, e.since);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(epoch) * 31 + Arrays.hashCode(seq)) * 31 + Arrays.hashCode(pending) * 7
                + Arrays.hashCode(failed) + Arrays.hashCode(since) * 13;
    }

    /** The epoch, then each member's word as seq:pending/failed, or "-" for none. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("EpochProgress[").append(Progress.epochName(epoch));
        for (int i = 0; i < seq.length; i++) {
            b.append(i == 0 ? " " : ", ");
            if (seq[i] == 0) {
                b.append('-');
            } else {
                b.append(seq[i]).append(':').append(pending[i]).append('/').append(failed[i]);
                if (since[i] != Progress.NOT_REPAIRED) {
                    b.append('@').append(since[i]);
                }
            }
        }
        return b.append(']').toString();
    }
}
