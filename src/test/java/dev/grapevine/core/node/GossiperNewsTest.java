package dev.grapevine.core.node;

import static dev.grapevine.core.node.NodeHarness.alive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.NameIndex;
import dev.grapevine.core.wire.Message;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The gossiper alone, as the running node drives it: the end of a step ({@link Gossiper#flushNews})
 * is a separate message there, so a tick can come between news and its flush.
 */
class GossiperNewsTest {
    private final Gossiper g = new Gossiper(alive("A"), NodeHarness.LAN, new SplittableRandom(3), new NameIndex(), new Counters());

    GossiperNewsTest() {
        for (String peer : new String[] {"B", "C", "D"}) {
            g.onSignal(new Signal.ViewChanged(alive(peer), peer), 0, new Outbox());
        }
        g.start(0);
    }

    /** News of a member this node has just heard of: a rumor per {@code n}. */
    private static Signal.Broadcast news(long n) {
        return new Signal.Broadcast(new Rumor.MemberRumor(alive("N" + n), "B"));
    }

    private static long gossips(Outbox out) {
        return out.effects().stream().filter(e -> e instanceof Effect.Send s && s.message() instanceof Message.Gossip).count();
    }

    @Test
    void newsIsSentToFanoutMembersAtTheEndOfTheStep() {
        g.onSignal(news(1), 1_000, new Outbox());
        Outbox out = new Outbox();

        assertTrue(g.hasNews());
        assertTrue(g.flushNews(1_000, out));
        assertEquals(NodeHarness.LAN.gossipFanout(), gossips(out));
        assertFalse(g.hasNews());
    }

    @Test
    void aTickBetweenNewsAndItsFlushSendsItOnce() {
        g.onSignal(news(1), 1_000, new Outbox());
        Outbox tick = new Outbox();
        g.onTimer(Timer.GOSSIP_TICK, 1_050, tick);
        Outbox flush = new Outbox();

        assertTrue(gossips(tick) > 0, "the tick carried it");
        assertFalse(g.flushNews(1_050, flush), "nothing left for the step's end");
        assertEquals(0, gossips(flush));
    }

    @Test
    void aSecondBurstWithinTheIntervalWaitsForTheTick() {
        g.onSignal(news(1), 1_000, new Outbox());
        g.flushNews(1_000, new Outbox());
        g.onSignal(news(2), 1_100, new Outbox());
        Outbox out = new Outbox();

        assertFalse(g.flushNews(1_100, out));
        assertEquals(0, gossips(out));
        assertEquals(2, g.queued(), "both kept for the ticks");
    }

    private static Message.Gossip gossipOf(Rumor r) {
        return new Message.Gossip(java.util.List.of(r));
    }

    private static java.util.List<dev.grapevine.core.member.Address> gossipTargets(Outbox out) {
        return out.effects().stream().filter(e -> e instanceof Effect.Send s && s.message() instanceof Message.Gossip)
                .map(e -> ((Effect.Send) e).to()).toList();
    }

    @Test
    void aRumorIsNotSentBackToTheMembersItCameFrom() {
        Rumor r = news(1).rumor();
        g.onMessage(NodeHarness.addressOf("B"), gossipOf(r), new Outbox()); // heard before membership queues it
        g.onSignal(news(1), 1_000, new Outbox());
        g.onMessage(NodeHarness.addressOf("C"), gossipOf(r), new Outbox()); // and again, once queued

        java.util.Set<dev.grapevine.core.member.Address> reached = new java.util.HashSet<>();
        for (int tick = 1; tick <= 10; tick++) {
            Outbox out = new Outbox();
            g.onTimer(Timer.GOSSIP_TICK, 1_000 + tick * 200L, out);
            reached.addAll(gossipTargets(out));
        }
        assertEquals(java.util.Set.of(NodeHarness.addressOf("D")), reached, "only D lacked it");
    }

    @Test
    void aRumorEveryLiveMemberSentHereLeavesTheQueueBeforeItsTransmitLimit() {
        Rumor r = news(1).rumor();
        g.onSignal(news(1), 1_000, new Outbox());
        Counters counters = new Counters();
        Gossiper fresh = new Gossiper(alive("A"), NodeHarness.LAN, new SplittableRandom(3), new NameIndex(), counters);
        for (String peer : new String[] {"B", "C", "D"}) {
            fresh.onSignal(new Signal.ViewChanged(alive(peer), peer), 0, new Outbox());
        }
        fresh.onSignal(news(1), 1_000, new Outbox());
        for (String peer : new String[] {"B", "C", "D"}) {
            assertEquals(1, fresh.queued(), "still owed to someone before " + peer + " sent it");
            fresh.onMessage(NodeHarness.addressOf(peer), gossipOf(r), new Outbox());
        }
        assertEquals(0, fresh.queued());
        assertEquals(1L, counters.asMap().get("broadcasts_retired_early"));
    }
}
