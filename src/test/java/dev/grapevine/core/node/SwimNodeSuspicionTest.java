package dev.grapevine.core.node;

import static dev.grapevine.core.node.NodeHarness.alive;
import static dev.grapevine.core.node.NodeHarness.fire;
import static dev.grapevine.core.node.NodeHarness.gossip;
import static dev.grapevine.core.node.NodeHarness.onlySchedule;
import static dev.grapevine.core.node.NodeHarness.onlySend;
import static dev.grapevine.core.node.NodeHarness.published;
import static dev.grapevine.core.node.NodeHarness.receive;
import static dev.grapevine.core.node.NodeHarness.rumor;
import static dev.grapevine.core.node.NodeHarness.scheduled;
import static dev.grapevine.core.node.NodeHarness.step;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.swim.Suspicion;
import dev.grapevine.core.wire.Message;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Suspicion to death with Lifeguard's dynamic timeout alone (no corroborators, so no quorum: see
 * {@link SwimNodeCorroborationTest}), in a 5-node LAN view: min = 4 x 1000 ms, max = 6 x min,
 * k = suspicionMult - 2 = 2 expected confirmations.
 */
class SwimNodeSuspicionTest {
    private static final long T0 = 10_000;
    private static final long MIN = 4_000;
    private static final long MAX = 24_000;
    private static final long ONE_CONFIRMATION = 11_381; // 24000 - 20000 * log 2 / log 3, floored

    private final NodeHarness h = new NodeHarness(NodeHarness.LAN.toBuilder().corroborators(0).build());
    private final SwimNode a = h.node("A", 21, "B", "C", "D", "E");
    private final Member suspectB = alive("B").withStatus(MemberStatus.SUSPECT);

    private List<Effect> accuse(String accuser, long now) {
        return receive(a, accuser, gossip(rumor(suspectB, accuser)), now);
    }

    private static List<Effect.Schedule> suspicionTimers(List<Effect> fx) {
        return scheduled(fx, Timer.Kind.SUSPICION);
    }

    @Test
    void settingsGiveTheExpectedBounds() {
        assertEquals(5, a.liveCount());
        assertEquals(MIN, h.settings.suspicionMinMillis(5));
        assertEquals(MAX, h.settings.suspicionMaxMillis(5));
        assertEquals(2, Suspicion.expectedConfirmations(h.settings.suspicionMult(), 5));
    }

    @Test
    void firstAccusationStartsASuspicionWithTheMaximumTimeout() {
        List<Effect> fx = accuse("C", T0);

        List<MemberEvent> events = published(fx);
        assertAll(
                () -> assertEquals(MemberStatus.SUSPECT, a.member("B").status()),
                () -> assertEquals(1, events.size()),
                () -> assertEquals(MemberEvent.Kind.SUSPECTED, events.get(0).kind()),
                () -> assertEquals("C", events.get(0).source()),
                () -> assertEquals(Timer.suspicion("B"), onlySchedule(fx, Timer.Kind.SUSPICION).timer()),
                () -> assertEquals(T0 + MAX, onlySchedule(fx, Timer.Kind.SUSPICION).atMillis()));
    }

    @Test
    void eachDistinctConfirmationMovesTheDeadlineEarlier() {
        accuse("C", T0);

        List<Effect> first = accuse("D", T0 + 300);
        assertEquals(T0 + ONE_CONFIRMATION, onlySchedule(first, Timer.Kind.SUSPICION).atMillis());
        assertEquals(T0 + Suspicion.timeoutMillis(MIN, MAX, 2, 1), onlySchedule(first, Timer.Kind.SUSPICION).atMillis());

        List<Effect> second = accuse("E", T0 + 600);
        assertEquals(T0 + MIN, onlySchedule(second, Timer.Kind.SUSPICION).atMillis(),
                "k confirmations bring the deadline to start + min");
    }

    @Test
    void repeatedAccuserOrTheFirstAccuserDoesNotCount() {
        accuse("C", T0);

        assertTrue(suspicionTimers(accuse("C", T0 + 100)).isEmpty(), "the first accuser again");
        assertEquals(T0 + ONE_CONFIRMATION, onlySchedule(accuse("D", T0 + 200), Timer.Kind.SUSPICION).atMillis());
        assertTrue(suspicionTimers(accuse("D", T0 + 300)).isEmpty(), "the same confirmer again");
        assertTrue(suspicionTimers(accuse("C", T0 + 400)).isEmpty(), "the first accuser once more");
        assertEquals(T0 + MIN, onlySchedule(accuse("E", T0 + 500), Timer.Kind.SUSPICION).atMillis());
        assertTrue(suspicionTimers(accuse("F", T0 + 600)).isEmpty(), "beyond k confirmations");
    }

    @Test
    void confirmationMustBeAboutTheSameState() {
        accuse("C", T0);
        Member olderB = Member.alive("B", NodeHarness.addressOf("B"), 0, 9, java.util.Map.of())
                .withStatus(MemberStatus.SUSPECT);

        List<Effect> fx = receive(a, "D", gossip(rumor(olderB, "D")), T0 + 100);

        assertTrue(suspicionTimers(fx).isEmpty(), "a suspicion of an older epoch confirms nothing");
    }

