package dev.grapevine.runtime;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.grapevine.runtime.LocalCluster.member;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real nodes (the actor tree over Artery TCP) in one JVM, local profile. Conditions are polled with a
 * deadline; nothing sleeps.
 */
class MultiNodeTest {
    private static final Duration FORMED = Duration.ofSeconds(20);

    private static void awaitAlive(LocalCluster.Node viewer, List<String> names) {
        for (String name : names) {
            LocalCluster.awaitStatus(viewer, name, MemberStatus.ALIVE, FORMED);
        }
    }

    @Test
    void nodesJoinThroughASeedAndEveryoneSeesEveryone() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), "");
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), "");
            LocalCluster.Node c = cluster.start("c", List.of(a.address()), "");
            for (LocalCluster.Node viewer : List.of(a, b, c)) {
                awaitAlive(viewer, List.of("a", "b", "c"));
            }
        }
    }

    @Test
    void aUserEventReachesEveryNodeOnce() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), "");
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), "");
            LocalCluster.Node c = cluster.start("c", List.of(a.address()), "");
            awaitAlive(c, List.of("a", "b", "c"));
            awaitAlive(a, List.of("a", "b", "c"));
            List<TestProbe<UserEvent>> probes = List.of(TestProbe.create(a.system()), TestProbe.create(b.system()),
                    TestProbe.create(c.system()));
            List<LocalCluster.Node> all = List.of(a, b, c);
            for (int i = 0; i < 3; i++) {
                LocalCluster.subscribe(all.get(i), null, probes.get(i).getRef());
            }
            TestProbe<MembershipActor.EmitResult> emitted = TestProbe.create(b.system());
            b.guardian().tell(new NodeGuardian.ToMembership(new MembershipActor.Emit("deploy",
                    "v42".getBytes(StandardCharsets.UTF_8), emitted.getRef())));
            assertNotNull(emitted.receiveMessage().event());
            for (TestProbe<UserEvent> p : probes) {
                UserEvent e = p.receiveMessage(Duration.ofSeconds(10));
                assertEquals("deploy", e.name());
                assertEquals("v42", new String(e.payload(), StandardCharsets.UTF_8));
                assertEquals("b", e.origin());
                p.expectNoMessage(Duration.ofMillis(500));
            }
        }
    }

    @Test
    void anOversizedUserEventIsRefusedWithAClearError() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), "");
            TestProbe<MembershipActor.EmitResult> emitted = TestProbe.create(a.system());
            a.guardian().tell(new NodeGuardian.ToMembership(new MembershipActor.Emit("big", new byte[9000], emitted.getRef())));
            String error = emitted.receiveMessage().error();
            assertTrue(error != null && error.contains("the limit is 8192 bytes"), error);
        }
    }

    @Test
    void aCrashedNodeIsDeclaredDeadByTheSurvivors() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), "");
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), "");
            LocalCluster.Node c = cluster.start("c", List.of(a.address()), "");
            awaitAlive(a, List.of("a", "b", "c"));
            awaitAlive(b, List.of("a", "b", "c"));
            TestProbe<MemberEvent> events = TestProbe.create(a.system());
            LocalCluster.subscribe(a, events.getRef(), null);
            LocalCluster.crash(c);
            MemberEvent failed = events.fishForMessage(FORMED, e -> e.kind() == MemberEvent.Kind.FAILED
                    && e.member().name().equals("c")
                    ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                    : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore()).get(0);
            assertEquals(MemberStatus.DEAD, failed.member().status());
            TestProbe<Void> probe = TestProbe.create(b.system());
            probe.awaitAssert(FORMED, Duration.ofMillis(100), () -> {
                assertEquals(MemberStatus.DEAD, member(b, "c").status());
                return null;
            });
        }
    }

    @Test
    void aGracefulLeaveIsRecordedAsLeft() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), "");
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), "");
            awaitAlive(a, List.of("a", "b"));
            awaitAlive(b, List.of("a", "b"));
            TestProbe<Done> left = TestProbe.create(b.system());
            b.guardian().tell(new NodeGuardian.ToMembership(new MembershipActor.Leave(left.getRef())));
            left.receiveMessage(Duration.ofSeconds(5));
            LocalCluster.crash(b); // the process exits after its leave went out
            TestProbe<Void> probe = TestProbe.create(a.system());
            probe.awaitAssert(FORMED, Duration.ofMillis(100), () -> {
                assertEquals(MemberStatus.LEFT, member(a, "b").status());
                return null;
            });
        }
    }
}
