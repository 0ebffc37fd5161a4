package dev.grapevine.runtime;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.node.Role;
import dev.grapevine.core.node.Signal;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.grapevine.runtime.LocalCluster.member;
import static dev.grapevine.runtime.LocalCluster.members;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each role actor is made to fail on purpose (a signal it does not take throws), and the node must
 * stay a healthy member that loses nothing: replicas restart and refill from membership; a failed
 * membership restarts the node under a new epoch that supersedes the old entry everywhere.
 */
class SupervisionTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static void awaitAlive(LocalCluster.Node viewer, String name) {
        LocalCluster.awaitStatus(viewer, name, MemberStatus.ALIVE, DEADLINE);
    }

    /** Waits until {@code name} in {@code node}'s metrics differs from its value now. */
    private static void awaitMetricMoves(LocalCluster.Node node, String name) {
        long now = node.metric(name);
        TestProbe.create(node.system()).awaitAssert(DEADLINE, Duration.ofMillis(100), () -> {
            assertTrue(node.metric(name) != now, name + " stuck at " + now);
            return null;
        });
    }

    @Test
    void aFailedFailureDetectorRestartsAndStillDetectsCrashes() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), "");
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), "");
            LocalCluster.Node c = cluster.start("c", List.of(a.address()), "");
            for (String n : List.of("a", "b", "c")) {
                awaitAlive(a, n);
            }
            List<Member> before = members(a);
            awaitMetricMoves(a, "probes"); // the figures are being published
            a.guardian().tell(new NodeGuardian.Route(Role.FAILURE_DETECTOR, new Signal.ProbeFailed(before.get(0))));
            // The restarted actor starts its counters afresh: its figures change, then grow as it probes.
            awaitMetricMoves(a, "probes");
            awaitMetricMoves(a, "probes");
            // Same members and lives (incarnations move on as recovery gossips its progress).
            assertEquals(lives(before), lives(members(a)), "membership lost nothing");
            LocalCluster.crash(c);
            TestProbe.create(a.system()).awaitAssert(DEADLINE, Duration.ofMillis(100), () -> {
                assertEquals(MemberStatus.DEAD, member(a, "c").status(), "a still probes after its restart");
                return null;
            });
            awaitAlive(b, "a");
        }
    }

    @Test
    void aFailedGossiperRestartsAndStillSpreadsEvents() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), "");
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), "");
            awaitAlive(a, "b");
            awaitAlive(b, "a");
            a.guardian().tell(new NodeGuardian.Route(Role.GOSSIPER, new Signal.Refuted()));
            long gossipBefore = a.metric("gossip_messages");
            TestProbe<UserEvent> events = TestProbe.create(b.system());
            LocalCluster.subscribe(b, null, events.getRef());
            TestProbe<MembershipActor.EmitResult> emitted = TestProbe.create(a.system());
            a.guardian().tell(new NodeGuardian.ToMembership(new MembershipActor.Emit("after-restart",
                    "x".getBytes(StandardCharsets.UTF_8), emitted.getRef())));
            assertNotNull(emitted.receiveMessage().event());
            assertEquals("after-restart", events.receiveMessage(DEADLINE).name());
            // Delivered by a's restarted gossiper, not only by the next push-pull:
            TestProbe.create(a.system()).awaitAssert(DEADLINE, Duration.ofMillis(100), () -> {
                assertTrue(a.metric("gossip_messages") > 0 && a.metric("gossip_messages") != gossipBefore,
                        "the restarted gossiper sends: " + a.metrics().snapshot());
                return null;
            });
            awaitAlive(b, "a");
        }
    }

    @Test
    void aFailedMembershipRestartsTheNodeUnderANewEpoch() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), "");
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), "");
            awaitAlive(a, "b");
            long epochBefore = member(a, "b").epoch();
            b.guardian().tell(new NodeGuardian.Route(Role.MEMBERSHIP, new Signal.Refuted()));
            TestProbe.create(a.system()).awaitAssert(DEADLINE, Duration.ofMillis(100), () -> {
                Member seen = member(a, "b");
                assertEquals(MemberStatus.ALIVE, seen.status());
                assertTrue(seen.epoch() > epochBefore, "a sees b's new life: " + seen);
                return null;
            });
            awaitAlive(b, "a");
        }
    }

    private static List<String> lives(List<Member> members) {
        return members.stream().map(m -> m.name() + "/" + m.epoch() + "/" + m.status()).sorted().toList();
    }
}
