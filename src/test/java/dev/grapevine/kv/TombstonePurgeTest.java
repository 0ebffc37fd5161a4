package dev.grapevine.kv;

import dev.grapevine.core.recovery.TombstoneGc;
import dev.grapevine.spi.Recoverable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tombstone GC on one store with manual wall time: gc-grace 10 s, hint window 1 s, clocks within
 * 100 ms, so a repair proves a tombstone once it started more than 1.1 s after it.
 */
class TombstonePurgeTest {
    private static final TombstoneGc RULE = new TombstoneGc(10_000, 1_000, 100);
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private KvStore store = KvStore.open(null, 100);
    private final KvMetrics metrics = new KvMetrics();
    private final TombstonePurge purge = new TombstonePurge(store, RULE, metrics);

    @AfterEach
    void close() {
        store.close();
    }

    private static KvRecord deleteAt(long wallMillis) {
        return KvRecord.delete(Hlc.of(wallMillis, 0), "a");
    }

    @Test
    void a_tombstone_goes_only_once_it_is_old_enough_and_a_repair_after_it_completed_everywhere() {
        store.apply(3, "gone", deleteAt(T0));
        store.apply(3, "kept", KvRecord.put(Hlc.of(T0, 1), "a", "v".getBytes(StandardCharsets.UTF_8)));

        assertEquals(0, purge.pass(T0 + 60_000, 100), "old enough, but no repair proven");
        purge.repairedEverywhere(T0 + 1_000);
        assertEquals(0, purge.pass(T0 + 60_000, 100), "the repair started before the tombstone could have landed everywhere");
        purge.repairedEverywhere(T0 + 2_000);
        assertEquals(0, purge.pass(T0 + 10_000, 100), "repaired after it, but not older than gc-grace");
        assertNotNull(store.get(3, "gone"));

        assertEquals(1, purge.pass(T0 + 10_001, 100));
        assertNull(store.get(3, "gone"));
        assertNotNull(store.get(3, "kept"), "values are never purged");
        assertEquals(1L, metrics.snapshot(store).get("kv_tombstones_purged"));
    }

    @Test
    void a_withdrawn_proof_stops_purging() {
        store.apply(0, "gone", deleteAt(T0));
        purge.repairedEverywhere(T0 + 5_000);
        purge.repairedEverywhere(Recoverable.NOT_REPAIRED); // a member came back
        assertEquals(0, purge.pass(T0 + 60_000, 100));
        assertNotNull(store.get(0, "gone"));
    }

    @Test
    void a_tombstone_newer_than_the_repair_stays() {
        store.apply(0, "old", deleteAt(T0));
        store.apply(0, "new", deleteAt(T0 + 4_000));
        purge.repairedEverywhere(T0 + 3_000);
        assertEquals(1, purge.pass(T0 + 60_000, 100));
        assertNull(store.get(0, "old"));
        assertNotNull(store.get(0, "new"), "deleted after the repair began: not proven on every replica");
    }

    @Test
    void each_pass_looks_at_a_bounded_number_of_keys_and_the_next_goes_on_from_there() {
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < 10; i++) {
                store.apply(p, "k" + i, deleteAt(T0));
            }
        }
        purge.repairedEverywhere(T0 + 5_000);
        int total = 0;
        int passes = 0;
        while (store.keyCount() > 0) {
            int purged = purge.pass(T0 + 60_000, 7);
            assertTrue(purged <= 7, "a pass of 7 keys purged " + purged);
            total += purged;
            passes++;
            assertTrue(passes <= 10, "30 tombstones in passes of 7 keys");
        }
        assertEquals(30, total);
        assertEquals(30L, metrics.snapshot(store).get("kv_tombstones_purged"));
    }

    @Test
    void a_store_last_proven_longer_ago_than_gc_grace_allows_is_refused_or_dropped_or_kept_when_it_opens_again() {
        Path file = dir.resolve("kv.mv.db");
        store.close();
        store = KvStore.open(file, 100);
        assertEquals(0, TombstonePurge.checkStale(store, RULE, KvSettings.StaleReplica.REFUSE, T0, "n1"), "a new store counts as proven now");
        store.apply(1, "k", KvRecord.put(Hlc.of(T0, 0), "a", "v".getBytes(StandardCharsets.UTF_8)));
        new TombstonePurge(store, RULE, metrics).repairedEverywhere(T0 + 1_000);
        store.close();

        store = KvStore.open(file, 100);
        assertEquals(0, TombstonePurge.checkStale(store, RULE, KvSettings.StaleReplica.REFUSE, T0 + 1_000 + 8_800, "n1"),
                "back within the margin");
        assertEquals(1, store.keyCount());
        StaleReplicaException refused = org.junit.jupiter.api.Assertions.assertThrows(StaleReplicaException.class,
                () -> TombstonePurge.checkStale(store, RULE, KvSettings.StaleReplica.REFUSE, T0 + 1_000 + 8_801, "n1"));
        assertTrue(refused.getMessage().startsWith("the key-value store was last proven repaired 8 s ago, longer than "
                + "grapevine.kv.gc-grace (10 s) allows"), refused.getMessage());
        assertTrue(refused.getMessage().contains("grapevine.kv.stale-replica = drop"), refused.getMessage());
        assertEquals(1, store.keyCount(), "refusing touches nothing");

        assertEquals(0, TombstonePurge.checkStale(store, RULE, KvSettings.StaleReplica.KEEP, T0 + 1_000 + 8_801, "n1"));
        assertEquals(1, store.keyCount(), "kept, as the operator said");
        assertEquals(T0 + 1_000 + 8_801, store.repairedSinceWallMillis());
        store.close();

        store = KvStore.open(file, 100);
        assertEquals(1, TombstonePurge.checkStale(store, RULE, KvSettings.StaleReplica.DROP, T0 + 20_000, "n1"), "away too long");
        assertEquals(0, store.keyCount());
        assertEquals(T0 + 20_000, store.repairedSinceWallMillis(), "empty now, so proven as of now");
    }

    /** Otherwise a replica that has not purged a tombstone yet would copy it back to one that has. */
    @Test
    void repair_leaves_out_the_tombstones_that_may_be_purged() {
        long now = System.currentTimeMillis(); // what KvRecoverable reads
        store.apply(2, "purgeable", deleteAt(now - 60_000));
        store.apply(2, "recent", deleteAt(now - 1_000));
        store.apply(2, "value", KvRecord.put(Hlc.of(now - 60_000, 0), "a", new byte[] {1}));
        KvRecoverable recoverable = new KvRecoverable(store, purge);
        assertEquals(java.util.Set.of("purgeable", "recent", "value"), recoverable.digests(2).keySet(), "no proof yet");
        recoverable.repairedEverywhere(now - 50_000);
        assertEquals(java.util.Set.of("recent", "value"), recoverable.digests(2).keySet());
        assertEquals(java.util.List.of("recent", "value"),
                recoverable.entries(2, k -> true).stream().map(dev.grapevine.spi.RecoveryEntry::key).toList());
    }
}
