package dev.grapevine.core.node;

import static dev.grapevine.core.node.NodeHarness.addressOf;
import static dev.grapevine.core.node.NodeHarness.alive;
import static dev.grapevine.core.node.NodeHarness.fire;
import static dev.grapevine.core.node.NodeHarness.gossip;
import static dev.grapevine.core.node.NodeHarness.published;
import static dev.grapevine.core.node.NodeHarness.receive;
import static dev.grapevine.core.node.NodeHarness.rumor;
import static dev.grapevine.core.node.NodeHarness.rumorsAbout;
import static dev.grapevine.core.node.NodeHarness.rumorsSent;
import static dev.grapevine.core.node.NodeHarness.sends;
import static dev.grapevine.core.node.NodeHarness.step;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grapevine.core.config.Profile;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.wire.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Force-leave (Serf's force-leave, Cassandra's removenode): which requests are refused and why, and
 * what removing a dead or suspect member does to the view, the news, reconnects and a member that is
 * in fact alive. Time is driven by hand.
 */
class SwimNodeForceLeaveTest {
    private static final Duration REAP_AFTER = Duration.ofMinutes(10);
    private static final long INCARNATION = 4;

    private final NodeHarness h = new NodeHarness(Profile.LAN.settings().toBuilder().reapLeftAfter(REAP_AFTER).build());
    private final SwimNode a = h.node("A", 61, "B", "C", "D");

    private static Member b(MemberStatus status) {
        return alive("B").withIncarnation(INCARNATION).withStatus(status);
    }

    /** A hears from C that B is in {@code status} at {@link #INCARNATION}. */
    private void hear(MemberStatus status, long nowMillis) {
        receive(a, "C", gossip(rumor(b(status), "C")), nowMillis);
    }

    private ForceLeave forceLeave(String name, long nowMillis, List<Effect> effects) {
        Outbox out = new Outbox();
        ForceLeave decision = a.forceLeave(name, nowMillis, out);
        effects.addAll(out.drain());
        return decision;
    }

    @ParameterizedTest(name = "{0} in state {1}: {2}")
    @CsvSource({
            "B, ALIVE,   ALIVE,        false, B is alive; only a dead or suspect member can be removed; stop it or make it leave",
            "A, ALIVE,   SELF,         false, 'A is this node; to remove it, make it leave (grapevine leave)'",
            "Z, ALIVE,   UNKNOWN,      false, no member named Z is known here",
            "B, DEAD,    REMOVED,      true,  'B was dead; it is left now, and the other members will hear so'",
            "B, SUSPECT, REMOVED,      true,  'B was suspect; it is left now, and the other members will hear so'",
            "B, LEFT,    ALREADY_LEFT, true,  B has left already",
    })
    void theRule(String name, MemberStatus bIs, ForceLeave.Outcome outcome, boolean accepted, String reason) {
        if (bIs != MemberStatus.ALIVE) {
            hear(bIs, 1_000);
        }
        Member before = a.member(name);
        List<Effect> fx = new ArrayList<>();

        ForceLeave decision = forceLeave(name, 2_000, fx);

        boolean removed = outcome == ForceLeave.Outcome.REMOVED;
        assertAll(
                () -> assertEquals(new ForceLeave(name, outcome, reason), decision),
                () -> assertEquals(accepted, decision.accepted()),
                () -> assertEquals(removed ? 1 : 0, a.counters().forceLeaves()),
                () -> assertEquals(removed ? before.withStatus(MemberStatus.LEFT) : before, a.member(name),
                        "left at the incarnation it had, or untouched"),
                () -> assertEquals(removed ? 1 : 0, published(fx).size(), fx::toString));
    }

    @Test
    void aReapedMemberIsGoneAlreadyAndThatIsAnAnswerToo() {
        hear(MemberStatus.DEAD, 0);
        forceLeave("B", 1, new ArrayList<>());
        fire(a, Timer.RECONNECT_TICK, 1 + REAP_AFTER.toMillis());
        assertNull(a.member("B"));

        List<Effect> fx = new ArrayList<>();
        ForceLeave again = forceLeave("B", 2 + REAP_AFTER.toMillis(), fx);

        assertEquals(new ForceLeave("B", ForceLeave.Outcome.ALREADY_LEFT, "B is gone from the view already"), again);
        assertEquals(List.of(), published(fx));
        assertEquals(1, a.counters().forceLeaves());
    }

    @Test
    void removingADeadMemberPublishesLeftAndSpreadsIt() {
        hear(MemberStatus.DEAD, 1_000);
        List<Effect> fx = new ArrayList<>();
        forceLeave("B", 2_000, fx);
        fx.addAll(fire(a, Timer.GOSSIP_TICK, 2_200));

        List<MemberEvent> events = published(fx);
        assertEquals(1, events.size());
        assertAll(
                () -> assertEquals(MemberEvent.Kind.LEFT, events.get(0).kind()),
                () -> assertEquals(b(MemberStatus.DEAD), events.get(0).previous()),
                () -> assertEquals("A", events.get(0).source(), "this node removed it"),
                () -> assertTrue(rumorsAbout(rumorsSent(fx), "B").contains(rumor(b(MemberStatus.LEFT), "A")),
                        "the left goes out as a rumor, like a leave: " + fx),
                () -> assertTrue(sends(fx).stream().noneMatch(s -> s.to().equals(addressOf("B"))), "nothing to B"));
    }

