package dev.grapevine.core.repair;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExchangeResponderTest {
    static final ExchangeLimits LIMITS = ExchangeLimits.of(100, 1000);
    final ExchangeResponder responder = new ExchangeResponder("b", LIMITS);
    final VersionStore store = ExchangeInitiatorTest.store(5000);

    private ExchangeMessage answer(ExchangeMessage.Request r, ExchangeStore s, long now) {
        List<ExchangeEffect> effects = responder.onRequest("peer", r, s, now);
        assertEquals(1, effects.size());
        return assertInstanceOf(ExchangeEffect.Send.class, effects.get(0)).message();
    }

    private String refusal(ExchangeMessage.Request r, ExchangeStore s) {
        return assertInstanceOf(ExchangeMessage.Refused.class, answer(r, s, 0)).reason();
    }

    @Test
    void refusesWhatIsBeyondItsLimits() {
        assertEquals("bad tree request: depth 17, 1 nodes",
                refusal(new ExchangeMessage.TreeRequest(1, "d", 0, 17, new int[] {0}), store));
        assertEquals("bad tree request: depth 4, 4097 nodes",
                refusal(new ExchangeMessage.TreeRequest(1, "d", 0, 4, new int[4097]), store));
        assertEquals("bad tree request: node 31 is outside a tree of depth 4",
                refusal(new ExchangeMessage.TreeRequest(1, "d", 0, 4, new int[] {31}), store));
        assertEquals("bad leaves: leaf 16 is outside a tree of depth 4",
                refusal(new ExchangeMessage.Digests(1, "d", 0, 4, new int[] {16}, null), store));
        assertEquals("a pull names 1025 keys; the limit is 1024",
                refusal(new ExchangeMessage.Pull(1, "d", 0, 4, null, new String[1025], null, 100), null),
                "the key limit is checked first, domain or not");
        assertEquals("no domain d on b", refusal(new ExchangeMessage.Digests(7, "d", 0, 4, new int[] {1}, null), null));
    }

    @Test
    void dropsMalformedRequestsWithoutAReply() {
        assertInstanceOf(ExchangeEffect.Drop.class,
                responder.onRequest("peer", new ExchangeMessage.TreeRequest(1, "d", 0, 4, null), store, 0).get(0));
        assertInstanceOf(ExchangeEffect.Drop.class,
                responder.onRequest("peer", new ExchangeMessage.Push(1, null, 0, List.of()), store, 0).get(0));
        assertInstanceOf(ExchangeEffect.Drop.class, responder.onRequest("peer", null, store, 0).get(0));
    }

    @Test
    void aStoreErrorIsRefused() {
        store.failure = new IllegalStateException("disk gone");
        assertEquals("digests of d/0 failed: java.lang.IllegalStateException: disk gone",
                refusal(new ExchangeMessage.Digests(1, "d", 0, 4, new int[] {1}, null), store));
    }

    @Test
    void aRepeatedRequestGetsTheSameAnswerAndTheTreeIsBuiltOncePerSession() {
        ExchangeMessage.TreeRequest tree = new ExchangeMessage.TreeRequest(1 << 24, "d", 0, 12, new int[] {0, 1, 2});
        ExchangeMessage.TreeReply first = (ExchangeMessage.TreeReply) answer(tree, store, 0);
        long calls = store.digestCalls;
        ExchangeMessage.TreeReply again = (ExchangeMessage.TreeReply) answer(tree, store, 10);
        assertArrayEquals(first.hashes(), again.hashes());
        assertEquals(5000, again.entries());
        assertEquals(calls, store.digestCalls, "the session's tree is kept");
        answer(new ExchangeMessage.TreeRequest(1 << 24, "d", 0, 12, new int[] {3, 4}), store, 20);
        assertEquals(calls, store.digestCalls);
        assertEquals(1, responder.treesCached());
        answer(new ExchangeMessage.TreeRequest(2 << 24, "d", 0, 12, new int[] {0}), store, 20 + LIMITS.treeIdleMillis() + 1);
        assertEquals(1, responder.treesCached(), "the idle tree is forgotten");

        ExchangeMessage.Digests digests = new ExchangeMessage.Digests(5, "d", 0, 4, new int[] {0, 3, 9}, "key-2");
        ExchangeMessage.DigestsReply d1 = (ExchangeMessage.DigestsReply) answer(digests, store, 30);
        ExchangeMessage.DigestsReply d2 = (ExchangeMessage.DigestsReply) answer(digests, store, 31);
        assertArrayEquals(d1.keys(), d2.keys());
        assertArrayEquals(d1.digests(), d2.digests());

        ExchangeMessage.Pull pull = new ExchangeMessage.Pull(6, "d", 0, 4, null, new String[] {"key-1", "key-2", "nope"}, null, 1000);
        assertEquals(((ExchangeMessage.PullReply) answer(pull, store, 32)).entries(), ((ExchangeMessage.PullReply) answer(pull, store, 33)).entries());

        ExchangeMessage.Push push = new ExchangeMessage.Push(7, "d", 0, List.of(store.entry("new", 3)));
        assertEquals(new ExchangeMessage.PushAck(7, 1), answer(push, store, 34));
        assertEquals(new ExchangeMessage.PushAck(7, 0), answer(push, store, 35), "merged again, nothing changes");
    }

    @Test
    void treesCachedAreBounded() {
        for (int s = 1; s <= 40; s++) {
            answer(new ExchangeMessage.TreeRequest((long) s << 24, "d", 0, 4, new int[] {0}), store, s);
        }
        assertEquals(LIMITS.treesCachedMax(), responder.treesCached());
    }

    @Test
    void digestsArePagedFromTheKeyAskedForNotFromTheStart() {
        int[] all = new int[16];
        for (int i = 0; i < 16; i++) {
            all[i] = i;
        }
        ExchangeMessage.DigestsReply first = (ExchangeMessage.DigestsReply) answer(new ExchangeMessage.Digests(1, "d", 0, 4, all, null), store, 0);
        assertEquals(1024, first.keys().length);
        assertEquals(first.keys()[1023], first.resumeAfter());
        long read = store.digestsRead;
        String after = first.resumeAfter();
        int pages = 1;
        while (after != null) {
            ExchangeMessage.DigestsReply page = (ExchangeMessage.DigestsReply) answer(new ExchangeMessage.Digests(1, "d", 0, 4, all, after), store, 0);
            assertTrue(page.keys().length == 0 || page.keys()[0].compareTo(after) > 0);
            after = page.resumeAfter();
            pages++;
        }
        assertEquals(5, pages);
        assertTrue(store.digestsRead - read < 5000 + 4 * ExchangeInitiator.SCAN_PAGE, "read " + (store.digestsRead - read) + " digests");
    }

    @Test
    void aPullPageIsBoundedByTheSmallerOfBothChunkSizesButHoldsOneEntry() {
        String[] keys = {"key-1", "key-10", "key-100", "key-1000"};
        ExchangeMessage.PullReply page = (ExchangeMessage.PullReply) answer(new ExchangeMessage.Pull(1, "d", 0, 4, null, keys, null, 30), store, 0);
        assertEquals(2, page.entries().size(), "key-1 is 13 bytes, key-10 14: 27 of 30");
        assertEquals("key-10", page.resumeAfter());
        ExchangeMessage.PullReply rest = (ExchangeMessage.PullReply) answer(new ExchangeMessage.Pull(1, "d", 0, 4, null, keys, "key-10", 10_000), store, 0);
        assertEquals(2, rest.entries().size(), "the responder's own 100 bytes bound it too, but both fit");
        assertNull(rest.resumeAfter());
        ExchangeMessage.PullReply one = (ExchangeMessage.PullReply) answer(new ExchangeMessage.Pull(1, "d", 0, 4, null, keys, null, 1), store, 0);
        assertEquals(1, one.entries().size());
        ExchangeMessage.PullReply all = (ExchangeMessage.PullReply) answer(new ExchangeMessage.Pull(1, "d", 0, 4, null, null, "key-499", 100), store, 0);
        assertEquals("key-4990", all.entries().get(0).key());
        assertEquals(all.entries().get(all.entries().size() - 1).key(), all.resumeAfter());
    }

    @Test
    void aPullByLeavesSendsTheEntriesOfThoseLeaves() {
        int depth = 6;
        int leaf = MerkleTree.leafOf("key-42", depth);
        List<String> expected = store.versions.keySet().stream().filter(k -> MerkleTree.leafOf(k, depth) == leaf).toList();
        ExchangeMessage.PullReply page = (ExchangeMessage.PullReply) new ExchangeResponder("b", ExchangeLimits.of(1 << 20, 1000))
                .onRequest("p", new ExchangeMessage.Pull(1, "d", 0, depth, new int[] {leaf}, null, null, 1 << 20), store, 0)
                .stream().map(e -> ((ExchangeEffect.Send) e).message()).findFirst().orElseThrow();
        assertEquals(expected, page.entries().stream().map(ExchangeEntry::key).toList());
        assertNull(page.resumeAfter());
    }
}
