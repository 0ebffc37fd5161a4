package dev.grapevine.kv;

import dev.grapevine.core.recovery.TombstoneGc;
import dev.grapevine.log.GrapevineLogs;
import dev.grapevine.spi.Recoverable;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.SortedSet;
import java.util.function.LongSupplier;

/**
 * Tombstone garbage collection on one node: a background pass, bounded to {@link #KEYS_PER_PASS}
 * keys, that removes the tombstones {@link TombstoneGc} allows: older than {@code gc-grace}, and
 * covered by a repair proven complete everywhere ({@link Recoverable#repairedEverywhere}, which
 * recovery calls through {@link KvRecoverable}). Passes walk the partitions in turn from where the
 * last one stopped, so a large store is covered over several passes and none takes long.
 *
 * <p><b>Racing a member's return.</b> Recovery withdraws the proof as soon as the live members
 * change, before any exchange with a member that comes back can start (exchanges wait for
 * {@code stable-after}, and a peer answers only members it sees live). The proof is read again before
 * each partition, so a pass in progress stops purging within one partition's slice of a pass.
 *
 * <p><b>Rejoining.</b> The store records the latest proof it was told; a node whose last proof is
 * too old ({@link TombstoneGc#staleAfterRejoin}) refuses to start, or drops its data, or keeps it, as
 * {@code grapevine.kv.stale-replica} says ({@link #checkStale}).
 */
final class TombstonePurge {
    /** Keys looked at per pass, across partitions: bounds the time a pass holds the node's thread. */
    static final int KEYS_PER_PASS = 4096;
    /** Longest time between passes: a large store is covered in {@code keys / 4096} minutes at most. */
    static final Duration PASS_EVERY_MAX = Duration.ofMinutes(1);
    /** Shortest time between passes (tests run with a gc-grace of seconds). */
    static final Duration PASS_EVERY_MIN = Duration.ofMillis(100);

    private static final Logger LOG = GrapevineLogs.logger(GrapevineLogs.KV);

    private final KvStore store;
    private final TombstoneGc rule;
    private final KvMetrics metrics;
    private volatile long repairedSinceWallMillis = Recoverable.NOT_REPAIRED;
    /** Where the next pass goes on. */
    private int partition;
    private String fromKey;

    TombstonePurge(KvStore store, TombstoneGc rule, KvMetrics metrics) {
        this.store = store;
        this.rule = rule;
        this.metrics = metrics;
    }

    /** Recovery's proof ({@link Recoverable#NOT_REPAIRED}: withdrawn); recorded in the store for {@link #dropIfStale}. */
    void repairedEverywhere(long sinceWallMillis) {
        repairedSinceWallMillis = sinceWallMillis;
        if (sinceWallMillis != Recoverable.NOT_REPAIRED) {
            store.recordRepairedSince(sinceWallMillis);
        }
    }

    /**
     * Tombstones stamped before this may be purged at {@code nowWallMillis} (0: none). Repair leaves
     * them out of what it offers, as Cassandra's validation compaction does: otherwise a replica that
     * has not purged one yet would copy it back to one that has, and the two would trade it for ever.
     */
    long purgeBeforeHlc(long nowWallMillis) {
        long before = rule.purgeBeforeWallMillis(repairedSinceWallMillis, nowWallMillis);
        return before <= 0 ? 0 : Hlc.of(Math.min(before, Hlc.PHYSICAL_MILLIS_MAX), 0);
    }

    /** Time between passes: a tenth of gc-grace, within 100 ms..1 min. */
    static Duration passEvery(Duration gcGrace) {
        Duration tenth = gcGrace.dividedBy(10);
        return tenth.compareTo(PASS_EVERY_MIN) < 0 ? PASS_EVERY_MIN : tenth.compareTo(PASS_EVERY_MAX) > 0 ? PASS_EVERY_MAX : tenth;
    }

