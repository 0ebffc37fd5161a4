package dev.grapevine.core.node;

import static dev.grapevine.core.node.NodeHarness.alive;
import static dev.grapevine.core.node.NodeHarness.fire;
import static dev.grapevine.core.node.NodeHarness.gossip;
import static dev.grapevine.core.node.NodeHarness.onlySchedule;
import static dev.grapevine.core.node.NodeHarness.onlySend;
import static dev.grapevine.core.node.NodeHarness.published;
import static dev.grapevine.core.node.NodeHarness.receive;
import static dev.grapevine.core.node.NodeHarness.rumor;
import static dev.grapevine.core.node.NodeHarness.rumorsAbout;
import static dev.grapevine.core.node.NodeHarness.scheduled;
import static dev.grapevine.core.node.NodeHarness.sendsOf;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.wire.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Corroborated suspicion in a LAN view (probe 1000 ms / 500 ms; 4 corroborators; a quorum of 3
 * accusers; a refutation window of one probe timeout; Lifeguard's 4 s..24 s behind it): who checks
 * a suspect, when a quorum declares it dead, and what a node that cannot hear does.
 */
class SwimNodeCorroborationTest {
    private static final long T0 = 10_000;
    private static final long WINDOW = 500;

    private final NodeHarness h = new NodeHarness();
    private final SwimNode a = h.node("A", 21, "B", "C", "D", "E");
    private final Member suspectB = alive("B").withStatus(MemberStatus.SUSPECT);

    private List<Effect> accuse(SwimNode node, String accuser, long now) {
        return receive(node, accuser, gossip(rumor(suspectB, accuser)), now);
    }

    private static long suspicionDeadline(List<Effect> fx, String name) {
        return scheduled(fx, Timer.Kind.SUSPICION).stream().filter(s -> name.equals(s.timer().subject()))
                .mapToLong(Effect.Schedule::atMillis).min().orElse(-1);
    }

    /**
     * Makes {@code node} deaf: it heard a peer once, then a probe of its own, on time, got no answer
     * from anyone, and nothing else reached it for more than two probe periods.
     */
    private static void loseHearing(SwimNode node, long now) {
        receive(node, "E", new Message.Ping(1, node.self().name(), List.of()), now - 3_000);
        List<Effect> tick = fire(node, Timer.PROBE_TICK, now);
        Message.Ping ping = (Message.Ping) onlySend(tick, Message.Ping.class).message();
        fire(node, Timer.forProbe(Timer.Kind.PROBE_TIMEOUT, ping.seq()), now + 500);
        fire(node, Timer.forProbe(Timer.Kind.PROBE_DEADLINE, ping.seq()), now + 1000);
    }

    // ---------------------------------------------------------------- the rule, as a table

    /**
     * Accusers of B heard by A, each as "name@ms after the suspicion began"; when A may declare B dead.
     * The first accuser counts toward the quorum; an accuser counted twice does not.
     */
    @ParameterizedTest(name = "accusers {0}: deadline +{1} ms")
    @CsvSource(delimiter = ';', value = {
            "C@0; 24000",                      // a lone accuser: Lifeguard's maximum
            "C@0 D@100; 11381",                // two: Lifeguard with one confirmation
            "C@0 D@100 E@200; 500",            // three: the quorum, after the refutation window
            "C@0 D@100 D@200; 11381",          // the same confirmer twice is one
            "C@0 D@700 E@900; 500",            // a quorum after the window: at once (the timer is already due)
            "C@0 C@100 C@200; 24000"})         // the first accuser again and again is one
    void whenAQuorumOrLifeguardDeclaresTheDeath(String accusers, long deadlineAfterMillis) {
        long deadline = -1;
        for (String entry : accusers.split(" ")) {
            String[] parts = entry.split("@");
            long d = suspicionDeadline(accuse(a, parts[0], T0 + Long.parseLong(parts[1])), "B");
            deadline = d >= 0 ? d : deadline;
        }
        assertEquals(T0 + deadlineAfterMillis, deadline);
    }

    @Test
    void aQuorumDeclaresTheDeathOnceTheRefutationWindowHasPassed() {
        accuse(a, "C", T0);
        accuse(a, "D", T0 + 100);
        accuse(a, "E", T0 + 200);

        assertTrue(fire(a, Timer.suspicion("B"), T0 + WINDOW - 1).isEmpty(), "still inside the refutation window");
        List<Effect> fx = fire(a, Timer.suspicion("B"), T0 + WINDOW);

        assertAll(
                () -> assertEquals(MemberStatus.DEAD, a.member("B").status()),
                () -> assertEquals(MemberEvent.Kind.FAILED, published(fx).get(0).kind()),
                () -> assertEquals("A", published(fx).get(0).source()),
                () -> assertEquals(1, a.counters().deathsDeclared()),
                () -> assertEquals(1, a.counters().deathsByQuorum()));
    }

    @Test
    void theSuspectsRefutationWinsOverAQuorum() {
        accuse(a, "C", T0);
        accuse(a, "D", T0 + 100);
        accuse(a, "E", T0 + 200);

        receive(a, "B", gossip(rumor(alive("B").withIncarnation(1), "B")), T0 + 300);
        fire(a, Timer.suspicion("B"), T0 + WINDOW);

        assertEquals(MemberStatus.ALIVE, a.member("B").status());
        assertEquals(0, a.counters().deathsDeclared());
    }

    @Test
    void withTooFewMembersToMakeAQuorumLifeguardDecidesAlone() {
        SwimNode small = h.node("A", 3, "B", "C"); // besides B, only A and C could accuse: fewer than 3
        List<Effect> fx = accuse(small, "C", T0);
        assertEquals(T0 + h.settings.suspicionMinMillis(3), suspicionDeadline(fx, "B"), "Lifeguard's timeout: k = 0 at n = 3");

        long seq = ((Message.Ping) onlySend(fx, Message.Ping.class).message()).seq();
        fire(small, Timer.forProbe(Timer.Kind.PROBE_DEADLINE, seq), T0 + 500); // A's own check fails too

        assertTrue(published(fire(small, Timer.suspicion("B"), T0 + WINDOW)).isEmpty(), "no quorum deadline");
        assertEquals(MemberStatus.SUSPECT, small.member("B").status());
    }

    // ---------------------------------------------------------------- the check

    @Test
    void anObserverChecksANewSuspectAtOnceWithAPingAndPingReqsTogether() {
        List<Effect> fx = accuse(a, "C", T0);

        Effect.Send ping = onlySend(fx, Message.Ping.class);
        Message.Ping p = (Message.Ping) ping.message();
        List<Effect.Send> requests = sendsOf(fx, Message.PingReq.class);
        assertAll(
                () -> assertEquals(NodeHarness.addressOf("B"), ping.to()),
                () -> assertTrue(rumorsAbout(p.piggyback(), "B").stream().allMatch(r -> r.member().equals(suspectB))
                        && !rumorsAbout(p.piggyback(), "B").isEmpty(), "the ping carries the suspicion, so B can refute on the ack"),
                () -> assertEquals(3, requests.size(), "ping-reqs go out with the ping, not after a timeout"),
                () -> assertEquals(T0 + 500, onlySchedule(fx, Timer.Kind.PROBE_DEADLINE).atMillis(), "one probe timeout"),
                () -> assertEquals(1, a.counters().asMap().get("checks")));
    }

    @Test
    void aFailedCheckIsOneMoreAccuser() {
        List<Effect> fx = accuse(a, "C", T0);
        long seq = ((Message.Ping) onlySend(fx, Message.Ping.class).message()).seq();

        List<Effect> concluded = fire(a, Timer.forProbe(Timer.Kind.PROBE_DEADLINE, seq), T0 + 500);

        assertEquals(1, a.counters().asMap().get("checks_failed"));
        assertEquals(T0 + 11_381, suspicionDeadline(concluded, "B"), "C and A itself: Lifeguard with one confirmation");
        assertEquals(T0 + WINDOW, suspicionDeadline(accuse(a, "D", T0 + 600), "B"), "C, A and D: a quorum");
    }

    @Test
    void anAnsweredCheckConfirmsNothing() {
        List<Effect> fx = accuse(a, "C", T0);
        long seq = ((Message.Ping) onlySend(fx, Message.Ping.class).message()).seq();

        receive(a, "B", new Message.Ack(seq, List.of()), T0 + 3);
        fire(a, Timer.forProbe(Timer.Kind.PROBE_DEADLINE, seq), T0 + 500);

        assertEquals(0, a.counters().asMap().get("checks_failed"));
        assertEquals(T0 + 11_381, suspicionDeadline(accuse(a, "D", T0 + 600), "B"), "C and D only: no quorum");
    }

    @Test
    void inALargeViewOnlyTheSuspectsObserversCheckIt() {
        List<String> names = IntStream.range(0, 20).mapToObj(i -> "N" + i).toList();
        Member suspect = alive("N7").withStatus(MemberStatus.SUSPECT);
        List<String> checkers = new ArrayList<>();
        for (String name : names) {
            if (name.equals("N7") || name.equals("N0")) {
                continue; // the suspect, and the accuser
            }
            SwimNode node = h.node(alive(name), 5, names.stream().filter(n -> !n.equals(name)).map(NodeHarness::alive).toList());
            List<Effect> fx = receive(node, "N0", gossip(rumor(suspect, "N0")), T0);
            if (!sendsOf(fx, Message.Ping.class).isEmpty()) {
                checkers.add(name);
            }
        }
        assertTrue(checkers.size() >= 3 && checkers.size() <= 4, () -> "the suspect's 4 observers (the accuser may be one): " + checkers);
    }

    // ---------------------------------------------------------------- a node that cannot hear

    @Test
    void aNodeThatCannotHearNeitherChecksNorDeclares() {
        loseHearing(a, T0 - 2_000); // three missing nacks: a score of 3, above 2

        List<Effect> fx = accuse(a, "C", T0);
        accuse(a, "D", T0 + 100);
        accuse(a, "E", T0 + 200);
        List<Effect> due = fire(a, Timer.suspicion("B"), T0 + WINDOW);

        assertAll(
                () -> assertTrue(sendsOf(fx, Message.Ping.class).isEmpty(), "no check"),
                () -> assertEquals(MemberStatus.SUSPECT, a.member("B").status(), "no verdict from it"),
                () -> assertEquals(T0 + WINDOW + 1_000, suspicionDeadline(due, "B"), "it looks again a probe period later"),
                () -> assertTrue(a.counters().accusationsWithheld() >= 1));
        receive(a, "C", gossip(rumor(alive("B").withStatus(MemberStatus.DEAD), "C")), T0 + 700);
        assertEquals(MemberStatus.DEAD, a.member("B").status(), "others' verdicts still count");
    }

    @Test
    void aNodeDeclaredDeadWhileItCouldNotHearKeepsOutUntilItHasHeardTheOthersLongEnough() {
        loseHearing(a, T0 - 2_000); // no answer at all, and nothing heard for more than two periods: deaf
        Member deadA = alive("A").withStatus(MemberStatus.DEAD);

        List<Effect> fx = receive(a, "C", gossip(rumor(deadA, "C")), T0);
        assertAll(
                () -> assertEquals(0, a.self().incarnation(), "no refutation yet"),
                () -> assertEquals(1, a.counters().rejoinsHeld()),
                () -> assertEquals(T0 + 1_000, suspicionDeadline(fx, "A"), "it looks again a probe period later"));

        // It hears again: an ack of its probe, which also brings its score down to 2 (no longer poor).
        List<Effect> tick = fire(a, Timer.PROBE_TICK, T0 + 1_000);
        Message.Ping ping = (Message.Ping) onlySend(tick, Message.Ping.class).message();
        List<Effect> heard = receive(a, ping.target(), new Message.Ack(ping.seq(), List.of()), T0 + 1_002);
        assertEquals(1, sendsOf(heard, Message.PushPull.class).size(), "it asks one member for its view at once");
        long hearsAt = T0 + 1_002;

        fire(a, Timer.suspicion("A"), hearsAt + h.settings.rejoinAfterDeafMillis() - 1);
        assertEquals(0, a.self().incarnation(), "it has not heard the others for long enough yet");
        fire(a, Timer.suspicion("A"), hearsAt + h.settings.rejoinAfterDeafMillis());
        assertEquals(1, a.self().incarnation(), "refuted: back in the cluster");
    }

    @Test
    void aDeafNodeAnswersASuspicionTwoProbePeriodsAfterItHearsAgainUnlessAVerdictCame() {
        loseHearing(a, T0 - 2_000);
        Member suspectA = alive("A").withStatus(MemberStatus.SUSPECT);

        receive(a, "C", gossip(rumor(suspectA, "C")), T0);
        assertEquals(0, a.self().incarnation(), "a deaf node cannot vouch for itself");
        assertEquals(1, a.counters().asMap().get("refutations_deferred"));

        receive(a, "D", new Message.Ping(5, "A", List.of()), T0 + 100); // it hears again
        fire(a, Timer.suspicion("A"), T0 + 100 + 1_999);
        assertEquals(0, a.self().incarnation(), "waiting for the others' word on it");
        fire(a, Timer.suspicion("A"), T0 + 100 + 2_000);
        assertEquals(1, a.self().incarnation(), "no verdict came: the suspicion is refuted");
    }

    @Test
    void aDeafNodeThatLearnsItWasDeclaredDeadKeepsOut() {
        loseHearing(a, T0 - 2_000);
        receive(a, "C", gossip(rumor(alive("A").withStatus(MemberStatus.SUSPECT), "C")), T0);
        receive(a, "D", new Message.Ping(5, "A", List.of()), T0 + 100);
        // The answer to its push-pull: the peer holds it dead (taken as a verdict, not a suspicion).
        Message.PushPull view = new Message.PushPull(false, true, 0, List.of(alive("D"), alive("A").withStatus(MemberStatus.DEAD)));
        receive(a, "D", view, T0 + 105);

        fire(a, Timer.suspicion("A"), T0 + 100 + 2_000);
        assertEquals(0, a.self().incarnation(), "held dead: it keeps out");
        assertEquals(1, a.counters().rejoinsHeld());
    }

    @Test
    void aNodeThatWasNeverUnwellRefutesItsDeathAtOnce() {
        receive(a, "C", gossip(rumor(alive("A").withStatus(MemberStatus.DEAD), "C")), T0);

        assertEquals(1, a.self().incarnation());
        assertEquals(0, a.counters().rejoinsHeld());
    }

    @Test
    void aNodeWithAPoorScoreThatStillHearsRefutesASuspicionAtOnce() {
        // A probe that heard from none of its relays (a score of 3: poor), while pings still reach it.
        List<Effect> tick = fire(a, Timer.PROBE_TICK, T0 - 2_000);
        Message.Ping ping = (Message.Ping) onlySend(tick, Message.Ping.class).message();
        fire(a, Timer.forProbe(Timer.Kind.PROBE_TIMEOUT, ping.seq()), T0 - 1_500);
        receive(a, "D", new Message.Ping(5, "A", List.of()), T0 - 1_200);
        fire(a, Timer.forProbe(Timer.Kind.PROBE_DEADLINE, ping.seq()), T0 - 1_000);
        assertEquals(3, a.localHealthScore());

        receive(a, "C", gossip(rumor(alive("A").withStatus(MemberStatus.SUSPECT), "C")), T0);

        assertEquals(1, a.self().incarnation(), "the suspect's refutation wins");
    }

    @Test
    void aNodeThatWasStoppedIsNotDeafAndRefutesItsDeathAtOnce() {
        receive(a, "E", new Message.Ping(1, "A", List.of()), T0 - 5_000);
        List<Effect> tick = fire(a, Timer.PROBE_TICK, T0 - 4_000);
        Message.Ping ping = (Message.Ping) onlySend(tick, Message.Ping.class).message();
        // SIGSTOP for 3 s: the probe's timers fire late, all at once, before the peers' messages are read.
        fire(a, Timer.forProbe(Timer.Kind.PROBE_TIMEOUT, ping.seq()), T0 - 200);
        fire(a, Timer.forProbe(Timer.Kind.PROBE_DEADLINE, ping.seq()), T0 - 100);

        receive(a, "C", gossip(rumor(alive("A").withStatus(MemberStatus.DEAD), "C")), T0);

        assertEquals(1, a.self().incarnation(), "a late probe says the node was stopped, not that it cannot hear");
        assertEquals(0, a.counters().rejoinsHeld());
    }

    @Test
    void aNodeThatHasHeardNoOneYetIsJoiningNotDeaf() {
        loseHearingWithoutEverHearing(a, T0 - 2_000);

        receive(a, "C", gossip(rumor(alive("A").withStatus(MemberStatus.DEAD), "C")), T0);

        assertEquals(1, a.self().incarnation());
    }

    private static void loseHearingWithoutEverHearing(SwimNode node, long now) {
        List<Effect> tick = fire(node, Timer.PROBE_TICK, now);
        Message.Ping ping = (Message.Ping) onlySend(tick, Message.Ping.class).message();
        fire(node, Timer.forProbe(Timer.Kind.PROBE_TIMEOUT, ping.seq()), now + 500);
        fire(node, Timer.forProbe(Timer.Kind.PROBE_DEADLINE, ping.seq()), now + 1000);
    }
}
