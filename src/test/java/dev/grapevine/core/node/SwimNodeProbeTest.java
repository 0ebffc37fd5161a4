package dev.grapevine.core.node;

import static dev.grapevine.core.node.NodeHarness.addressOf;
import static dev.grapevine.core.node.NodeHarness.counter;
import static dev.grapevine.core.node.NodeHarness.fire;
import static dev.grapevine.core.node.NodeHarness.onlySchedule;
import static dev.grapevine.core.node.NodeHarness.onlySend;
import static dev.grapevine.core.node.NodeHarness.published;
import static dev.grapevine.core.node.NodeHarness.receive;
import static dev.grapevine.core.node.NodeHarness.rumorsAbout;
import static dev.grapevine.core.node.NodeHarness.sendsOf;
import static dev.grapevine.core.node.NodeHarness.step;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.wire.Message;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SWIM's probe cycle with Lifeguard's nacks, driven step by step (LAN: period 1000 ms, timeout 500 ms, k = 3). */
class SwimNodeProbeTest {
    private static final Set<String> PEERS = Set.of("B", "C", "D", "E");

    private final NodeHarness h = new NodeHarness();
    private final SwimNode a = h.node("A", 11, "B", "C", "D", "E");

    /** One probe in flight: when its tick fired, and the ping it sent. */
    private record Probe(long at, Address to, Message.Ping ping, List<Effect> effects) {
        String target() {
            return ping.target();
        }
    }

    private long start() {
        return onlySchedule(step(out -> a.start(0, out)), Timer.Kind.PROBE_TICK).atMillis();
    }

    private Probe tick(long now) {
        List<Effect> fx = fire(a, Timer.PROBE_TICK, now);
        Effect.Send send = onlySend(fx, Message.Ping.class);
        return new Probe(now, send.to(), (Message.Ping) send.message(), fx);
    }

    private static Timer timeout(Probe p) {
        return Timer.forProbe(Timer.Kind.PROBE_TIMEOUT, p.ping.seq());
    }

    private static Timer deadline(Probe p) {
        return Timer.forProbe(Timer.Kind.PROBE_DEADLINE, p.ping.seq());
    }

    private List<Effect> ack(Probe p, long now) {
        return receive(a, p.target(), new Message.Ack(p.ping.seq(), List.of()), now);
    }

    @Test
    void probeTickSendsOnePingToTheTargetAndSchedulesTimeoutAndDeadline() {
        long t = start();
        Probe p = tick(t);

        assertAll(
                () -> assertTrue(PEERS.contains(p.target()), "target " + p.target()),
                () -> assertEquals(addressOf(p.target()), p.to()),
                () -> assertEquals(1, sendsOf(p.effects, Message.class).size(), "exactly one message"),
                () -> assertEquals(t + 500, onlySchedule(p.effects, Timer.Kind.PROBE_TIMEOUT).atMillis()),
                () -> assertEquals(p.ping.seq(), onlySchedule(p.effects, Timer.Kind.PROBE_TIMEOUT).timer().seq()),
                () -> assertEquals(t + 1000, onlySchedule(p.effects, Timer.Kind.PROBE_DEADLINE).atMillis()),
                () -> assertEquals(p.ping.seq(), onlySchedule(p.effects, Timer.Kind.PROBE_DEADLINE).timer().seq()),
                () -> assertEquals(t + 1000, onlySchedule(p.effects, Timer.Kind.PROBE_TICK).atMillis()),
                () -> assertEquals(1, a.counters().probes()));
    }

    @Test
    void ackWithTheSameSeqEndsTheProbe() {
        Probe p = tick(start());

        assertTrue(ack(p, p.at + 20).isEmpty());

        assertAll(
                () -> assertTrue(fire(a, timeout(p), p.at + 500).isEmpty(), "no ping-req after the ack"),
                () -> assertTrue(fire(a, deadline(p), p.at + 1000).isEmpty(), "no suspicion after the ack"),
                () -> assertEquals(MemberStatus.ALIVE, a.member(p.target()).status()),
                () -> assertEquals(0, a.counters().probesFailed()),
                () -> assertEquals(0, a.localHealthScore()));
    }

