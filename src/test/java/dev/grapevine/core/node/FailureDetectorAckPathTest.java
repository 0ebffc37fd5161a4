package dev.grapevine.core.node;

import static dev.grapevine.core.node.NodeHarness.addressOf;
import static dev.grapevine.core.node.NodeHarness.alive;
import static dev.grapevine.core.node.NodeHarness.onlySend;
import static dev.grapevine.core.node.NodeHarness.receive;
import static dev.grapevine.core.node.NodeHarness.rumor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.member.NameIndex;
import dev.grapevine.core.wire.Message;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Which roles a ping's ack passes through. In a running node each role is an actor and each hop a
 * mailbox (the role actors tell each other directly): a ping without rumors crosses the failure
 * detector's and the gossiper's (which fills the ack with piggyback); one with rumors goes through
 * membership between them, so that what the rumors made membership broadcast (a refutation above
 * all) rides on the ack.
 */
class FailureDetectorAckPathTest {
    private final FailureDetector fd = new FailureDetector(alive("A"), NodeHarness.LAN, new SplittableRandom(1), new NameIndex(),
            new Counters());

    private List<Effect> ping(Rumor... piggyback) {
        fd.onSignal(new Signal.ViewChanged(alive("B"), "B"));
        fd.onSignal(new Signal.ViewChanged(alive("C"), "C"));
        Outbox out = new Outbox();
        fd.onMessage(addressOf("B"), new Message.Ping(7, "A", List.of(piggyback)), 1_000, out);
        return out.drain();
    }

    private static Signal.Outbound ack() {
        return new Signal.Outbound(addressOf("B"), new Message.Ack(7, List.of()));
    }

    @Test
    void aPingWithoutRumorsIsAckedByTheGossiperAlone() {
        assertEquals(List.of(new Effect.Tell(Role.GOSSIPER, ack())), ping());
    }

    @Test
    void aPingWithRumorsIsAckedAfterMembershipTookThem() {
        Rumor news = rumor(alive("C").withStatus(MemberStatus.SUSPECT), "B");
        assertEquals(List.of(new Effect.Tell(Role.MEMBERSHIP, new Signal.Heard(List.of(news), ack()))), ping(news),
                "three hops: failure detector, membership, gossiper");
    }

    @Test
    void aPingThatAccusesThisNodeIsAckedAfterMembershipHadItsSaySoTheRefutationRidesTheAck() {
        Rumor accusation = rumor(alive("A").withStatus(MemberStatus.SUSPECT), "B");
        List<Effect> fx = ping(accusation);
        assertEquals(List.of(new Effect.Tell(Role.MEMBERSHIP, new Signal.Heard(List.of(accusation), ack()))), fx);
    }

    @Test
    void onANodeTheRefutationOfAnAccusingPingIsOnItsAck() {
        NodeHarness h = new NodeHarness();
        SwimNode a = h.node("A", 1, "B", "C");
        Rumor accusation = rumor(alive("A").withStatus(MemberStatus.SUSPECT), "B");
        Message.Ack ack = (Message.Ack) onlySend(receive(a, "B", new Message.Ping(7, "A", List.of(accusation)), 1_000),
                Message.Ack.class).message();
        assertTrue(ack.piggyback().stream().anyMatch(r -> r instanceof Rumor.MemberRumor m && m.member().name().equals("A")
                && m.member().status() == MemberStatus.ALIVE && m.member().incarnation() == 1), ack.toString());
    }
}
