package dev.grapevine.core.repair;

import org.junit.jupiter.api.Test;

import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MerkleSessionTest {

    private static SortedMap<String, Long> entries(int count) {
        SortedMap<String, Long> m = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            m.put("key-" + i, (long) i);
        }
        return m;
    }

    /** Runs the exchange as the two actors would, three nodes a request: the responder answers from its tree. */
    private static MerkleSession run(SortedMap<String, Long> mine, SortedMap<String, Long> theirs) {
        int depth = MerkleTree.depthFor(mine.size());
        MerkleTree local = MerkleTree.build(mine, depth);
        MerkleTree remote = MerkleTree.build(theirs, depth);
        MerkleSession session = new MerkleSession(local, mine.size());
        for (int[] ask = session.nextRequest(3); ask.length > 0; ask = session.nextRequest(3)) {
            long[] hashes = new long[ask.length];
            for (int i = 0; i < ask.length; i++) {
                hashes[i] = remote.hashAt(ask[i]);
            }
            session.onHashes(ask, hashes, theirs.size());
        }
        return session;
    }

    @Test
    void equalTreesAgreeAtTheRoot() {
        MerkleSession s = run(entries(1000), entries(1000));
        assertTrue(s.inSync());
        assertEquals(1, s.hashesCompared());
    }

    @Test
    void finds_the_same_leaves_as_a_local_diff() {
        SortedMap<String, Long> mine = entries(2000);
        SortedMap<String, Long> theirs = entries(2000);
        theirs.put("key-17", 99L);
        theirs.remove("key-1234");
        theirs.put("extra", 1L);
        MerkleSession s = run(mine, theirs);
        int depth = s.depth();
        assertEquals(MerkleTree.build(mine, depth).diff(MerkleTree.build(theirs, depth)).leaves(), s.differingLeaves());
        assertTrue(s.differingLeaves().contains(MerkleTree.leafOf("key-17", depth)));
        assertTrue(s.differingLeaves().contains(MerkleTree.leafOf("key-1234", depth)));
        assertTrue(s.differingLeaves().contains(MerkleTree.leafOf("extra", depth)));
        assertFalse(s.everything());
    }

    @Test
    void an_empty_side_exchanges_everything_without_descending() {
        MerkleSession pulling = run(new TreeMap<>(), entries(500));
        assertTrue(pulling.everything());
        assertEquals(1, pulling.hashesCompared());
        MerkleSession pushing = run(entries(500), new TreeMap<>());
        assertTrue(pushing.everything());
    }

    @Test
    void depth_gives_about_two_leaves_per_entry() {
        assertEquals(2, MerkleTree.depthFor(0));
        assertEquals(2, MerkleTree.depthFor(1));
        assertEquals(12, MerkleTree.depthFor(2000)); // 2048 > 2000 entries: 4096 leaves
        assertEquals(16, MerkleTree.depthFor(10_000_000));
    }
}