    @Test
    void ackWithAnotherSeqDoesNotEndTheProbe() {
        Probe p = tick(start());

        receive(a, p.target(), new Message.Ack(p.ping.seq() + 100, List.of()), p.at + 20);

        assertEquals(1, counter(a, "stale_acks"));
        assertEquals(3, sendsOf(fire(a, timeout(p), p.at + 500), Message.PingReq.class).size());
    }

    @Test
    void probeTimeoutSendsPingReqsToIndirectChecksOtherLiveMembers() {
        Probe p = tick(start());

        List<Effect> fx = fire(a, timeout(p), p.at + 500);

        List<Effect.Send> requests = sendsOf(fx, Message.PingReq.class);
        Set<String> others = new HashSet<>(PEERS);
        others.remove(p.target());
        assertEquals(h.settings.indirectChecks(), requests.size());
        assertEquals(others.stream().map(NodeHarness::addressOf).collect(Collectors.toSet()),
                requests.stream().map(Effect.Send::to).collect(Collectors.toSet()),
                "one ping-req to each member that is neither the target nor A");
        for (Effect.Send s : requests) {
            Message.PingReq r = (Message.PingReq) s.message();
            assertEquals(new Message.PingReq(p.ping.seq(), p.target(), addressOf(p.target())), r);
        }
        assertEquals(requests.size(), fx.size(), "nothing but the ping-reqs");
    }

    @Test
    void pingReqRelaysAreNeverTheTargetOrSelfInALargerView() {
        SwimNode big = h.node("N0", 5, "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9");
        long now = onlySchedule(step(out -> big.start(0, out)), Timer.Kind.PROBE_TICK).atMillis();
        for (int round = 0; round < 30; round++) {
            List<Effect> fx = fire(big, Timer.PROBE_TICK, now);
            Message.Ping ping = (Message.Ping) onlySend(fx, Message.Ping.class).message();
            long timeoutAt = onlySchedule(fx, Timer.Kind.PROBE_TIMEOUT).atMillis();
            List<Effect.Send> requests = sendsOf(
                    fire(big, Timer.forProbe(Timer.Kind.PROBE_TIMEOUT, ping.seq()), timeoutAt), Message.PingReq.class);
            Set<Address> relays = requests.stream().map(Effect.Send::to).collect(Collectors.toSet());
            assertEquals(3, relays.size(), "three distinct relays in round " + round);
            assertFalse(relays.contains(addressOf(ping.target())), "relay is the target in round " + round);
            assertFalse(relays.contains(addressOf("N0")), "relay is the prober in round " + round);
            // Let the relays' ack arrive so the view stays alive and the next round is like this one.
            receive(big, "N1", new Message.Ack(ping.seq(), List.of()), timeoutAt + 10);
            now = onlySchedule(fx, Timer.Kind.PROBE_TICK).atMillis();
        }
    }

    @Test
    void ackRelayedByAnotherMemberEndsTheProbe() {
        Probe p = tick(start());
        List<Effect> requests = fire(a, timeout(p), p.at + 500);
        Address relay = sendsOf(requests, Message.PingReq.class).get(0).to();

        receive(a, relay, new Message.Ack(p.ping.seq(), List.of()), p.at + 700);

        assertTrue(fire(a, deadline(p), p.at + 1000).isEmpty());
        assertEquals(MemberStatus.ALIVE, a.member(p.target()).status());
    }

