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
import static dev.grapevine.core.node.NodeHarness.scheduled;
import static dev.grapevine.core.node.NodeHarness.sendsOf;
import static dev.grapevine.core.node.NodeHarness.step;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grapevine.core.config.Profile;
import dev.grapevine.core.config.Settings;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.recovery.Progress;
import dev.grapevine.core.recovery.RecoveryCoordinator;
import dev.grapevine.core.wire.Message;
import dev.grapevine.core.wire.WireSize;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Joining, push-pull anti-entropy and reconnection. */
class SwimNodePushPullTest {
    private final NodeHarness h = new NodeHarness();

    private static Message.PushPull pushPull(Effect.Send send) {
        return (Message.PushPull) send.message();
    }

    private static List<String> names(Message.PushPull pp) {
        return pp.members().stream().map(Member::name).toList();
    }

    @Test
    void joinSendsAJoinPushPullToEachSeed() {
        SwimNode j = h.node("J", 1);
        List<Address> seeds = List.of(addressOf("S1"), addressOf("S2"));

        List<Effect> fx = step(out -> j.join(seeds, 100, out));

        List<Effect.Send> sends = sendsOf(fx, Message.PushPull.class);
        assertEquals(seeds, sends.stream().map(Effect.Send::to).toList());
        for (Effect.Send s : sends) {
            Message.PushPull pp = pushPull(s);
            assertTrue(pp.join(), "join flag");
            assertFalse(pp.reply(), "not a reply");
            assertEquals(List.of(j.self()), pp.members(), "a lone joiner lists itself");
        }
    }

    @Test
    void seedRepliesListingItselfFirstAndBothLearnEachOther() {
        SwimNode s = h.node("S", 2, "X", "Y");
        SwimNode j = h.node("J", 3);
        Effect.Send joinMsg = onlySend(step(out -> j.join(List.of(addressOf("S")), 100, out)), Message.PushPull.class);

        List<Effect> seedFx = receive(s, "J", joinMsg.message(), 110);

        Effect.Send reply = onlySend(seedFx, Message.PushPull.class);
        Message.PushPull pp = pushPull(reply);
        assertAll(
                () -> assertEquals(addressOf("J"), reply.to()),
                () -> assertTrue(pp.reply()),
                () -> assertFalse(pp.join()),
                () -> assertEquals("S", pp.members().get(0).name(), "the sender lists itself first"),
                () -> assertEquals(Set.of("S", "X", "Y"), new HashSet<>(names(pp)), "the seed's view"),
                () -> assertEquals(MemberStatus.ALIVE, s.member("J").status()),
                () -> assertEquals(MemberEvent.Kind.JOINED, published(seedFx).get(0).kind()),
                () -> assertEquals("J", published(seedFx).get(0).source()));

        List<Effect> joinerFx = receive(j, "S", pp, 120);

        assertEquals(4, j.liveCount());
        assertEquals(Set.of("S", "X", "Y"), published(joinerFx).stream()
                .filter(e -> e.kind() == MemberEvent.Kind.JOINED).map(e -> e.member().name()).collect(Collectors.toSet()));
        assertTrue(sendsOf(joinerFx, Message.PushPull.class).isEmpty(), "a reply is not answered");
    }

    @Test
    void remoteDeadIsTakenAsSuspicionAndRemoteLeftStaysLeft() {
        SwimNode a = h.node("A", 4, "B", "X", "Z");
        Message.PushPull fromB = new Message.PushPull(false, false, 0, List.of(
                alive("B"), alive("X").withStatus(MemberStatus.DEAD), alive("Z").withStatus(MemberStatus.LEFT)));

        List<Effect> fx = receive(a, "B", fromB, 500);

        assertEquals(MemberStatus.SUSPECT, a.member("X").status(), "a peer's dead is only a suspicion here");
        assertEquals(MemberStatus.LEFT, a.member("Z").status());
        List<MemberEvent> events = published(fx);
        MemberEvent aboutX = events.stream().filter(e -> e.member().name().equals("X")).findFirst().orElseThrow();
        assertEquals(MemberEvent.Kind.SUSPECTED, aboutX.kind());
        assertEquals("B", aboutX.source(), "the sender accuses");
        assertEquals(Timer.suspicion("X"), onlySchedule(fx, Timer.Kind.SUSPICION).timer());
        assertTrue(events.stream().anyMatch(e -> e.member().name().equals("Z") && e.kind() == MemberEvent.Kind.LEFT));
        // Not a reply, so A answers with its own view.
        Effect.Send answer = onlySend(fx, Message.PushPull.class);
        assertEquals(addressOf("B"), answer.to());
        assertTrue(pushPull(answer).reply());
        assertEquals("A", names(pushPull(answer)).get(0));
    }

