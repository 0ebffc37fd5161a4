package dev.grapevine.core.node;

import dev.grapevine.core.config.Profile;
import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.wire.Message;
import dev.grapevine.core.wire.WireCodec;
import dev.grapevine.core.wire.WireSize;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.grapevine.core.node.NodeHarness.addressOf;
import static dev.grapevine.core.node.NodeHarness.alive;
import static dev.grapevine.core.node.NodeHarness.fire;
import static dev.grapevine.core.node.NodeHarness.gossip;
import static dev.grapevine.core.node.NodeHarness.receive;
import static dev.grapevine.core.node.NodeHarness.rumor;
import static dev.grapevine.core.node.NodeHarness.sent;
import static dev.grapevine.core.node.NodeHarness.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values a peer may send that honest history never produces, and the corners they used to hit. */
class SwimNodeHardeningTest {
    private final NodeHarness h = new NodeHarness();

    @Test
    void aForgedLamportTimeFarAheadIsRefusedAndEventsKeepFlowing() {
        SwimNode a = h.node("A", 1, "B");
        UserEvent forged = new UserEvent("B", Long.MAX_VALUE - 1, "x", new byte[0]);
        receive(a, "B", gossip(new dev.grapevine.core.gossip.Rumor.EventRumor(forged)), 10);
        receive(a, "B", new Message.PushPull(false, true, Long.MAX_VALUE, List.of(alive("B"))), 20);
        assertEquals(2L, a.metrics().get("clocks_refused"));
        assertTrue(a.eventClock() < 10, "the clock did not jump: " + a.eventClock());
        UserEvent mine = a.emit("deploy", new byte[]{1}, 30, new Outbox()); // would throw if the clock were pinned
        assertEquals(a.eventClock(), mine.ltime());
    }

    @Test
    void anAccusationAtAnAbsurdIncarnationIsNotRefutedIntoOverflow() {
        SwimNode a = h.node("A", 2, "B");
        Member accused = alive("A").withIncarnation(Long.MAX_VALUE).withStatus(MemberStatus.SUSPECT);
        receive(a, "B", gossip(rumor(accused, "B")), 10);
        assertEquals(0, a.self().incarnation());
        assertEquals(1, a.counters().claimsRefused(), "an incarnation jump no honest history makes");
    }

    @Test
    void aLaterEpochOfOurOwnNameAtOurOwnAddressIsAPastLifeWeMovePast() {
        SwimNode a = h.node("A", 3, "B");
        Member pastLife = Member.alive("A", addressOf("A"), 7, 4, Map.of()).withStatus(MemberStatus.DEAD);
        receive(a, "B", gossip(rumor(pastLife, "B")), 10);
        assertEquals(8, a.self().epoch(), "moves past the epoch it heard");
        assertEquals(MemberStatus.ALIVE, a.self().status());
        Member impostor = Member.alive("A", new Address("elsewhere", 7946), 20, 0, Map.of());
        receive(a, "B", gossip(rumor(impostor, "B")), 20);
        assertEquals(8, a.self().epoch(), "another address is a conflict, not us");
        assertEquals(1, a.counters().identityConflicts());
    }

    @Test
    void aNodeAloneTriesDeadMembersBetweenItsSeeds() {
        SwimNode a = h.node(alive("A"), 4, List.of(alive("B").withStatus(MemberStatus.DEAD)));
        step(out -> a.join(List.of(new Address("seed", 7946)), 0, out));
        List<Address> targets = new ArrayList<>();
        for (int tick = 1; tick <= 4; tick++) {
            fire(a, Timer.RECONNECT_TICK, tick * 10_000L).stream()
                    .filter(e -> e instanceof Effect.Send s && s.message() instanceof Message.PushPull)
                    .forEach(e -> targets.add(((Effect.Send) e).to()));
        }
        assertTrue(targets.contains(new Address("seed", 7946)), targets.toString());
        assertTrue(targets.contains(addressOf("B")), "a gone seed must not keep it from the rest: " + targets);
    }

    @Test
    void aPushPullStaysWithinOneArteryFrameWhateverTheTags() {
        List<Member> view = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            TreeMap<String, String> tags = new TreeMap<>(Map.of("blob", "x".repeat(1000)));
            view.add(Member.alive("m" + i, addressOf("m" + i), 1, 0, tags));
        }
        SwimNode a = h.node(alive("A"), 5, view);
        List<Message.PushPull> sentPushPulls = sent(receive(a, "B", new Message.ViewDigest(0, 0), 1_000), Message.PushPull.class);
        assertEquals(1, sentPushPulls.size());
        int bytes = WireSize.of(sentPushPulls.get(0));
        assertTrue(bytes < 256 * 1024, "a push-pull of " + bytes + " bytes would not fit Artery's frame");
        assertEquals(bytes, WireCodec.encode(sentPushPulls.get(0)).length);
        assertTrue(sentPushPulls.get(0).members().size() > 50, "still a useful window");
    }

    @Test
    void settingsRefuseBudgetsBeyondAnArteryFrame() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Profile.LAN.settings().toBuilder().gossipBytesMax(1 << 20).build());
        assertTrue(e.getMessage().contains("gossip-max-bytes = 1048576: must be in 512..131072"), e.getMessage());
    }
}
