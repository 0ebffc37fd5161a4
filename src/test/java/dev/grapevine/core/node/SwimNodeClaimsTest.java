package dev.grapevine.core.node;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.wire.Message;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.grapevine.core.node.NodeHarness.addressOf;
import static dev.grapevine.core.node.NodeHarness.alive;
import static dev.grapevine.core.node.NodeHarness.delivered;
import static dev.grapevine.core.node.NodeHarness.gossip;
import static dev.grapevine.core.node.NodeHarness.receive;
import static dev.grapevine.core.node.NodeHarness.rumor;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Claims a node refuses before they reach precedence, and the honest ones it still takes. */
class SwimNodeClaimsTest {
    private static final long HOUR_MILLIS = 3_600_000L;
    private static final Address STRANGER = new Address("stranger.test", 7946);
    private static final Address ELSEWHERE = new Address("elsewhere.test", 7946);
    private final NodeHarness h = new NodeHarness();

    @Test
    void aStrangersFarFutureDeadClaimLeavesTheMemberAliveAndItsRestartIsTaken() {
        SwimNode a = h.node("A", 1, "B", "C");
        Member bogus = Member.alive("B", ELSEWHERE, Long.MAX_VALUE / 2, 0, Map.of()).withStatus(MemberStatus.DEAD);
        receive(a, STRANGER, gossip(rumor(bogus, "X")), 10);
        receive(a, STRANGER, new Message.PushPull(false, false, 0, List.of(bogus)), 20);
        assertEquals(MemberStatus.ALIVE, a.member("B").status());
        assertEquals(1, a.member("B").epoch());
        assertEquals(2, a.counters().rumorsFromStrangers());

        Member restarted = Member.alive("B", addressOf("B"), 2, 0, Map.of());
        receive(a, "C", gossip(rumor(restarted, "B")), 30);
        assertEquals(restarted, a.member("B"));
    }

    @Test
    void aStrangersAccusationRidingOnAPingOrAnAckIsDroppedToo() {
        SwimNode a = h.node("A", 6, "B", "C");
        Member dead = alive("B").withStatus(MemberStatus.DEAD);
        receive(a, STRANGER, new Message.Ping(1, "A", List.of(rumor(dead, "X"))), 10);
        receive(a, STRANGER, new Message.Ack(2, List.of(rumor(dead, "X"))), 20);
        assertEquals(MemberStatus.ALIVE, a.member("B").status());
        assertEquals(2, a.counters().rumorsFromStrangers());

        receive(a, "C", new Message.Ack(3, List.of(rumor(dead, "C"))), 30);
        assertEquals(MemberStatus.DEAD, a.member("B").status(), "a live member's word still counts");
    }

    @Test
    void aMemberGoneBadCannotDeclareAnotherDeadAtAFarFutureEpoch() {
        SwimNode a = h.node("A", 2, "B", "C");
        Member bogus = Member.alive("B", addressOf("B"), 1 + HOUR_MILLIS + 1, 0, Map.of()).withStatus(MemberStatus.DEAD);
        receive(a, "C", gossip(rumor(bogus, "C")), 10);
        assertEquals(MemberStatus.ALIVE, a.member("B").status());
        assertEquals(1, a.counters().claimsRefused());
    }

    @Test
    void aMemberGoneBadCannotMoveAnotherWithinItsLifeNorJumpItsIncarnation() {
        SwimNode a = h.node("A", 3, "B", "C");
        Member moved = Member.alive("B", ELSEWHERE, 1, 1, Map.of()).withStatus(MemberStatus.DEAD);
        receive(a, "C", gossip(rumor(moved, "C")), 10);
        Member jumped = alive("B").withIncarnation(Claims.INCARNATION_JUMP_MAX + 1).withStatus(MemberStatus.SUSPECT);
        receive(a, "C", gossip(rumor(jumped, "C")), 20);
        assertEquals(alive("B"), a.member("B"));
        assertEquals(2, a.counters().claimsRefused());
    }

    @Test
    void aFarFutureLifeOfThisNodeAtItsOwnAddressIsRefusedNotAdopted() {
        SwimNode a = h.node("A", 4, "B");
        Member pastLife = Member.alive("A", addressOf("A"), Long.MAX_VALUE / 2, 0, Map.of()).withStatus(MemberStatus.DEAD);
        receive(a, "B", gossip(rumor(pastLife, "B")), 10);
        assertEquals(1, a.self().epoch(), "the epoch would be unusable to every honest peer");
        assertEquals(1, a.counters().claimsRefused());
    }

    @Test
    void aJoinerFromAnUnknownAddressStillJoinsAndAMemberStillRejoinsElsewhere() {
        SwimNode a = h.node("A", 5, "B", "C");
        Member joiner = Member.alive("D", STRANGER, 1, 0, Map.of());
        receive(a, STRANGER, new Message.PushPull(true, false, 0, List.of(joiner)), 10);
        assertEquals(joiner, a.member("D"));
        assertEquals(0, a.counters().rumorsFromStrangers());

        Member elsewhere = Member.alive("B", ELSEWHERE, 2, 0, Map.of()); // restarted on another host
        receive(a, ELSEWHERE, new Message.PushPull(true, false, 0, List.of(elsewhere)), 20);
        assertEquals(elsewhere, a.member("B"));
        assertEquals(0, a.counters().claimsRefused());
    }

    @Test
    void aMemberHeldDeadMayStillTellOfOthersHeldDeadSoPartitionsHeal() {
        Member deadB = alive("B").withStatus(MemberStatus.DEAD);
        Member deadC = alive("C").withStatus(MemberStatus.DEAD);
        SwimNode a = h.node(alive("A"), 6, List.of(deadB, deadC));
        Member cRefuted = alive("C").withIncarnation(1);
        receive(a, "B", new Message.PushPull(false, false, 0, List.of(alive("B").withIncarnation(1), cRefuted)), 10);
        assertEquals(MemberStatus.ALIVE, a.member("B").status());
        assertEquals(cRefuted, a.member("C"));
    }

    @Test
    void aUserEventFromASenderNotListedYetIsDeliveredButItsAccusationIsNot() {
        // A member that has just joined sends its first user event straight to every member, which may
        // come before this node lists it.
        SwimNode a = h.node("A", 7, "B", "C");
        UserEvent e = new UserEvent("D", 1, "deploy", "v1".getBytes(StandardCharsets.UTF_8));
        Member dead = alive("B").withStatus(MemberStatus.DEAD);
        List<Effect> fx = receive(a, STRANGER, gossip(new Rumor.EventRumor(e), rumor(dead, "D")), 10);
        assertEquals(List.of(e), delivered(fx));
        assertEquals(MemberStatus.ALIVE, a.member("B").status());
        assertEquals(1, a.counters().rumorsFromStrangers());
    }
}
