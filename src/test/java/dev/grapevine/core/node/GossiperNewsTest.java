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
}
