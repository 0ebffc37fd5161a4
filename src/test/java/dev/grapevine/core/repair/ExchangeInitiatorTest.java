package dev.grapevine.core.repair;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExchangeInitiatorTest {
    static final long ID = ExchangeInitiator.exchangeIdFrom(0x5EED_0000_0000L);
    static final ExchangeLimits LIMITS = ExchangeLimits.of(64 * 1024, 100);

    static VersionStore store(int keys) {
        VersionStore s = new VersionStore();
        for (int i = 0; i < keys; i++) {
            s.versions.put("key-" + i, 1L);
        }
        return s;
    }

    static ExchangeInitiator initiator(VersionStore local, ExchangeLimits limits) {
        return new ExchangeInitiator(ID, "versions", 3, local, limits);
    }

    static ExchangeResponder responder(ExchangeLimits limits) {
        return new ExchangeResponder("b", limits);
    }

    @Test
    void storesThatAgreeStopAtTheRoot() {
        VersionStore a = store(1000);
        VersionStore b = store(1000);
        ExchangeInitiator i = initiator(a, LIMITS);
        ExchangeLoop loop = ExchangeLoop.reliable();
        assertEquals(new ExchangeEffect.Done(true, null), loop.run(i, responder(LIMITS), b));
        assertEquals(1, loop.sent.size() / 2, "one request and its reply");
        assertTrue(i.stats().inSync());
        assertEquals(0, i.stats().entriesSent() + i.stats().entriesReceived());
    }

    @Test
    void onlyDifferingEntriesTravelMissingOnesOnceDifferingOnesBothWays() {
        VersionStore a = store(2000);
        VersionStore b = store(2000);
        for (int i = 0; i < 2000; i += 200) {
            b.versions.remove("key-" + i); // 10 missing on b
        }
        for (int i = 1; i < 2000; i += 300) {
            b.versions.put("key-" + i, 0L); // 7 older on b
        }
        b.versions.put("only-on-b", 5L);
        ExchangeInitiator i = initiator(a, LIMITS);
        assertTrue(ExchangeLoop.reliable().run(i, responder(LIMITS), b).ok());
        assertEquals(a.versions, b.versions);
        assertEquals(10 + 7, i.stats().entriesSent(), "missing on b, and differing");
        assertEquals(7 + 1, i.stats().entriesReceived(), "differing, and missing on a");
        assertEquals(10 + 7 + 1, i.stats().entriesApplied(), "the older copies pulled change nothing");
        assertFalse(i.stats().inSync());
    }

    @Test
    void anEmptySideGetsEverythingWithoutDigests() {
        VersionStore empty = new VersionStore();
        VersionStore full = store(500);
        ExchangeLoop loop = ExchangeLoop.reliable();
        ExchangeInitiator i = initiator(empty, LIMITS);
        assertTrue(loop.run(i, responder(LIMITS), full).ok());
        assertEquals(full.versions, empty.versions);
        assertEquals(0, loop.sentOf(ExchangeMessage.Digests.class));
        assertEquals(0, loop.sentOf(ExchangeMessage.Push.class), "nothing to push from the empty side");
        assertEquals(500, i.stats().entriesReceived());

        VersionStore empty2 = new VersionStore();
        ExchangeLoop loop2 = ExchangeLoop.reliable();
        ExchangeInitiator i2 = initiator(store(500), LIMITS);
        assertTrue(loop2.run(i2, responder(LIMITS), empty2).ok());
        assertEquals(500, empty2.versions.size());
        assertEquals(0, loop2.sentOf(ExchangeMessage.Digests.class));
        assertEquals(0, loop2.sentOf(ExchangeMessage.Pull.class), "nothing to pull from the empty side");
        assertEquals(500, i2.stats().entriesSent());
    }

    @Test
    void twoEmptySidesAgree() {
        ExchangeInitiator i = initiator(new VersionStore(), LIMITS);
        assertTrue(ExchangeLoop.reliable().run(i, responder(LIMITS), new VersionStore()).ok());
        assertTrue(i.stats().inSync());
    }

    @Test
    void digestsAndPullsArePagedAndPushesChunkedWithOneRequestInFlight() {
        ExchangeLimits small = new ExchangeLimits(3, 8, 100, 16, 100, 2, 4, 1000);
        VersionStore a = new VersionStore(30);
        VersionStore b = new VersionStore(30);
        for (int i = 0; i < 3000; i++) {
            a.versions.put("key-" + i, 1L);
            b.versions.put("key-" + i, i % 37 == 0 ? 2L : 1L); // newer on b
            if (i % 41 == 0) {
                a.versions.put("a-" + i, 1L);
            }
        }
        ExchangeLoop loop = ExchangeLoop.reliable();
        ExchangeInitiator i = initiator(a, small);
        assertTrue(loop.run(i, responder(small), b).ok());
        assertEquals(a.versions, b.versions);
        assertEquals(1, loop.maxOutstandingRequests);
        assertTrue(loop.sentOf(ExchangeMessage.Digests.class) > 3, "digests in pages of 8");
        for (ExchangeMessage m : loop.sent) {
            if (m instanceof ExchangeMessage.TreeRequest t) {
                assertTrue(t.nodes().length <= 3);
            } else if (m instanceof ExchangeMessage.DigestsReply d) {
                assertTrue(d.keys().length <= 8);
            } else if (m instanceof ExchangeMessage.Push p) {
                assertTrue(p.entries().size() == 1 || p.entries().stream().mapToInt(ExchangeEntry::sizeBytes).sum() <= 100);
            } else if (m instanceof ExchangeMessage.Pull p) {
                assertTrue(p.keys().length <= 8);
            } else if (m instanceof ExchangeMessage.PullReply p) {
                assertTrue(p.entries().size() == 1 || p.entries().stream().mapToInt(ExchangeEntry::sizeBytes).sum() <= 100);
            }
        }
        long differing = 3000 / 37 + 1 + 3000 / 41 + 1;
        assertEquals(differing, i.stats().entriesSent());
        assertEquals(3000 / 37 + 1, i.stats().entriesReceived());
    }

    @Test
    void aSideDenserInTheDifferingLeavesSplitsTheRound() {
        ExchangeLimits small = new ExchangeLimits(4096, 4, 1000, 16, 100, 2, 4, 1000);
        VersionStore a = store(200);
        VersionStore b = store(200);
        for (int i = 0; i < 100; i++) {
            a.versions.put("extra-" + i, 1L);
        }
        ExchangeLoop loop = ExchangeLoop.reliable();
        ExchangeInitiator i = initiator(a, small);
        assertTrue(loop.run(i, responder(small), b).ok());
        assertEquals(a.versions, b.versions);
        assertEquals(100, i.stats().entriesSent());
        assertEquals(0, i.stats().entriesReceived());
    }

    @Test
    void aLostRequestIsSentAgainAsItWasAndTheExchangeResumesThere() {
        VersionStore a = store(300);
        VersionStore b = store(300);
        b.versions.put("key-7", 2L);
        ExchangeResponder r = responder(LIMITS);
        ExchangeInitiator i = initiator(a, LIMITS);
        ExchangeMessage tree = send(i.start(0));
        long now = 0;
        ExchangeMessage request = tree;
        while (request instanceof ExchangeMessage.TreeRequest) {
            request = send(i.onMessage(reply(r, request, b, now), now));
        }
        ExchangeMessage.Digests digests = assertInstanceOf(ExchangeMessage.Digests.class, request);
        assertEquals(100, i.wakeAtMillis());
        assertEquals(List.of(), i.onTime(99), "not yet");
        // The digests request is lost: at its deadline it goes again, the very same request.
        ExchangeMessage again = send(i.onTime(100));
        assertSame(digests, again);
        assertEquals(200, i.wakeAtMillis());
        ExchangeMessage push = send(i.onMessage(reply(r, again, b, 150), 150));
        assertInstanceOf(ExchangeMessage.Push.class, push, "resumed after the digests, not from the root");
        ExchangeMessage next = send(i.onMessage(reply(r, push, b, 150), 150));
        assertInstanceOf(ExchangeMessage.Pull.class, next);
        ExchangeMessage.PullReply pulled = (ExchangeMessage.PullReply) reply(r, next, b, 151);
        List<ExchangeEffect> end = i.onMessage(pulled, 151);
        assertEquals(List.of(new ExchangeEffect.Done(true, null)), end);
        assertEquals(1, i.stats().resends());
        assertEquals(2L, a.versions.get("key-7"));
        assertEquals(List.of(), i.onMessage(pulled, 152), "a duplicate after the end changes nothing");
    }

    @Test
    void aDuplicatedOrLateReplyIsIgnored() {
        VersionStore a = store(300);
        VersionStore b = store(300);
        a.versions.put("key-9", 2L);
        a.versions.put("key-10", 2L);
        ExchangeLimits oneEntryChunks = ExchangeLimits.of(1, 100);
        ExchangeResponder r = responder(oneEntryChunks);
        ExchangeInitiator i = initiator(a, oneEntryChunks);
        ExchangeMessage request = send(i.start(0));
        while (!(request instanceof ExchangeMessage.Push)) {
            request = send(i.onMessage(reply(r, request, b, 1), 1));
        }
        ExchangeMessage ack = reply(r, request, b, 2);
        ExchangeMessage secondPush = send(i.onMessage(ack, 2));
        assertInstanceOf(ExchangeMessage.Push.class, secondPush);
        assertEquals(List.of(), i.onMessage(ack, 3), "the first push's ack again must not count for the second");
        assertEquals(1, i.stats().staleReplies());
        assertEquals(List.of(), i.onMessage(new ExchangeMessage.PushAck(ID + 999, 1), 3), "another session's");
        assertEquals(2, i.stats().staleReplies());
        ExchangeMessage pullOrEnd;
        List<ExchangeEffect> effects = i.onMessage(reply(r, secondPush, b, 4), 4);
        pullOrEnd = effects.get(0) instanceof ExchangeEffect.Send s ? s.message() : null;
        assertInstanceOf(ExchangeMessage.Pull.class, pullOrEnd);
        ExchangeMessage pull2 = send(i.onMessage(reply(r, pullOrEnd, b, 5), 5));
        assertInstanceOf(ExchangeMessage.Pull.class, pull2, "one entry a page");
        assertEquals(List.of(new ExchangeEffect.Done(true, null)), i.onMessage(reply(r, pull2, b, 6), 6));
        assertEquals(a.versions, b.versions);
    }

    @Test
    void afterItsResendsTheExchangeFails() {
        ExchangeInitiator i = initiator(store(10), LIMITS);
        send(i.start(0));
        send(i.onTime(100));
        send(i.onTime(200));
        List<ExchangeEffect> end = i.onTime(300);
        assertEquals(List.of(new ExchangeEffect.Done(false, "no answer within 100 ms to a tree request (3 tries)")), end);
        assertTrue(i.isDone());
        assertEquals(Long.MAX_VALUE, i.wakeAtMillis());
        assertEquals(List.of(), i.onTime(1000));
    }

    @Test
    void aRefusalFailsTheExchange() {
        ExchangeInitiator i = initiator(store(10), LIMITS);
        ExchangeMessage tree = send(i.start(0));
        List<ExchangeEffect> end = new ExchangeResponder("b", LIMITS).onRequest("x", (ExchangeMessage.Request) tree, null, 0);
        ExchangeMessage refused = ((ExchangeEffect.Send) end.get(0)).message();
        assertEquals(List.of(new ExchangeEffect.Done(false, "refused: no domain versions on b")), i.onMessage(refused, 1));
    }

    @Test
    void aStoreErrorFailsTheExchange() {
        VersionStore a = store(10);
        a.failure = new IllegalStateException("disk gone");
        ExchangeInitiator i = initiator(a, LIMITS);
        List<ExchangeEffect> end = i.start(0);
        assertEquals(List.of(new ExchangeEffect.Done(false, "error in domain versions: java.lang.IllegalStateException: disk gone")), end);
    }

    @Test
    void aReplyThatBreaksTheProtocolFailsTheExchange() {
        VersionStore a = store(300);
        VersionStore b = store(300);
        b.versions.put("key-7", 2L);
        ExchangeResponder r = responder(LIMITS);
        ExchangeInitiator i = initiator(a, LIMITS);
        ExchangeMessage request = send(i.start(0));
        while (request instanceof ExchangeMessage.TreeRequest) {
            request = send(i.onMessage(reply(r, request, b, 1), 1));
        }
        ExchangeMessage.DigestsReply bad = new ExchangeMessage.DigestsReply(request.session(), new String[] {"b", "a"}, new long[] {1, 2}, null);
        ExchangeEffect.Done done = assertInstanceOf(ExchangeEffect.Done.class, i.onMessage(bad, 2).get(0));
        assertFalse(done.ok());
        assertTrue(done.reason().startsWith("bad reply from the peer: "), done.reason());
    }

    @Test
    void exchangeIdsLeaveRoomForSequenceNumbers() {
        assertTrue(ExchangeInitiator.isExchangeId(ID));
        assertEquals(ID, ExchangeInitiator.exchangeOf(ID + 12345));
        assertTrue(ExchangeInitiator.isExchangeId(ExchangeInitiator.exchangeIdFrom(-1L)));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ExchangeInitiator(ID + 1, "d", 0, new VersionStore(), LIMITS));
    }

    static ExchangeMessage send(List<ExchangeEffect> effects) {
        assertEquals(1, effects.size(), effects.toString());
        return ((ExchangeEffect.Send) effects.get(0)).message();
    }

    static ExchangeMessage reply(ExchangeResponder r, ExchangeMessage request, ExchangeStore store, long now) {
        return send(r.onRequest("initiator", (ExchangeMessage.Request) request, store, now));
    }
}