    @Test
    void deadlineWithoutAckSuspectsTheTarget() {
        Probe p = tick(start());
        for (Effect.Send request : sendsOf(fire(a, timeout(p), p.at + 500), Message.PingReq.class)) {
            receive(a, request.to(), new Message.Nack(p.ping.seq()), p.at + 950); // the relays could not reach it either
        }

        List<Effect> fx = fire(a, deadline(p), p.at + 1000);

        String target = p.target();
        List<MemberEvent> events = published(fx);
        assertAll(
                () -> assertEquals(MemberStatus.SUSPECT, a.member(target).status()),
                () -> assertEquals(1, events.size(), () -> "events " + events),
                () -> assertEquals(MemberEvent.Kind.SUSPECTED, events.get(0).kind()),
                () -> assertEquals(target, events.get(0).member().name()),
                () -> assertEquals("A", events.get(0).source()),
                () -> assertEquals(Timer.suspicion(target), onlySchedule(fx, Timer.Kind.SUSPICION).timer()),
                () -> assertEquals(p.at + 1000 + 24_000, onlySchedule(fx, Timer.Kind.SUSPICION).atMillis(),
                        "a lone accuser waits the maximum: 6 x 4000 ms at n = 5"),
                () -> assertEquals(1, a.counters().probesFailed()),
                () -> assertEquals(1, a.counters().suspicionsRaised()));

        // The suspicion is queued for dissemination: it rides on A's next ping.
        Probe next = tick(p.at + 1000);
        assertNotEquals(target, next.target(), "the suspect was already probed this pass");
        List<dev.grapevine.core.gossip.Rumor.MemberRumor> about = rumorsAbout(next.ping.piggyback(), target);
        assertEquals(1, about.size(), () -> "piggyback " + next.ping.piggyback());
        assertEquals(MemberStatus.SUSPECT, about.get(0).member().status());
        assertEquals("A", about.get(0).source());
    }

    @Test
    void aProberThatHeardFromNoRelayAccusesNoOne() {
        Probe p = tick(start());
        fire(a, timeout(p), p.at + 500);

        List<Effect> fx = fire(a, deadline(p), p.at + 1000);

        assertAll(
                () -> assertEquals(3, a.localHealthScore(), "three missing nacks"),
                () -> assertEquals(MemberStatus.ALIVE, a.member(p.target()).status(), "no suspicion from a node that cannot hear"),
                () -> assertTrue(published(fx).isEmpty()),
                () -> assertEquals(1, a.counters().accusationsWithheld()),
                () -> assertEquals(0, a.counters().suspicionsRaised()));
    }

    @ParameterizedTest(name = "{0} nacks of 3 raise the local health score by {1}")
    @CsvSource({"0, 3", "1, 2", "2, 1", "3, 0"})
    void missingNacksRaiseLocalHealth(int nacks, int expectedRise) {
        Probe p = tick(start());
        List<Effect.Send> requests = sendsOf(fire(a, timeout(p), p.at + 500), Message.PingReq.class);
        assertEquals(3, requests.size());
        int before = a.localHealthScore();

        for (int i = 0; i < nacks; i++) {
            receive(a, requests.get(i).to(), new Message.Nack(p.ping.seq()), p.at + 900);
        }
        fire(a, deadline(p), p.at + 1000);

        assertEquals(before + expectedRise, a.localHealthScore());
    }

    @Test
    void nackForAnotherSeqIsNotCounted() {
        Probe p = tick(start());
        fire(a, timeout(p), p.at + 500);
        for (int i = 0; i < 3; i++) {
            receive(a, "C", new Message.Nack(p.ping.seq() + 1), p.at + 900);
        }
        fire(a, deadline(p), p.at + 1000);

        assertEquals(3, a.localHealthScore());
    }

    @Test
    void failedProbeWithNoOneToAskRaisesLocalHealthByOne() {
        SwimNode pair = h.node("P", 3, "Q");
        long t = onlySchedule(step(out -> pair.start(0, out)), Timer.Kind.PROBE_TICK).atMillis();
        Message.Ping ping = (Message.Ping) onlySend(fire(pair, Timer.PROBE_TICK, t), Message.Ping.class).message();

        assertTrue(sendsOf(fire(pair, Timer.forProbe(Timer.Kind.PROBE_TIMEOUT, ping.seq()), t + 500),
                Message.PingReq.class).isEmpty(), "no other member to relay");
        fire(pair, Timer.forProbe(Timer.Kind.PROBE_DEADLINE, ping.seq()), t + 1000);

        assertEquals(1, pair.localHealthScore());
        assertEquals(MemberStatus.SUSPECT, pair.member("Q").status());
    }

