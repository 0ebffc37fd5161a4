package dev.grapevine.kv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KvStoreTest {

    @TempDir
    Path dir;

    private static KvRecord put(long hlc, String value) {
        return KvRecord.put(hlc, "n1", value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void applyKeepsTheNewestVersionWhateverTheOrder() {
        try (KvStore store = KvStore.open(null, 10)) {
            assertTrue(store.apply(0, "k", put(2, "two")));
            assertFalse(store.apply(0, "k", put(1, "one")));   // older: ignored
            assertFalse(store.apply(0, "k", put(2, "two")));   // the same again: no change
            assertEquals(put(2, "two"), store.get(0, "k"));
            assertTrue(store.apply(0, "k", KvRecord.delete(3, "n1")));
            assertFalse(store.apply(0, "k", put(2, "two")));   // the tombstone holds
            assertEquals(KvRecord.delete(3, "n1"), store.get(0, "k"));
            assertNull(store.get(0, "other"));
            assertNull(store.get(7, "k"));                      // partitions are separate
        }
    }

    @Test
    void committedWritesSurviveCloseAndReopen() {
        Path file = dir.resolve("data/kv.mv.db");
        try (KvStore store = KvStore.open(file, 10)) {
            store.apply(3, "a", put(1, "alpha"));
            store.apply(5, "b", KvRecord.delete(2, "n2"));
            store.commit();
        }
        try (KvStore store = KvStore.open(file, 10)) {
            assertEquals(put(1, "alpha"), store.get(3, "a"));
            assertEquals(KvRecord.delete(2, "n2"), store.get(5, "b"));
            assertEquals(Set.of(3, 5), store.partitions());
        }
    }

    @Test
    void onlyCommittedWritesSurviveACrash() {
        Path file = dir.resolve("kv.mv.db");
        KvStore store = KvStore.open(file, 10);
        store.apply(0, "committed", put(1, "yes"));
        store.commit();
        store.apply(0, "uncommitted", put(2, "no"));
        store.closeWithoutCommit();
        try (KvStore reopened = KvStore.open(file, 10)) {
            assertEquals(put(1, "yes"), reopened.get(0, "committed"));
            assertNull(reopened.get(0, "uncommitted"));
        }
    }

    @Test
    void digestsEntriesCountsAndPartitions() {
        try (KvStore store = KvStore.open(null, 10)) {
            assertEquals(Set.of(), store.partitions());
            store.apply(4, "b", put(1, "x"));
            store.apply(4, "a", KvRecord.delete(2, "n1"));
            store.apply(4, "c", put(3, "y"));
            store.apply(9, "z", put(1, "z"));
            assertEquals(Map.of("a", KvRecord.delete(2, "n1").digest(), "b", put(1, "x").digest(),
                    "c", put(3, "y").digest()), store.digests(4));
            assertEquals(List.of("a", "b", "c"), store.digests(4).keySet().stream().toList());
            assertEquals(List.of(new KvStore.Entry("a", KvRecord.delete(2, "n1")), new KvStore.Entry("c", put(3, "y"))),
                    store.entries(4, k -> !k.equals("b")));
            assertEquals(3, store.count(4));
            assertEquals(0, store.count(5));
            assertEquals(List.of(), store.entries(5, k -> true));
            assertEquals(Set.of(4, 9), store.partitions());
        }
    }

    @Test
    void dropRemovesAPartitionAndItStaysGoneAfterReopen() {
        Path file = dir.resolve("kv.mv.db");
        try (KvStore store = KvStore.open(file, 10)) {
            store.apply(1, "a", put(1, "x"));
            store.apply(2, "b", put(1, "y"));
            store.commit();
            store.drop(1);
            store.drop(77); // never existed: no-op
            assertNull(store.get(1, "a"));
            assertEquals(0, store.count(1));
            assertEquals(Set.of(2), store.partitions());
            assertTrue(store.apply(1, "a", put(0, "again"))); // a dropped partition starts empty
            store.drop(1);
        }
        try (KvStore store = KvStore.open(file, 10)) {
            assertEquals(Set.of(2), store.partitions());
        }
    }

    @Test
    void hintsAreBoundedOldestFirstRemovableAndPersisted() {
        Path file = dir.resolve("kv.mv.db");
        List<KvStore.Hint> forB;
        try (KvStore store = KvStore.open(file, 3)) {
            assertTrue(store.addHint("node-b", 1, "k1", put(1, "v1")));
            assertTrue(store.addHint("node-a", 2, "k2", put(2, "v2")));
            assertTrue(store.addHint("node-b", 3, "k3", KvRecord.delete(3, "n1")));
            assertFalse(store.addHint("node-c", 4, "k4", put(4, "v4"))); // full: refused and counted
            assertEquals(1, store.hintsDropped());
            assertEquals(3, store.hintCount());
            assertEquals(Set.of("node-a", "node-b"), store.hintTargets());

            forB = store.hintsFor("node-b", 10);
            assertEquals(List.of("k1", "k3"), forB.stream().map(KvStore.Hint::key).toList());
            assertEquals(new KvStore.Hint(forB.get(0).id(), "node-b", 1, "k1", put(1, "v1")), forB.get(0));
            assertEquals(1, store.hintsFor("node-b", 1).size());
            assertEquals(List.of(), store.hintsFor("node-bb", 10)); // a prefix is not a target
            store.commit();
        }
        try (KvStore store = KvStore.open(file, 3)) {
            assertEquals(forB, store.hintsFor("node-b", 10));
            store.removeHints(forB.subList(0, 1));
            assertEquals(forB.subList(1, 2), store.hintsFor("node-b", 10));
            assertTrue(store.addHint("node-b", 5, "k5", put(5, "v5"))); // room again; sorts after k3
            assertEquals(List.of("k3", "k5"), store.hintsFor("node-b", 10).stream().map(KvStore.Hint::key).toList());
            store.removeHints(store.hintsFor("node-b", 10));
            assertEquals(Set.of("node-a"), store.hintTargets());
            assertEquals(1, store.hintCount());
        }
    }

    /**
     * Each round, every thread waits at a barrier and then applies a random version of the round's
     * key, so the writers really collide; a read-then-write apply loses the newest version here.
     */
    @Test
    void concurrentAppliesKeepTheHighestVersionOfEachKey() throws Exception {
        int threads = 4;
        int rounds = 3_000;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (KvStore store = KvStore.open(dir.resolve("kv.mv.db"), 0)) {
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String writer = "w" + t;
                SplittableRandom rng = new SplittableRandom(t);
                results.add(pool.submit(() -> {
                    long[] hlcs = new long[rounds];
                    for (int round = 0; round < rounds; round++) {
                        hlcs[round] = rng.nextLong(1_000_000);
                        start.await(60, TimeUnit.SECONDS);
                        store.apply(round % 7, "key-" + round, KvRecord.put(hlcs[round], writer, new byte[8]));
                    }
                    return hlcs;
                }));
            }
            long[] expected = new long[rounds];
            for (Future<long[]> f : results) {
                long[] hlcs = f.get(60, TimeUnit.SECONDS);
                for (int round = 0; round < rounds; round++) {
                    expected[round] = Math.max(expected[round], hlcs[round]);
                }
            }
            for (int round = 0; round < rounds; round++) {
                assertEquals(expected[round], store.get(round % 7, "key-" + round).hlc(), "key-" + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsBadInputWithAClearMessage() {
        try (KvStore store = KvStore.open(null, 1)) {
            KvRecord r = put(1, "x");
            assertThrows(IllegalArgumentException.class, () -> KvStore.open(null, -1));
            assertThrows(IllegalArgumentException.class, () -> store.apply(-1, "k", r));
            assertThrows(IllegalArgumentException.class, () -> store.apply(KvStore.PARTITION_MAX + 1, "k", r));
            assertThrows(IllegalArgumentException.class, () -> store.apply(0, "", r));
            assertThrows(IllegalArgumentException.class, () -> store.apply(0, "k", null));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> store.apply(0, "k".repeat(KvStore.KEY_BYTES_MAX + 1), r));
            assertEquals("key must be at most 1024 UTF-8 bytes, but was 1025", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> store.addHint("a\0b", 0, "k", r));
            assertThrows(IllegalArgumentException.class, () -> store.hintsFor("a", -1));
        }
    }

    @Test
    void removeIfUnchangedKeepsWhatWasWrittenSince() {
        try (KvStore store = KvStore.open(null, 10)) {
            store.apply(3, "a", KvRecord.put(1, "w", new byte[] {1}));
            store.apply(3, "b", KvRecord.put(1, "w", new byte[] {2}));
            java.util.SortedMap<String, Long> delivered = store.digests(3);
            store.apply(3, "b", KvRecord.put(2, "w", new byte[] {3})); // a late write, after the hand-off began
            assertEquals(1, store.removeIfUnchanged(3, delivered));
            assertNull(store.get(3, "a"));
            assertEquals(2, store.get(3, "b").hlc());
            assertEquals(1, store.removeIfUnchanged(3, store.digests(3)));
            assertFalse(store.partitions().contains(3), "an emptied partition goes");
        }
    }
}
