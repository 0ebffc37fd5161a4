package dev.grapevine.core.node;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.wire.ClusterName;
import dev.grapevine.core.wire.Message;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.grapevine.core.node.NodeHarness.addressOf;
import static dev.grapevine.core.node.NodeHarness.alive;
import static dev.grapevine.core.node.NodeHarness.gossip;
import static dev.grapevine.core.node.NodeHarness.rumor;
import static dev.grapevine.core.node.NodeHarness.sends;
import static dev.grapevine.core.node.NodeHarness.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node reads no message of another cluster, and a join of another cluster is refused with a reason. */
class ClusterIsolationTest {
    private static final ClusterName GREEN = ClusterName.of("green");
    private static final ClusterName BLUE = ClusterName.of("blue");

    private final NodeHarness h = new NodeHarness();

    private SwimNode node(String name, ClusterName cluster, String... peers) {
        SwimNode node = new SwimNode(alive(name), h.settings, cluster, new SplittableRandom(1), h.names);
        node.restoreView(java.util.Arrays.stream(peers).map(NodeHarness::alive).toList(), 0, new Outbox());
        return node;
    }

    private static List<Effect> receive(SwimNode node, String from, ClusterName cluster, Message m, long nowMillis) {
        return step(out -> node.onMessage(addressOf(from), cluster.id(), m, nowMillis, out));
    }

    @Test
    void aForeignJoinIsDroppedCountedAndAnsweredWithARefusalNamingThisCluster() {
        SwimNode seed = node("G1", GREEN, "G2");
        List<Member> before = seed.members();
        Message.PushPull join = new Message.PushPull(true, false, 0, List.of(alive("B1"), alive("B2")));
        List<Effect> effects = receive(seed, "B1", BLUE, join, 10);

        assertEquals(before, seed.members(), "the view is unchanged");
        assertNull(seed.member("B1"));
        assertEquals(1, seed.counters().foreignClusterRefused());
        assertEquals(1L, seed.metrics().get("foreign_cluster_refused"));
        List<Effect.Send> sent = sends(effects);
        assertEquals(1, sent.size(), "only the refusal goes out, no view: " + effects);
        assertEquals(addressOf("B1"), sent.get(0).to());
        assertEquals(new Message.Refusal("green", BLUE.id()), sent.get(0).message());
    }

    @Test
    void theGuardNamesTheClusterAJoinTellsAndTheIdOtherwise() {
        Counters counters = new Counters();
        ClusterGuard guard = new ClusterGuard(GREEN, counters);
        Outbox out = new Outbox();
        Message.PushPull join = new Message.PushPull(true, false, 0, List.of(alive("B1")), List.of(), List.of(), "blue");
        assertEquals(new ClusterGuard.Refused(addressOf("B1"), BLUE.id(), "blue", true),
                guard.check(addressOf("B1"), BLUE.id(), join, out));
        assertEquals(new ClusterGuard.Refused(addressOf("B1"), BLUE.id(), null, false),
                guard.check(addressOf("B1"), BLUE.id(), gossip(rumor(alive("B2"), "B1")), out));
        assertNull(guard.check(addressOf("G2"), GREEN.id(), gossip(rumor(alive("G3"), "G2")), out));
        assertEquals(2, counters.foreignClusterRefused());
    }

    @Test
    void aJoinNamesTheJoinersCluster() {
        SwimNode joiner = node("B1", BLUE);
        List<Effect> effects = step(out -> joiner.join(List.of(addressOf("G1")), 0, out));
        Message.PushPull join = (Message.PushPull) sends(effects).stream()
                .filter(s -> s.message() instanceof Message.PushPull).findFirst().orElseThrow().message();
        assertTrue(join.join());
        assertEquals("blue", join.cluster());
    }

    @Test
    void foreignPingsAcksGossipAndPushPullRepliesAreDroppedUnansweredAndTheViewIsUnchanged() {
        SwimNode node = node("G1", GREEN, "G2");
        List<Member> before = node.members();
        Message.Gossip gossip = gossip(rumor(alive("B2"), "B1"));
        List<Message> foreign = List.of(
                new Message.Ping(1, "G1", List.of(rumor(alive("B3"), "B1"))),
                new Message.Ack(1, List.of(rumor(alive("B4"), "B1"))),
                gossip,
                new Message.PushPull(false, false, 0, List.of(alive("B1"))),
                new Message.PushPull(false, true, 0, List.of(alive("B1"))),
                new Message.ViewDigest(42, 0),
                new Message.PingReq(2, "G2", addressOf("G2")));
        long now = 10;
        for (Message m : foreign) {
            List<Effect> effects = receive(node, "B1", BLUE, m, now++);
            assertTrue(sends(effects).isEmpty(), m + " was answered: " + effects);
        }
        assertEquals(before, node.members());
        assertEquals(foreign.size(), node.counters().foreignClusterRefused());
    }

    @Test
    void theSameClusterPasses() {
        SwimNode node = node("G1", GREEN, "G2");
        receive(node, "G3", GREEN, new Message.PushPull(true, false, 0, List.of(alive("G3"))), 10);
        receive(node, "G2", GREEN, gossip(rumor(alive("G4"), "G2")), 20);
        assertNotNull(node.member("G3"));
        assertNotNull(node.member("G4"));
        assertEquals(0, node.counters().foreignClusterRefused());
    }

    @Test
    void aJoinerReportsTheRefusalOfItsSeedAndAdoptsNothing() {
        SwimNode joiner = node("B1", BLUE);
        Address seed = addressOf("G1");
        step(out -> joiner.join(List.of(seed), 0, out));
        List<Member> before = joiner.members();
        // The refusal comes from the other cluster, and is the one message read from it.
        List<Effect> effects = step(out -> joiner.onMessage(seed, GREEN.id(), new Message.Refusal("green", BLUE.id()), 5, out));
        assertTrue(effects.contains(new Effect.JoinRefused(seed, "green")), effects.toString());
        assertEquals(1, joiner.counters().joinsRefusedByForeignCluster());
        assertEquals(before, joiner.members());
        assertEquals(1, joiner.liveCount());
    }

    @Test
    void aRefusalFromAnAddressThisNodeDidNotAskIsCountedAndIgnored() {
        SwimNode node = node("B1", BLUE, "B2");
        List<Effect> effects = step(out -> node.onMessage(addressOf("G9"), GREEN.id(), new Message.Refusal("green", BLUE.id()), 5, out));
        assertTrue(effects.stream().noneMatch(e -> e instanceof Effect.JoinRefused), effects.toString());
        assertEquals(1, node.counters().foreignClusterRefused());
    }
}
