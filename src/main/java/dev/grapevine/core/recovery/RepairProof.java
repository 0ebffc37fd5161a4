package dev.grapevine.core.recovery;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * This node's share of the proof that a repair completed everywhere, for tombstone GC
 * ({@link TombstoneGc}): the wall time since which every exchange this node starts in the current
 * epoch has succeeded in an exchange that started no earlier.
 *
 * <p>The pairs this node must cover are those of a routine round ({@code tasksFor(epoch, routine)}):
 * with each co-owner whose name is larger, and with each owner of a partition it holds but no
 * longer owns. For each pair it keeps the wall time at which its last successful exchange started;
 * its word is the start of the latest round that is not later than the oldest of them (none if a
 * pair has not succeeded yet): rounded to a round's start, the word changes at most once a round,
 * not with every exchange, which keeps gossip to one publication per node per round. A node with no pair to
 * start proves the start of its latest round: it has nothing to repair, and the other end of each
 * of its pairs answers for the pair. The minimum of every live member's word is then a time since
 * which every pair of every partition was exchanged ({@link RecoveryCoordinator#repairedEverywhereSince()}).
 *
 * <p>Wall time is the monotonic time the coordinator runs on plus an offset its shell keeps current
 * ({@link RecoveryCoordinator#onWallClock}); a simulation that never sets it runs on one clock.
 * Not thread-safe: part of the coordinator.
 */
final class RepairProof {
    private long wallOffsetMillis;
    /** "partition:peer" to the wall start of its last successful exchange in this epoch. */
    private final Map<String, Long> succeededFromWallMillis = new HashMap<>();
    private final Map<SyncTask, Long> startedWallMillis = new HashMap<>();
    private Set<String> required = Set.of();
    /** The wall starts of this epoch's latest rounds, at most {@link #ROUNDS_KEPT}. */
    private final java.util.TreeSet<Long> roundStartsWallMillis = new java.util.TreeSet<>();
    /** A pair not exchanged for this many rounds proves nothing anyway. */
    static final int ROUNDS_KEPT = 16;

    void wallClock(long nowMillis, long wallMillis) {
        wallOffsetMillis = wallMillis - nowMillis;
    }

    long wall(long nowMillis) {
        return nowMillis + wallOffsetMillis;
    }

    /** A new epoch: new ownership, so nothing proven before counts. */
    void epochStarted() {
        succeededFromWallMillis.clear();
        startedWallMillis.clear();
        required = Set.of();
        roundStartsWallMillis.clear();
    }

    /** A round (the epoch's first, or a routine one) with these exchanges: the pairs to cover from now on. */
    void roundStarted(Collection<SyncTask> routineTasks, long nowMillis) {
        Set<String> pairs = new HashSet<>();
        for (SyncTask t : routineTasks) {
            pairs.add(pairOf(t));
        }
        required = pairs;
        roundStartsWallMillis.add(wall(nowMillis));
        if (roundStartsWallMillis.size() > ROUNDS_KEPT) {
            roundStartsWallMillis.pollFirst();
        }
    }

    void started(SyncTask task, long nowMillis) {
        startedWallMillis.put(task, wall(nowMillis));
    }

    void finished(SyncTask task, boolean ok, String currentEpoch) {
        Long from = startedWallMillis.remove(task);
        if (ok && from != null && task.epoch().equals(currentEpoch)) {
            succeededFromWallMillis.merge(pairOf(task), from, Math::max);
        }
    }

    /** Wall ms since which this node's pairs were all exchanged, or {@link TombstoneGc#NO_PROOF}. */
    long sinceWallMillis() {
        long oldest = Long.MAX_VALUE;
        for (String pair : required) {
            Long from = succeededFromWallMillis.get(pair);
            if (from == null) {
                return TombstoneGc.NO_PROOF;
            }
            oldest = Math.min(oldest, from);
        }
        Long round = roundStartsWallMillis.floor(oldest); // never later than any pair's exchange
        return round == null ? TombstoneGc.NO_PROOF : round;
    }

    /** {@link #sinceWallMillis()} as the whole second a progress word carries (rounded down: never later). */
    long sinceSeconds() {
        long since = sinceWallMillis();
        return since == TombstoneGc.NO_PROOF || since < 0 ? Progress.NOT_REPAIRED : Math.floorDiv(since, 1000);
    }

    private static String pairOf(SyncTask t) {
        return t.partition() + ":" + t.peer();
    }
}
