package dev.grapevine.core.repair;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MerkleTreeTest {
    private static SortedMap<String, Long> entries(int count, long seed) {
        Random r = new Random(seed);
        SortedMap<String, Long> m = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            m.put("key-" + i, r.nextLong());
        }
        return m;
    }

    @Test
    void identicalReplicasDifferNowhereAndCostOneComparison() {
        SortedMap<String, Long> data = entries(10_000, 1);
        MerkleTree a = MerkleTree.build(data, 12);
        MerkleTree b = MerkleTree.build(new TreeMap<>(data), 12);
        MerkleTree.Difference d = a.diff(b);
        assertEquals(List.of(), d.leaves());
        assertEquals(1, d.hashesCompared(), "equal roots end the comparison");
        assertEquals(a.rootHash(), b.rootHash());
    }

    @Test
    void oneChangedEntryIsFoundInItsLeafAlongOnePath() {
        SortedMap<String, Long> data = entries(10_000, 2);
        SortedMap<String, Long> damaged = new TreeMap<>(data);
        damaged.put("key-4242", damaged.get("key-4242") + 1);
        MerkleTree.Difference d = MerkleTree.build(data, 12).diff(MerkleTree.build(damaged, 12));
        assertEquals(List.of(MerkleTree.leafOf("key-4242", 12)), d.leaves());
        assertEquals(1 + 2 * 12, d.hashesCompared(), "root, then both children at each of 12 levels");
        SortedMap<String, Long> toSend = MerkleTree.entriesIn(damaged, d.leaves(), 12);
        assertTrue(toSend.containsKey("key-4242"));
        assertTrue(toSend.size() < 10, "only that leaf's few entries travel: " + toSend.size());
    }

    @Test
    void missingAndExtraEntriesAndTombstoneVersionsAllShow() {
        SortedMap<String, Long> data = entries(1_000, 3);
        SortedMap<String, Long> other = new TreeMap<>(data);
        other.remove("key-1");
        other.put("key-new", 5L);
        MerkleTree.Difference d = MerkleTree.build(data, 8).diff(MerkleTree.build(other, 8));
        assertTrue(d.leaves().contains(MerkleTree.leafOf("key-1", 8)));
        assertTrue(d.leaves().contains(MerkleTree.leafOf("key-new", 8)));
    }

    @Test
    void onePercentDamageCostsFarFewerHashesThanLeaves() {
        SortedMap<String, Long> data = entries(100_000, 4);
        SortedMap<String, Long> damaged = new TreeMap<>(data);
        Random r = new Random(5);
        for (int i = 0; i < 1_000; i++) {
            String k = "key-" + r.nextInt(100_000);
            damaged.put(k, damaged.get(k) ^ 1);
        }
        int depth = 15;
        MerkleTree.Difference d = MerkleTree.build(data, depth).diff(MerkleTree.build(damaged, depth));
        SortedMap<String, Long> toSend = MerkleTree.entriesIn(damaged, d.leaves(), depth);
        assertTrue(d.leaves().size() <= 1_000);
        assertTrue(toSend.size() < 5 * 1_000, "sent " + toSend.size() + " entries to repair 1,000");
        assertTrue(d.hashesCompared() < 2 * (1 << depth), "compared " + d.hashesCompared());
    }

    @Test
    void treesOfDifferentDepthsAreNotCompared() {
        MerkleTree a = MerkleTree.build(entries(10, 6), 4);
        MerkleTree b = MerkleTree.build(entries(10, 6), 5);
        assertThrows(IllegalArgumentException.class, () -> a.diff(b));
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.build(entries(1, 1), 21));
    }

    @org.junit.jupiter.api.Test
    void aBuilderFedEntryByEntryBuildsTheSameTreeAtEveryDepth() {
        java.util.SortedMap<String, Long> entries = new java.util.TreeMap<>();
        for (int i = 0; i < 3000; i++) {
            entries.put("key-" + i, (long) i * 7);
        }
        MerkleTree.Builder builder = new MerkleTree.Builder(16);
        entries.forEach(builder::add);
        org.junit.jupiter.api.Assertions.assertEquals(3000, builder.entries());
        for (int depth = 0; depth <= 16; depth++) {
            MerkleTree expected = MerkleTree.build(entries, depth);
            MerkleTree built = builder.build(depth);
            for (int node = 0; node < (2 << depth) - 1; node++) {
                org.junit.jupiter.api.Assertions.assertEquals(expected.hashAt(node), built.hashAt(node), "depth " + depth + " node " + node);
            }
        }
    }
}