    @Test
    void remoteDeadOfAnUnknownMemberIsRecordedDeadQuietly() {
        SwimNode a = h.node("A", 4, "B");
        Message.PushPull fromB = new Message.PushPull(false, true, 0, List.of(
                alive("B"), alive("W").withStatus(MemberStatus.DEAD)));

        List<Effect> fx = receive(a, "B", fromB, 500);

        assertEquals(MemberStatus.DEAD, a.member("W").status(), "not brought back to life as a suspect");
        assertTrue(published(fx).stream().noneMatch(e -> e.member().name().equals("W")), "no JOINED for a dead stranger");
        assertTrue(scheduled(fx, Timer.Kind.SUSPICION).isEmpty());
        assertEquals(2, a.liveCount(), "A and B are live; W does not count");
    }

    @Test
    void pushPullWindowIsBoundedAndStartsWithTheSender() {
        Settings settings = Profile.LAN.settings().toBuilder().pushPullMembersMax(16).build();
        NodeHarness h16 = new NodeHarness(settings);
        String[] peers = IntStream.range(1, 40).mapToObj(i -> "M" + i).toArray(String[]::new);
        SwimNode a = h16.node("M0", 6, peers);
        assertEquals(40, a.knownCount());

        Set<String> seen = new HashSet<>();
        long now = onlySchedule(step(out -> a.start(0, out)), Timer.Kind.PUSH_PULL_TICK).atMillis();
        for (int i = 0; i < 100; i++) {
            List<Effect> fx = fire(a, Timer.PUSH_PULL_TICK, now);
            onlySend(fx, Message.ViewDigest.class);
            // A peer whose view digests otherwise: it gets a push-pull
            Message.PushPull pp = pushPull(onlySend(receive(a, "M5", new Message.ViewDigest(0, 0), now), Message.PushPull.class));
            List<String> names = names(pp);
            assertEquals(16, names.size(), "window of round " + i);
            assertEquals("M0", names.get(0), "the sender first, round " + i);
            assertEquals(16, new HashSet<>(names).size(), "no member twice, round " + i);
            seen.addAll(names);
            now = onlySchedule(fx, Timer.Kind.PUSH_PULL_TICK).atMillis();
        }
        assertEquals(40, seen.size(), "the windows rotate over the whole view");

        // Replies and joins are windowed the same way.
        Message.PushPull reply = pushPull(onlySend(
                receive(a, "M5", new Message.PushPull(false, false, 0, List.of(alive("M5"))), now), Message.PushPull.class));
        assertEquals(16, reply.members().size());
        assertEquals("M0", reply.members().get(0).name());
        Message.PushPull join = pushPull(sendsOf(step(out -> a.join(List.of(addressOf("M1")), 1, out)),
                Message.PushPull.class).get(0));
        assertEquals(16, join.members().size());
        assertEquals("M0", join.members().get(0).name());
    }

    @Test
    void reconnectTickPushPullsToADeadMember() {
        SwimNode a = h.node("A", 7, "B", "C");
        receive(a, "B", gossip(rumor(alive("C").withStatus(MemberStatus.DEAD), "B")), 1_000);
        assertEquals(MemberStatus.DEAD, a.member("C").status());

        List<Effect> fx = fire(a, Timer.RECONNECT_TICK, 2_000);

        Effect.Send send = onlySend(fx, Message.PushPull.class);
        assertEquals(addressOf("C"), send.to());
        assertFalse(pushPull(send).reply());
        assertEquals(2_000 + h.settings.reconnectInterval().toMillis(),
                onlySchedule(fx, Timer.Kind.RECONNECT_TICK).atMillis(), "it keeps trying");
    }