    /**
     * One pass at wall time {@code nowWallMillis}: looks at up to {@code keysMax} keys from where the
     * last pass stopped and removes the tombstones the rule allows; returns how many it removed.
     */
    int pass(long nowWallMillis, int keysMax) {
        SortedSet<Integer> partitions = store.partitions();
        int budget = keysMax;
        int purged = 0;
        int visited = 0;
        while (budget > 0 && !partitions.isEmpty() && visited < partitions.size()) {
            SortedSet<Integer> rest = partitions.tailSet(partition);
            if (rest.isEmpty()) { // past the last: start over
                partition = partitions.first();
                fromKey = null;
                rest = partitions;
            }
            int p = rest.first();
            if (p != partition) {
                partition = p;
                fromKey = null;
            }
            long beforeHlc = purgeBeforeHlc(nowWallMillis); // read again each partition: the proof may be withdrawn
            if (beforeHlc == 0) {
                break;
            }
            KvStore.Purged done = store.purgeTombstones(p, fromKey, budget, beforeHlc);
            purged += done.purged();
            budget -= Math.max(1, done.scanned());
            fromKey = done.nextKey();
            if (fromKey == null) {
                partition = p + 1;
                visited++;
            }
        }
        if (purged > 0) {
            store.commit();
            metrics.tombstonesPurged.add(purged);
        }
        return purged;
    }

    /**
     * Checks a store that opens: one whose last repair proof is too old may hold values whose
     * tombstones the other replicas purged, and offering them to repair would bring deleted keys
     * back. Then, by {@code mode}: refuses (throws, leaving the store as it was), drops every partition,
     * or keeps them (with a WARN line). A store with no proof recorded (new, or written by a version
     * without tombstone GC, which never purged) counts as proven now. Returns the keys dropped.
     *
     * @throws StaleReplicaException with {@code REFUSE}, naming the age, the limit and the choices
     */
    static long checkStale(KvStore store, TombstoneGc rule, KvSettings.StaleReplica mode, long nowWallMillis, String node) {
        long last = store.repairedSinceWallMillis();
        if (last == Long.MIN_VALUE) {
            store.recordRepairedSince(nowWallMillis);
            store.commit();
            return 0;
        }
        if (!rule.staleAfterRejoin(last, nowWallMillis) || store.keyCount() == 0) {
            return 0;
        }
        long ageSeconds = (nowWallMillis - last) / 1000;
        if (mode == KvSettings.StaleReplica.REFUSE) {
            throw new StaleReplicaException("the key-value store was last proven repaired " + ageSeconds + " s ago, longer than"
                    + " grapevine.kv.gc-grace (" + rule.gcGraceMillis() / 1000 + " s) allows: it may hold keys deleted since, whose"
                    + " tombstones the other replicas purged. Set grapevine.kv.stale-replica = drop to start without its data (the"
                    + " other owners copy it back), or = keep if the whole cluster was stopped");
        }
        if (mode == KvSettings.StaleReplica.KEEP) {
            store.recordRepairedSince(nowWallMillis);
            store.commit();
            GrapevineLogs.asNode(node, () -> LOG.warn("the key-value store was last proven repaired {} s ago, longer than "
                    + "gc-grace allows; kept as grapevine.kv.stale-replica = keep says", ageSeconds));
            return 0;
        }
        long keys = store.keyCount();
        SortedSet<Integer> partitions = store.partitions();
        for (int p : partitions) {
            store.drop(p);
        }
        store.recordRepairedSince(nowWallMillis); // empty now, so nothing it holds predates a purge
        store.commit();
        GrapevineLogs.asNode(node, () -> LOG.warn("the key-value store was last proven repaired {} s ago, longer than "
                        + "gc-grace ({} s) allows: its {} keys in {} partitions were dropped, since they may include deleted keys "
                        + "whose tombstones the other replicas purged; recovery copies the data back from the other owners",
                ageSeconds, rule.gcGraceMillis() / 1000, keys, partitions.size()));
        return keys;
    }

    enum Pass { INSTANCE }

    /** A pass every {@link #passEvery}, at the wall time {@code wallMillis} gives. */
    static Behavior<Pass> behavior(TombstonePurge purge, Duration every, LongSupplier wallMillis, String node) {
        return Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Pass.INSTANCE, every);
            return Behaviors.receiveMessage(m -> {
                try {
                    purge.pass(wallMillis.getAsLong(), KEYS_PER_PASS);
                } catch (KvStore.Unwritable e) {
                    GrapevineLogs.asNode(node, () -> LOG.debug("tombstone purge skipped: {}", e.getMessage()));
                } catch (RuntimeException e) { // a record that does not decode, say: the next pass goes on
                    GrapevineLogs.asNode(node, () -> LOG.warn("tombstone purge pass failed: {}", e.toString()));
                }
                return Behaviors.same();
            });
        });
    }
}
