package dev.grapevine.core.repair;

import dev.grapevine.core.Hash64;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A hash tree over one partition's entries, for anti-entropy repair (as Dynamo and Cassandra do):
 * keys fall into {@code 2^depth} leaves by hash; a leaf's hash combines its entries' (key, version)
 * digests; an inner node's hash combines its children's. Two replicas compare roots first and
 * descend only where hashes differ, so finding d damaged leaves of L costs O(d · log(L/d)) hashes
 * instead of L, and only the entries of those leaves need to be exchanged.
 *
 * <p>Immutable. Node {@code i} has children {@code 2i+1} and {@code 2i+2}; leaves are the last
 * {@code 2^depth} nodes. Hashes are deterministic across JVMs (no {@code hashCode} of objects).
 */
public final class MerkleTree {
    /** Cassandra uses depth 15 (32,768 leaves); deeper trees cost memory for little gain. */
    public static final int DEPTH_MAX = 20;

    private final int depth;
    private final long[] nodes;

    private MerkleTree(int depth, long[] nodes) {
        this.depth = depth;
        this.nodes = nodes;
    }

    /**
     * Builds the tree of {@code entries}: key to a digest of its current value and version (any
     * 64-bit summary that changes whenever the entry does, tombstones included).
     */
    public static MerkleTree build(Map<String, Long> entries, int depth) {
        if (depth < 0 || depth > DEPTH_MAX) {
            throw new IllegalArgumentException("depth must be in 0.." + DEPTH_MAX + ", but was " + depth);
        }
        int leaves = 1 << depth;
        long[] nodes = new long[2 * leaves - 1];
        int firstLeaf = leaves - 1;
        for (Map.Entry<String, Long> e : entries.entrySet()) {
            long keyHash = hash(e.getKey());
            // Sum of mixed entry digests: order-free within a leaf, and changes when any entry does.
            nodes[firstLeaf + leafIndex(keyHash, depth)] += mix(keyHash ^ mix(e.getValue()));
        }
        for (int i = firstLeaf - 1; i >= 0; i--) {
            nodes[i] = mix(nodes[2 * i + 1] * 31 + nodes[2 * i + 2] + i);
        }
        return new MerkleTree(depth, nodes);
    }

    /**
     * Builds a tree from entries fed one at a time (a page of a store at a time, say), without holding
     * them: the leaf sums are kept at {@code depthMax}, and {@link #build(int)} folds them to any depth
     * up to it. The result equals {@link MerkleTree#build} over the same entries.
     */
    public static final class Builder {
        private final int depthMax;
        private final long[] leaves;
        private long entries;

        public Builder(int depthMax) {
            if (depthMax < 0 || depthMax > DEPTH_MAX) {
                throw new IllegalArgumentException("depth must be in 0.." + DEPTH_MAX + ", but was " + depthMax);
            }
            this.depthMax = depthMax;
            this.leaves = new long[1 << depthMax];
        }

        public Builder add(String key, long digest) {
            long keyHash = hash(key);
            leaves[leafIndex(keyHash, depthMax)] += mix(keyHash ^ mix(digest));
            entries++;
            return this;
        }

        /** How many entries were added. */
        public long entries() {
            return entries;
        }

        /** The tree at {@code depth} (at most the builder's): a leaf there sums the leaves below it here. */
        public MerkleTree build(int depth) {
            if (depth < 0 || depth > depthMax) {
                throw new IllegalArgumentException("depth must be in 0.." + depthMax + ", but was " + depth);
            }
            int count = 1 << depth;
            long[] nodes = new long[2 * count - 1];
            int firstLeaf = count - 1;
            int shift = depthMax - depth;
            for (int i = 0; i < leaves.length; i++) {
                nodes[firstLeaf + (i >>> shift)] += leaves[i];
            }
            for (int i = firstLeaf - 1; i >= 0; i--) {
                nodes[i] = mix(nodes[2 * i + 1] * 31 + nodes[2 * i + 2] + i);
            }
            return new MerkleTree(depth, nodes);
        }
    }

    /** The leaf a key falls in: the top {@code depth} bits of its hash. */
    public static int leafOf(String key, int depth) {
        return leafIndex(hash(key), depth);
    }

    private static int leafIndex(long keyHash, int depth) {
        return depth == 0 ? 0 : (int) (keyHash >>> (64 - depth));
    }

    /** The result of comparing two trees: the leaves that differ, and what finding them cost. */
    public record Difference(List<Integer> leaves, int hashesCompared) {
        public Difference {
            leaves = List.copyOf(leaves);
        }
    }

    /** Root-first comparison with {@code other} (same depth): which leaves hold different entries. */
    public Difference diff(MerkleTree other) {
        if (other.depth != depth) {
            throw new IllegalArgumentException("trees of depth " + depth + " and " + other.depth + " cannot be compared");
        }
        List<Integer> leaves = new ArrayList<>();
        int[] compared = {0};
        descend(other, 0, leaves, compared);
        return new Difference(leaves, compared[0]);
    }

    private void descend(MerkleTree other, int node, List<Integer> out, int[] compared) {
        compared[0]++;
        if (nodes[node] == other.nodes[node]) {
            return;
        }
        int firstLeaf = (1 << depth) - 1;
        if (node >= firstLeaf) {
            out.add(node - firstLeaf);
            return;
        }
        descend(other, 2 * node + 1, out, compared);
        descend(other, 2 * node + 2, out, compared);
    }

    /** The entries of {@code entries} that fall in one of {@code leaves}: what a replica sends to repair. */
    public static SortedMap<String, Long> entriesIn(SortedMap<String, Long> entries, List<Integer> leaves, int depth) {
        Set<Integer> wanted = new HashSet<>(leaves);
        SortedMap<String, Long> out = new TreeMap<>();
        entries.forEach((k, v) -> {
            if (wanted.contains(leafOf(k, depth))) {
                out.put(k, v);
            }
        });
        return out;
    }

    public long rootHash() {
        return nodes[0];
    }

    /** The hash of node {@code node} (0 is the root; see the class comment for the numbering). */
    public long hashAt(int node) {
        if (node < 0 || node >= nodes.length) {
            throw new IllegalArgumentException("node " + node + " is outside a tree of depth " + depth);
        }
        return nodes[node];
    }

    /** The number of the first leaf node: nodes at or above it are leaves. */
    public int firstLeafNode() {
        return (1 << depth) - 1;
    }

    /** A depth that gives about two leaves per entry, so a damaged leaf rarely carries a sound entry along. */
    public static int depthFor(long entries) {
        int bits = 64 - Long.numberOfLeadingZeros(Math.max(1, entries - 1));
        return Math.min(16, bits + 1);
    }

    public int depth() {
        return depth;
    }

    static long hash(String key) {
        return mix(Hash64.fnv(Hash64.FNV_OFFSET, key));
    }

    static long mix(long z) {
        return Hash64.mix(z);
    }
}
