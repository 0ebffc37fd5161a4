package dev.grapevine.runtime;

import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.grapevine.runtime.LocalCluster.member;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Network faults between real nodes, made with Artery's test mode (traffic between two systems
 * blackholed, then let through again): a partition is detected on both sides and heals to one view;
 * a node cut off until it is suspected refutes once it is reachable again.
 */
class PartitionTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String TEST_MODE = ArteryFaults.TEST_MODE;

    private static void cut(LocalCluster.Node from, LocalCluster.Node to, boolean blackhole) {
        ArteryFaults.cut(from.system(), LocalCluster.SYSTEM_NAME, to.address(), blackhole);
    }

    private static void awaitStatus(LocalCluster.Node viewer, String name, MemberStatus status) {
        LocalCluster.awaitStatus(viewer, name, status, DEADLINE);
    }

    @Test
    void aPartitionIsDetectedOnBothSidesAndHealsToOneView() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), TEST_MODE);
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), TEST_MODE);
            LocalCluster.Node c = cluster.start("c", List.of(a.address()), TEST_MODE);
            LocalCluster.Node d = cluster.start("d", List.of(a.address()), TEST_MODE);
            List<LocalCluster.Node> all = List.of(a, b, c, d);
            for (LocalCluster.Node viewer : all) {
                for (String n : List.of("a", "b", "c", "d")) {
                    awaitStatus(viewer, n, MemberStatus.ALIVE);
                }
            }
            for (LocalCluster.Node x : List.of(a, b)) {
                for (LocalCluster.Node y : List.of(c, d)) {
                    cut(x, y, true);
                }
            }
            awaitStatus(a, "c", MemberStatus.DEAD);
            awaitStatus(b, "d", MemberStatus.DEAD);
            awaitStatus(c, "a", MemberStatus.DEAD);
            awaitStatus(d, "b", MemberStatus.DEAD);
            awaitStatus(a, "b", MemberStatus.ALIVE);
            awaitStatus(c, "d", MemberStatus.ALIVE);

            for (LocalCluster.Node x : List.of(a, b)) {
                for (LocalCluster.Node y : List.of(c, d)) {
                    cut(x, y, false);
                }
            }
            for (LocalCluster.Node viewer : all) {
                for (String n : List.of("a", "b", "c", "d")) {
                    awaitStatus(viewer, n, MemberStatus.ALIVE);
                }
            }
        }
    }

    @Test
    void aNodeCutOffUntilSuspectedRefutesWithAHigherIncarnation() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), TEST_MODE);
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), TEST_MODE);
            LocalCluster.Node c = cluster.start("c", List.of(a.address()), TEST_MODE);
            for (LocalCluster.Node viewer : List.of(a, b, c)) {
                for (String n : List.of("a", "b", "c")) {
                    awaitStatus(viewer, n, MemberStatus.ALIVE);
                }
            }
            TestProbe<MemberEvent> events = TestProbe.create(a.system());
            LocalCluster.subscribe(a, events.getRef(), null);
            cut(c, a, true);
            cut(c, b, true);
            events.fishForMessage(DEADLINE, e -> e.kind() == MemberEvent.Kind.SUSPECTED && e.member().name().equals("c")
                    ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
            cut(c, a, false);
            cut(c, b, false);
            for (LocalCluster.Node viewer : List.of(a, b)) {
                TestProbe.create(viewer.system()).awaitAssert(DEADLINE, Duration.ofMillis(100), () -> {
                    Member seen = member(viewer, "c");
                    assertEquals(MemberStatus.ALIVE, seen.status(), viewer.address() + " sees " + seen);
                    assertTrue(seen.incarnation() >= 1, "c refuted with a higher incarnation: " + seen);
                    return null;
                });
            }
        }
    }
}