    @Test
    void reconnectTickSendsNothingWithoutDeadMembers() {
        SwimNode a = h.node("A", 7, "B", "C");

        List<Effect> fx = fire(a, Timer.RECONNECT_TICK, 2_000);

        assertTrue(sendsOf(fx, Message.class).isEmpty());
        assertEquals(1, NodeHarness.scheduled(fx, Timer.Kind.RECONNECT_TICK).size());
    }

    @Test
    void reconnectTickAsksASeedWhenAlone() {
        SwimNode a = h.node("A", 8);
        step(out -> a.join(List.of(addressOf("S")), 0, out));

        List<Effect> fx = fire(a, Timer.RECONNECT_TICK, 10_000);

        Effect.Send send = onlySend(fx, Message.PushPull.class);
        assertEquals(addressOf("S"), send.to());
        assertTrue(pushPull(send).join());
    }

    @Test
    void leftMemberIsNotAReconnectTarget() {
        SwimNode a = h.node("A", 9, "B", "C");
        receive(a, "C", gossip(rumor(alive("C").withStatus(MemberStatus.LEFT), "C")), 1_000);

        assertTrue(sendsOf(fire(a, Timer.RECONNECT_TICK, 2_000), Message.class).isEmpty());
    }

    @Test
    void reconnectTickReachesADeadMemberFromARestoredView() {
        SwimNode a = h.node(alive("A"), 10, List.of(alive("B"), alive("C").withStatus(MemberStatus.DEAD)));

        List<Effect> fx = fire(a, Timer.RECONNECT_TICK, 2_000);

        Effect.Send send = onlySend(fx, Message.PushPull.class);
        assertEquals(addressOf("C"), send.to());
    }

    @Test
    void theTickSendsADigestAndAPeerWhoseViewIsTheSameAnswersNothing() {
        SwimNode a = h.node("A", 1, "B", "C");
        SwimNode b = h.node("B", 2, "A", "C");

        Effect.Send digest = onlySend(fire(a, Timer.PUSH_PULL_TICK, 30_000), Message.ViewDigest.class);
        List<Effect> fx = receive(b, addressOf("A"), digest.message(), 30_001);

        assertAll(
                () -> assertTrue(sendsOf(fx, Message.class).isEmpty(), "nothing to exchange: " + fx),
                () -> assertEquals(1L, NodeHarness.counter(b, "view_digests_alike")),
                () -> assertTrue(WireSize.of(digest.message()) <= 20, "a digest is a score of bytes, not a view"));
    }

    @Test
    void aPeerWhoseViewDiffersInAMemberOrAProgressWordStartsAPushPullAndBothEndAlike() {
        SwimNode a = h.node("A", 1, "B", "C");
        SwimNode b = h.node("B", 2, "A", "C", "D");
        assertPushPullMakesThemAlike(a, b);

        // A word in the epoch of the live members (A, B, C, D: B is member 1), which A has not heard.
        String epoch = RecoveryCoordinator.epochOf(b.members().stream().filter(m -> m.status().isLive())
                .collect(java.util.stream.Collectors.toMap(Member::name, Member::epoch)));
        step(out -> b.publishProgress(new Progress(epoch, 0, 0), 1, 4, 40_000, out));
        assertPushPullMakesThemAlike(a, b);
    }

    /** A's digest reaches B; B differs, so they push-pull; then A's next digest finds B alike. */
    private static void assertPushPullMakesThemAlike(SwimNode a, SwimNode b) {
        Effect.Send digest = onlySend(fire(a, Timer.PUSH_PULL_TICK, 50_000), Message.ViewDigest.class);
        Effect.Send request = onlySend(receive(b, addressOf("A"), digest.message(), 50_001), Message.PushPull.class);
        Effect.Send reply = onlySend(receive(a, addressOf("B"), request.message(), 50_002), Message.PushPull.class);
        receive(b, addressOf("A"), reply.message(), 50_003);

        Effect.Send again = onlySend(fire(a, Timer.PUSH_PULL_TICK, 80_000), Message.ViewDigest.class);
        assertTrue(sendsOf(receive(b, addressOf("A"), again.message(), 80_001), Message.class).isEmpty(),
                "one exchange made the views alike");
    }
}
