package dev.grapevine.core.recovery;

/**
 * When a deletion marker (a tombstone) may be purged without bringing the deleted key back: the
 * rule of Cassandra's {@code gc_grace_seconds}, with the repair it relies on made explicit.
 *
 * <p>A tombstone of partition p, stamped at wall time {@code t}, may go on a node at wall time
 * {@code now} only if
 * <ol>
 *   <li><b>it is old:</b> {@code now - t > gcGrace}, and</li>
 *   <li><b>every replica has it:</b> a repair of p has completed everywhere since the tombstone could
 *       last have reached a replica: {@code repairedSince > t + landingBound}. {@code repairedSince}
 *       is {@link RecoveryCoordinator#repairedEverywhereSince()}: every live member (in the epoch's
 *       ownership) has, since that time, started and finished a successful exchange of each pair it
 *       starts (owner with owner, holder of a partition it no longer owns with each owner), so each
 *       owner exchanged p with every other owner after it. A tombstone stored on any owner before
 *       that time is then on every owner, and on no other live node is an older version left.</li>
 * </ol>
 *
 * <p><b>Why a landing bound.</b> A tombstone does not reach its first replica at {@code t}: a hint
 * may carry it there up to {@code hint-window} later (hints older are dropped), and clocks differ.
 * {@code landingBound = hintWindow + maxClockAhead}: a repair that started after that saw the
 * tombstone on at least one replica (read repair only copies a version some replica already had).
 *
 * <p><b>Clocks.</b> Tombstones are stamped by a hybrid logical clock, whose physical part is the
 * writer's wall clock (or a peer's, at most {@code max-clock-ahead} ahead of it); recovery runs on
 * each node's monotonic clock. The coordinator therefore records when each exchange started on the
 * wall clock too (its shell tells it the offset), and this rule compares wall times only, assuming
 * the nodes' wall clocks agree within {@code maxClockAhead} (the store already refuses stamps further
 * ahead). That skew is in the landing bound, so a repair that started slightly before the delete on
 * a clock that runs fast proves nothing.
 *
 * <p><b>Hints of older versions.</b> A hint of a write older than the tombstone must not be replayed
 * after the purge: hints older than {@code hint-window} are dropped, so {@code gcGrace} must exceed
 * {@code hintWindow + 2 * maxClockAhead} (checked here, and by the store's settings).
 *
 * <p><b>A node away longer than gc-grace</b> may still hold a version the others purged the
 * tombstone of. {@link #staleAfterRejoin} says when a restarting node must drop its copies instead
 * of offering them to repair.
 *
 * <p>Pure: times are arguments. The simulator can call {@link #purgeable} with a record's stamp,
 * its node's {@code RecoveryCoordinator.repairedEverywhereSince()} and its clock, and
 * {@link #staleAfterRejoin} with what the node last heard of that value before a crash.
 *
 * @param gcGraceMillis       how old a tombstone must be before it may go (Cassandra: 10 days)
 * @param hintWindowMillis    how long hints are replayed before they are dropped
 * @param maxClockAheadMillis how far the nodes' wall clocks may disagree
 */
public record TombstoneGc(long gcGraceMillis, long hintWindowMillis, long maxClockAheadMillis) {

    /** No repair proven: nothing may be purged. */
    public static final long NO_PROOF = Long.MIN_VALUE;

    public TombstoneGc {
        if (hintWindowMillis < 0 || maxClockAheadMillis < 0) {
            throw new IllegalArgumentException("hint window and max clock ahead must be >= 0, but were "
                    + hintWindowMillis + " and " + maxClockAheadMillis);
        }
        long floorMillis = hintWindowMillis + 2 * maxClockAheadMillis;
        if (gcGraceMillis <= floorMillis) {
            throw new IllegalArgumentException("gc-grace must exceed hint-window + 2 x max-clock-ahead (" + floorMillis
                    + " ms), or a hint of an older write could outlive the tombstone, but was " + gcGraceMillis + " ms");
        }
    }

    /** How long after its stamp a tombstone may still reach its first replica. */
    public long landingBoundMillis() {
        return hintWindowMillis + maxClockAheadMillis;
    }

    /**
     * Whether a tombstone stamped at {@code tombstoneWallMillis} (its hybrid stamp's physical part)
     * may be purged at {@code nowWallMillis}, given the repair proven since {@code repairedSinceWallMillis}
     * ({@link #NO_PROOF} if none).
     */
    public boolean purgeable(long tombstoneWallMillis, long repairedSinceWallMillis, long nowWallMillis) {
        return tombstoneWallMillis < purgeBeforeWallMillis(repairedSinceWallMillis, nowWallMillis);
    }

    /**
     * Tombstones stamped before this wall time may be purged now (the same rule as {@link #purgeable},
     * as one bound for a scan); {@code Long.MIN_VALUE} if none may.
     */
    public long purgeBeforeWallMillis(long repairedSinceWallMillis, long nowWallMillis) {
        if (repairedSinceWallMillis == NO_PROOF) {
            return Long.MIN_VALUE;
        }
        long oldEnough = nowWallMillis - gcGraceMillis; // t < now - gcGrace  <=>  now - t > gcGrace
        long repaired = repairedSinceWallMillis - landingBoundMillis(); // t < since - bound  <=>  since > t + bound
        return Math.min(oldEnough, repaired);
    }

    /**
     * Whether a node that restarts at {@code nowWallMillis} must drop its data rather than offer it to
     * repair, given the latest repair it was proven part of ({@code lastRepairedSinceWallMillis}, as
     * {@link RecoveryCoordinator#repairedEverywhereSince()} told it). A node that missed a tombstone
     * was never proven repaired after {@code t + landingBound}, and the others purge it only after
     * {@code t + gcGrace}; so a node whose last proof is older than {@code gcGrace - landingBound -
     * maxClockAhead} may hold what the others purged. Dropping loses nothing: the other replicas
     * repair it back.
     */
    public boolean staleAfterRejoin(long lastRepairedSinceWallMillis, long nowWallMillis) {
        if (lastRepairedSinceWallMillis == NO_PROOF) {
            return false; // callers count a store's creation as its first proof; NO_PROOF is not a time
        }
        return nowWallMillis - lastRepairedSinceWallMillis > gcGraceMillis - landingBoundMillis() - maxClockAheadMillis;
    }
}