    @Test
    void thereAreNoMoreReconnectsToARemovedMember() {
        hear(MemberStatus.DEAD, 0);
        long now = 0;
        List<Effect.Send> before = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            now = i * 10_000L;
            before.addAll(sends(fire(a, Timer.RECONNECT_TICK, now)));
        }
        assertFalse(before.isEmpty(), "a dead member is redialled");
        assertTrue(before.stream().allMatch(s -> s.to().equals(addressOf("B")) && s.message() instanceof Message.PushPull));
        long attempts = a.counters().asMap().get("reconnect_attempts");

        forceLeave("B", now + 1, new ArrayList<>());
        List<Effect> after = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            after.addAll(fire(a, Timer.RECONNECT_TICK, now + i * 10_000L));
            after.addAll(fire(a, Timer.GOSSIP_TICK, now + i * 10_000L + 5));
            after.addAll(fire(a, Timer.PROBE_TICK, now + i * 10_000L + 7));
        }

        assertTrue(sends(after).stream().noneMatch(s -> s.to().equals(addressOf("B"))), "sent to B: " + sends(after));
        assertEquals(attempts, a.counters().asMap().get("reconnect_attempts"));
        assertNull(a.member("B"), "reaped after reap-left-after, like any member that left");
    }

    @Test
    void aRemovedSuspectIsNotDeclaredDeadWhenItsSuspicionRunsOut() {
        hear(MemberStatus.SUSPECT, 1_000);
        forceLeave("B", 2_000, new ArrayList<>());

        List<Effect> fx = fire(a, Timer.suspicion("B"), 1_000 + 10 * h.settings.suspicionMaxMillis(4));

        assertEquals(List.of(), published(fx));
        assertEquals(MemberStatus.LEFT, a.member("B").status());
        assertEquals(0, a.counters().deathsDeclared());
    }

    @Test
    void theLeftOverridesDeadAndSuspectAtTheSameIncarnationElsewhere() {
        hear(MemberStatus.DEAD, 1_000);
        forceLeave("B", 2_000, new ArrayList<>());
        for (MemberStatus held : List.of(MemberStatus.SUSPECT, MemberStatus.DEAD)) {
            SwimNode c = h.node(alive("C"), 71, List.of(alive("A"), b(held), alive("D")));
            List<MemberEvent> events = published(receive(c, "A", gossip(rumor(a.member("B"), "A")), 3_000));
            assertEquals(b(MemberStatus.LEFT), c.member("B"), "over " + held);
            assertEquals(MemberEvent.Kind.LEFT, events.get(0).kind());
        }
    }

    @Test
    void staleNewsOfItsDeathDoesNotBringARemovedMemberBack() {
        hear(MemberStatus.DEAD, 1_000);
        forceLeave("B", 2_000, new ArrayList<>());
        // C's push-pull still holds B dead (it had not heard yet); gossip repeats the suspicion.
        receive(a, "C", new Message.PushPull(false, true, 0, List.of(alive("C"), b(MemberStatus.DEAD))), 3_000);
        receive(a, "D", gossip(rumor(b(MemberStatus.SUSPECT), "D"), rumor(b(MemberStatus.ALIVE), "B")), 3_001);

        assertEquals(b(MemberStatus.LEFT), a.member("B"));
        List<Effect.Send> reconnects = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            reconnects.addAll(sends(fire(a, Timer.RECONNECT_TICK, 3_000 + i * 10_000L)));
        }
        assertTrue(reconnects.stream().noneMatch(s -> s.to().equals(addressOf("B"))));
    }

    @Test
    void aRemovedMemberThatIsAliveRefutesAndIsBack() {
        // A suspects B, which is alive but was slow; the operator removes it from A.
        hear(MemberStatus.SUSPECT, 1_000);
        ForceLeave decision = forceLeave("B", 2_000, new ArrayList<>());
        assertTrue(decision.accepted());
        Member leftB = a.member("B");

        SwimNode realB = h.node(b(MemberStatus.ALIVE), 81, List.of(alive("A"), alive("C"), alive("D")));
        List<Effect> fx = new ArrayList<>(receive(realB, "A", gossip(rumor(leftB, "A")), 2_100));

        Member refuted = realB.self();
        assertAll(
                () -> assertEquals(INCARNATION + 1, refuted.incarnation(), "refuted like a wrong suspicion"),
                () -> assertEquals(MemberStatus.ALIVE, refuted.status()),
                () -> assertEquals(1, realB.counters().refutations()));
        fx.addAll(fire(realB, Timer.GOSSIP_TICK, 2_150));
        assertTrue(rumorsAbout(rumorsSent(fx), "B").contains(rumor(refuted, "B")), "the refutation goes out: " + fx);

        List<MemberEvent> back = published(receive(a, "B", gossip(rumor(refuted, "B")), 2_200));
        assertEquals(refuted, a.member("B"));
        assertEquals(MemberEvent.Kind.ALIVE_AGAIN, back.get(0).kind());
        assertEquals(List.of(), published(step(out -> a.forceLeave("B", 2_300, out))), "alive now: refused");
    }
}
