package dev.grapevine.core.repair;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The initiating side of one Merkle exchange, as a step machine over the messages: it asks the peer
 * for the hashes of some nodes of its tree, compares them with its own, and asks next for the
 * children of those that differ, level by level from the root, until it knows the differing leaves.
 * Only those leaves' entries are then exchanged. A shortcut skips the descent when either side is
 * empty: then every entry travels anyway.
 *
 * <p>Both trees must have the same depth: the initiator picks it and the responder builds to it.
 */
public final class MerkleSession {
    private final MerkleTree local;
    private final long localEntries;
    private final ArrayDeque<Integer> frontier = new ArrayDeque<>();
    private final List<Integer> differingLeaves = new ArrayList<>();
    private boolean everything;
    private long hashesCompared;

    public MerkleSession(MerkleTree local, long localEntries) {
        this.local = local;
        this.localEntries = localEntries;
        frontier.add(0);
    }

    /**
     * The next nodes to ask the peer for, at most {@code maxNodes} (a bound on message size); empty
     * when the descent is over (see {@link #differingLeaves()}).
     */
    public int[] nextRequest(int maxNodes) {
        int n = Math.min(maxNodes, frontier.size());
        int[] ask = new int[n];
        for (int i = 0; i < n; i++) {
            ask[i] = frontier.pollFirst();
        }
        return ask;
    }

    /** Takes the peer's hashes of {@code nodes} and its number of entries. */
    public void onHashes(int[] nodes, long[] hashes, long remoteEntries) {
        if (nodes.length != hashes.length) {
            throw new IllegalArgumentException(nodes.length + " nodes but " + hashes.length + " hashes");
        }
        int firstLeaf = local.firstLeafNode();
        for (int i = 0; i < nodes.length && !everything; i++) {
            int node = nodes[i];
            hashesCompared++;
            if (local.hashAt(node) == hashes[i]) {
                continue;
            }
            if (node == 0 && (localEntries == 0 || remoteEntries == 0)) {
                everything = true; // one side is empty: all of the other side must travel
                frontier.clear();
            } else if (node >= firstLeaf) {
                differingLeaves.add(node - firstLeaf);
            } else {
                frontier.add(2 * node + 1);
                frontier.add(2 * node + 2);
            }
        }
    }

    /** True when no more hashes are needed. */
    public boolean isDone() {
        return frontier.isEmpty();
    }

    /** True when the trees agree: nothing to exchange. */
    public boolean inSync() {
        return isDone() && !everything && differingLeaves.isEmpty();
    }

    /** True when every entry of both sides must be exchanged (one side was empty). */
    public boolean everything() {
        return everything;
    }

    /** The leaves whose entries must be exchanged, ascending (meaningless when {@link #everything()}). */
    public List<Integer> differingLeaves() {
        List<Integer> sorted = new ArrayList<>(differingLeaves);
        Collections.sort(sorted);
        return sorted;
    }

    public long hashesCompared() {
        return hashesCompared;
    }

    public int depth() {
        return local.depth();
    }
}