    @Test
    void withoutConfirmationsTheMemberDiesAtStartPlusMax() {
        accuse("C", T0);

        assertTrue(fire(a, Timer.suspicion("B"), T0 + MAX - 1).isEmpty(), "one millisecond early");
        assertEquals(MemberStatus.SUSPECT, a.member("B").status());

        List<Effect> fx = fire(a, Timer.suspicion("B"), T0 + MAX);

        List<MemberEvent> events = published(fx);
        assertAll(
                () -> assertEquals(MemberStatus.DEAD, a.member("B").status()),
                () -> assertEquals(1, events.size()),
                () -> assertEquals(MemberEvent.Kind.FAILED, events.get(0).kind()),
                () -> assertEquals("B", events.get(0).member().name()),
                () -> assertEquals("A", events.get(0).source(), "this node declares the death"),
                () -> assertEquals(1, a.counters().deathsDeclared()),
                () -> assertEquals(4, a.liveCount()));
    }

    @Test
    void withKConfirmationsTheMemberDiesAtStartPlusMin() {
        accuse("C", T0);
        accuse("D", T0 + 100);
        accuse("E", T0 + 200);

        assertTrue(fire(a, Timer.suspicion("B"), T0 + MIN - 1).isEmpty());
        List<Effect> fx = fire(a, Timer.suspicion("B"), T0 + MIN);

        assertEquals(MemberStatus.DEAD, a.member("B").status());
        assertEquals(MemberEvent.Kind.FAILED, published(fx).get(0).kind());
        assertEquals("A", published(fx).get(0).source());
        // The timers scheduled for the earlier deadlines fire later and do nothing.
        assertTrue(fire(a, Timer.suspicion("B"), T0 + ONE_CONFIRMATION).isEmpty());
        assertTrue(fire(a, Timer.suspicion("B"), T0 + MAX).isEmpty());
        assertEquals(1, a.counters().deathsDeclared());
    }

    @Test
    void newerIncarnationAliveClearsTheSuspicion() {
        accuse("C", T0);

        List<Effect> fx = receive(a, "B", gossip(rumor(alive("B").withIncarnation(1), "B")), T0 + 2_000);

        assertEquals(MemberEvent.Kind.ALIVE_AGAIN, published(fx).get(0).kind());
        assertEquals(MemberStatus.ALIVE, a.member("B").status());
        assertTrue(fire(a, Timer.suspicion("B"), T0 + MAX).isEmpty(), "the refuted suspicion's timer does nothing");
        assertEquals(MemberStatus.ALIVE, a.member("B").status());
        assertEquals(1, a.member("B").incarnation());
        assertEquals(0, a.counters().deathsDeclared());
    }

    @Test
    void aliveAtTheSameIncarnationDoesNotClearTheSuspicion() {
        accuse("C", T0);

        List<Effect> fx = receive(a, "B", gossip(rumor(alive("B"), "B")), T0 + 2_000);

        assertTrue(published(fx).isEmpty());
        assertEquals(MemberStatus.SUSPECT, a.member("B").status());
        fire(a, Timer.suspicion("B"), T0 + MAX);
        assertEquals(MemberStatus.DEAD, a.member("B").status());
    }

    @Test
    void pingToASuspectCarriesTheSuspicionFirst() {
        long firstTick = onlySchedule(step(out -> a.start(0, out)), Timer.Kind.PROBE_TICK).atMillis();
        accuse("C", firstTick - 1);
        // Newer news, which the queue would otherwise put in front of the suspicion.
        step(out -> a.emit("deploy", new byte[8], firstTick - 1, out));

        long now = firstTick;
        Message.Ping toB = null;
        for (int i = 0; i < 8 && toB == null; i++) {
            List<Effect> fx = fire(a, Timer.PROBE_TICK, now);
            Message.Ping ping = (Message.Ping) onlySend(fx, Message.Ping.class).message();
            if (ping.target().equals("B")) {
                toB = ping;
            } else {
                receive(a, ping.target(), new Message.Ack(ping.seq(), List.of()), now + 5);
                now = onlySchedule(fx, Timer.Kind.PROBE_TICK).atMillis();
            }
        }

        assertTrue(toB != null, "B is probed within one pass");
        Rumor first = toB.piggyback().get(0);
        assertEquals(rumor(suspectB, "C"), first, "the buddy rumor: B's suspicion with its first accuser");
        assertFalse(a.member("B").status() == MemberStatus.ALIVE);
    }

    @Test
    void restoredSuspectThatKeepsFailingProbesIsEventuallyDeclaredDead() {
        SwimNode r = h.node(alive("A"), 22, List.of(suspectB, alive("C"), alive("D"), alive("E")));
        long now = onlySchedule(step(out -> r.start(0, out)), Timer.Kind.PROBE_TICK).atMillis();
        long failedAt = -1;
        for (int i = 0; i < 8 && failedAt < 0; i++) {
            List<Effect> fx = fire(r, Timer.PROBE_TICK, now);
            Message.Ping ping = (Message.Ping) onlySend(fx, Message.Ping.class).message();
            if (ping.target().equals("B")) {
                failedAt = onlySchedule(fx, Timer.Kind.PROBE_DEADLINE).atMillis();
                fire(r, Timer.forProbe(Timer.Kind.PROBE_DEADLINE, ping.seq()), failedAt);
            } else {
                receive(r, ping.target(), new Message.Ack(ping.seq(), List.of()), now + 5);
                now = onlySchedule(fx, Timer.Kind.PROBE_TICK).atMillis();
            }
        }
        assertTrue(failedAt > 0, "B is probed within one pass");

        fire(r, Timer.suspicion("B"), failedAt + MAX);

        assertEquals(MemberStatus.DEAD, r.member("B").status(),
                "a suspect that stays silent must die within the suspicion timeout");
    }
}