    @Test
    void relayPingsTheTargetWithItsOwnSeqAndForwardsTheAck() {
        SwimNode b = h.node("B", 2, "A", "C");
        List<Effect> fx = receive(b, "A", new Message.PingReq(77, "C", addressOf("C")), 5_000);

        Effect.Send ping = onlySend(fx, Message.Ping.class);
        Message.Ping relayPing = (Message.Ping) ping.message();
        Effect.Schedule relayTimeout = onlySchedule(fx, Timer.Kind.RELAY_TIMEOUT);
        assertAll(
                () -> assertEquals(addressOf("C"), ping.to()),
                () -> assertEquals("C", relayPing.target()),
                () -> assertEquals(relayPing.seq(), relayTimeout.timer().seq()),
                () -> assertEquals(5_400, relayTimeout.atMillis(), "four fifths of what the requester's period has left"));

        // The requester's seq means nothing to B: an ack carrying it is stale.
        assertTrue(sendsOf(receive(b, "C", new Message.Ack(77, List.of()), 5_050), Message.Ack.class).isEmpty());

        List<Effect> acked = receive(b, "C", new Message.Ack(relayPing.seq(), List.of()), 5_100);
        Effect.Send forwarded = onlySend(acked, Message.Ack.class);
        assertEquals(addressOf("A"), forwarded.to());
        assertEquals(77, ((Message.Ack) forwarded.message()).seq());

        assertTrue(fire(b, relayTimeout.timer(), 5_500).isEmpty(), "no nack after the ack");
    }

    @Test
    void relayWithoutAckSendsNackWithTheOriginalSeq() {
        SwimNode b = h.node("B", 2, "A", "C");
        List<Effect> fx = receive(b, "A", new Message.PingReq(77, "C", addressOf("C")), 5_000);
        Effect.Schedule relayTimeout = onlySchedule(fx, Timer.Kind.RELAY_TIMEOUT);

        List<Effect> timedOut = fire(b, relayTimeout.timer(), relayTimeout.atMillis());

        Effect.Send nack = onlySend(timedOut, Message.Nack.class);
        assertEquals(addressOf("A"), nack.to());
        assertEquals(new Message.Nack(77), nack.message());
        assertEquals(1, timedOut.size());
    }

    @Test
    void roundRobinProbesEveryOtherLiveMemberOncePerPass() {
        long now = start();
        for (int pass = 0; pass < 3; pass++) {
            List<String> targets = new ArrayList<>();
            for (int i = 0; i < PEERS.size(); i++) { // N - 1 periods
                Probe p = tick(now);
                targets.add(p.target());
                ack(p, now + 10);
                now = onlySchedule(p.effects, Timer.Kind.PROBE_TICK).atMillis();
            }
            assertEquals(PEERS, new HashSet<>(targets), "pass " + pass + ": " + targets);
            assertEquals(PEERS.size(), targets.size());
        }
    }

    @Test
    void pingForAnotherNameIsIgnoredAndCounted() {
        List<Effect> fx = receive(a, "B", new Message.Ping(5, "Z", List.of()), 1_000);

        assertTrue(fx.isEmpty(), "no ack for a ping addressed to someone else: " + fx);
        assertEquals(1, counter(a, "misdirected_pings"));
    }

    @Test
    void pingForThisNodeIsAcked() {
        List<Effect> fx = receive(a, "B", new Message.Ping(5, "A", List.of()), 1_000);

        Effect.Send ack = onlySend(fx, Message.Ack.class);
        assertEquals(addressOf("B"), ack.to());
        assertEquals(5, ((Message.Ack) ack.message()).seq());
        assertEquals(0, counter(a, "misdirected_pings"));
    }
}
