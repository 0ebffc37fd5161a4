package dev.grapevine.core.node;

import static dev.grapevine.core.node.NodeHarness.addressOf;
import static dev.grapevine.core.node.NodeHarness.alive;
import static dev.grapevine.core.node.NodeHarness.fire;
import static dev.grapevine.core.node.NodeHarness.gossip;
import static dev.grapevine.core.node.NodeHarness.onlySchedule;
import static dev.grapevine.core.node.NodeHarness.onlySend;
import static dev.grapevine.core.node.NodeHarness.published;
import static dev.grapevine.core.node.NodeHarness.receive;
import static dev.grapevine.core.node.NodeHarness.rumor;
import static dev.grapevine.core.node.NodeHarness.rumorsAbout;
import static dev.grapevine.core.node.NodeHarness.rumorsSent;
import static dev.grapevine.core.node.NodeHarness.sendsOf;
import static dev.grapevine.core.node.NodeHarness.step;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.wire.Message;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** A node refutes accusations about itself (SWIM §4.2), and only a later life of a name supersedes it. */
class SwimNodeRefutationTest {
    private static final long EPOCH = 5;
    private static final long INCARNATION = 3;

    private final NodeHarness h = new NodeHarness();
    private final Member selfA = Member.alive("A", addressOf("A"), EPOCH, INCARNATION, Map.of());
    private final SwimNode a = h.node(selfA, 31, List.of(alive("B"), alive("C"), alive("D")));

    /** B pings A, piggybacking {@code accusation} about A; returns A's effects. */
    private List<Effect> pingCarrying(Member accusation, long now) {
        return receive(a, "B", new Message.Ping(9, "A", List.of(rumor(accusation, "B"))), now);
    }

    private static Member aboutA(long epoch, long incarnation, MemberStatus status) {
        return Member.alive("A", addressOf("A"), epoch, incarnation, Map.of()).withStatus(status);
    }

    @ParameterizedTest
    @EnumSource(value = MemberStatus.class, names = {"SUSPECT", "DEAD"})
    void accusationAtTheCurrentIncarnationIsRefuted(MemberStatus accused) {
        int healthBefore = a.localHealthScore();

        List<Effect> fx = pingCarrying(aboutA(EPOCH, INCARNATION, accused), 1_000);

        Effect.Send ack = onlySend(fx, Message.Ack.class);
        List<Rumor.MemberRumor> refutation = rumorsAbout(((Message.Ack) ack.message()).piggyback(), "A");
        assertAll(
                () -> assertEquals(INCARNATION + 1, a.self().incarnation()),
                () -> assertEquals(EPOCH, a.self().epoch()),
                () -> assertEquals(MemberStatus.ALIVE, a.self().status()),
                () -> assertEquals(a.self(), a.member("A"), "the table holds the new self"),
                () -> assertEquals(1, a.counters().refutations()),
                () -> assertTrue(a.localHealthScore() > healthBefore, "being accused lowers self-trust"),
                () -> assertEquals(addressOf("B"), ack.to()),
                () -> assertEquals(9, ((Message.Ack) ack.message()).seq()),
                () -> assertEquals(List.of(rumor(a.self(), "A")), refutation,
                        "the refutation rides on the ack to the accusing ping"));
    }

    @ParameterizedTest(name = "accusation at epoch {0}, incarnation {1} is stale")
    @CsvSource({"5, 2", "5, 0", "4, 3", "4, 99"})
    void staleAccusationDoesNotRaiseTheIncarnation(long epoch, long incarnation) {
        List<Effect> fx = pingCarrying(aboutA(epoch, incarnation, MemberStatus.SUSPECT), 1_000);

        assertAll(
                () -> assertEquals(selfA, a.self()),
                () -> assertEquals(0, a.counters().refutations()),
                () -> assertEquals(0, a.localHealthScore()));
        // Old news: A repeats its current state rather than bumping.
        List<Rumor> piggy = ((Message.Ack) onlySend(fx, Message.Ack.class).message()).piggyback();
        assertEquals(List.of(rumor(selfA, "A")), rumorsAbout(piggy, "A"));
    }

    @Test
    void rumorOfALaterEpochIsAnIdentityConflictAndIgnored() {
        // At another address: another process claims our name. (At our own address it is a past
        // life of this node, which we move past: SwimNodeHardeningTest.)
        Member elsewhere = new Member("A", new dev.grapevine.core.member.Address("elsewhere.test", 7946), EPOCH + 1, 0,
                MemberStatus.SUSPECT, new java.util.TreeMap<>());
        List<Effect> fx = pingCarrying(elsewhere, 1_000);

        assertAll(
                () -> assertEquals(1, a.counters().identityConflicts()),
                () -> assertEquals(selfA, a.self()),
                () -> assertEquals(selfA, a.member("A")),
                () -> assertEquals(0, a.counters().refutations()),
                () -> assertTrue(rumorsAbout(rumorsSent(fx), "A").isEmpty(), "nothing said about A"),
                () -> assertEquals(0, a.broadcastsQueued()));
    }

    @Test
    void leaveMakesSelfLeftAndSendsTheLeaveAtOnce() {
        List<Effect> fx = step(out -> a.leave(2_000, out));

        assertAll(
                () -> assertEquals(MemberStatus.LEFT, a.self().status()),
                () -> assertEquals(MemberStatus.LEFT, a.member("A").status()),
                () -> assertTrue(a.isLeaving()),
                () -> assertTrue(a.isLeaveSent(), "news goes out in the step that made it"),
                () -> assertEquals(MemberStatus.LEFT, rumorsAbout(rumorsSent(fx), "A").get(0).member().status()),
                () -> assertEquals(1, a.broadcastsQueued(), "kept for the retransmits"),
                () -> assertEquals(1, NodeHarness.scheduled(fx, Timer.Kind.GOSSIP_TICK).size()));
    }

    @Test
    void leaveIsSentByTheNextGossipTick() {
        List<Effect> left = step(out -> a.leave(2_000, out));
        Effect.Schedule gossipTick = onlySchedule(left, Timer.Kind.GOSSIP_TICK);

        List<Effect> fx = fire(a, gossipTick.timer(), gossipTick.atMillis());

        List<Effect.Send> gossips = sendsOf(fx, Message.Gossip.class);
        assertFalse(gossips.isEmpty());
        assertTrue(rumorsAbout(rumorsSent(fx), "A").contains(rumor(a.self(), "A")), "the LEFT rumor went out");
        assertEquals(MemberStatus.LEFT, rumorsAbout(rumorsSent(fx), "A").get(0).member().status());
        assertTrue(a.isLeaveSent());
    }

    @Test
    void leaveIsSentOnTheAckToAPing() {
        step(out -> a.leave(2_000, out));

        List<Effect> fx = receive(a, "C", new Message.Ping(4, "A", List.of()), 2_010);

        List<Rumor> piggy = ((Message.Ack) onlySend(fx, Message.Ack.class).message()).piggyback();
        assertEquals(MemberStatus.LEFT, rumorsAbout(piggy, "A").get(0).member().status());
        assertTrue(a.isLeaveSent());
    }

    @Test
    void leavingNodeStopsProbing() {
        long tick = onlySchedule(step(out -> a.start(0, out)), Timer.Kind.PROBE_TICK).atMillis();
        step(out -> a.leave(tick - 1, out));

        assertTrue(sendsOf(fire(a, Timer.PROBE_TICK, tick), Message.Ping.class).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(value = MemberStatus.class, names = {"SUSPECT", "DEAD"})
    void afterLeaveAccusationsAreNotRefuted(MemberStatus accused) {
        step(out -> a.leave(2_000, out));

        List<Effect> fx = pingCarrying(aboutA(EPOCH, INCARNATION, accused), 2_100);

        assertAll(
                () -> assertEquals(INCARNATION, a.self().incarnation()),
                () -> assertEquals(MemberStatus.LEFT, a.self().status()),
                () -> assertEquals(0, a.counters().refutations()),
                () -> assertTrue(rumorsAbout(rumorsSent(fx), "A").stream()
                        .noneMatch(r -> r.member().status() == MemberStatus.ALIVE), "no alive rumor of A"));
    }

    @ParameterizedTest(name = "restart supersedes {0} at once with {1}")
    @CsvSource({"DEAD, ALIVE_AGAIN", "SUSPECT, ALIVE_AGAIN", "LEFT, ALIVE_AGAIN", "ALIVE, UPDATED"})
    void restartedMemberSupersedesItsPredecessorAtOnce(MemberStatus before, MemberEvent.Kind expected) {
        Member oldB = Member.alive("B", addressOf("B"), 1, 7, Map.of()).withStatus(before);
        SwimNode c = h.node(alive("C"), 41, List.of(alive("A"), oldB));
        Member newB = Member.alive("B", new Address("b2.test", 7947), 2, 0, Map.of());

        List<Effect> fx = receive(c, new Address("b2.test", 7947), gossip(rumor(newB, "B")), 3_000);

        List<MemberEvent> events = published(fx);
        assertEquals(newB, c.member("B"));
        assertEquals(1, events.size(), () -> "events " + events);
        assertEquals(expected, events.get(0).kind());
        assertEquals(oldB, events.get(0).previous());

        // A late rumor about the previous life changes nothing.
        Member staleDeath = oldB.withIncarnation(50).withStatus(MemberStatus.DEAD);
        assertTrue(published(receive(c, "A", gossip(rumor(staleDeath, "A")), 3_100)).isEmpty());
        assertEquals(newB, c.member("B"));
    }
}
