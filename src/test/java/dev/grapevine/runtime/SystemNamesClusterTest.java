package dev.grapevine.runtime;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.node.SystemNameTag;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes of one cluster in actor systems of different names: joining depends on the cluster name only,
 * and every node reaches every other under that one's own system name, learnt from its frames and
 * from the member record it gossips.
 */
class SystemNamesClusterTest {
    private static final Duration FORMED = Duration.ofSeconds(20);

    private static void awaitAlive(LocalCluster.Node viewer, List<String> names) {
        for (String name : names) {
            LocalCluster.awaitStatus(viewer, name, MemberStatus.ALIVE, FORMED);
        }
    }

    @Test
    void aNodeInASystemOfAnotherNameJoinsAndIsReachedByAMemberThatLearntOfItByGossip() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), "");
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), "");
            // shop's seed a is reached under the cluster's default name; a learns "shop" from shop's frames.
            LocalCluster.Node shop = cluster.startAs("shop", "shop", List.of(a.address().toString()), "");
            for (LocalCluster.Node viewer : List.of(a, b, shop)) {
                awaitAlive(viewer, List.of("a", "b", "shop"));
            }
            assertEquals("shop", LocalCluster.member(b, "shop").tags().get(SystemNameTag.KEY),
                    "b learnt shop's system name from its member record");

            // d never heard from shop directly: it learns of it, and its system's name, through gossip.
            LocalCluster.Node d = cluster.start("d", List.of(b.address()), "");
            for (LocalCluster.Node viewer : List.of(a, b, shop, d)) {
                awaitAlive(viewer, List.of("a", "b", "shop", "d"));
            }

            // Both ways, straight from one node to another: an event is sent to each member directly.
            TestProbe<UserEvent> atD = TestProbe.create(d.system());
            TestProbe<UserEvent> atShop = TestProbe.create(shop.system());
            LocalCluster.subscribe(d, null, atD.getRef());
            LocalCluster.subscribe(shop, null, atShop.getRef());
            emit(shop, "from-shop");
            emit(d, "from-d");
            assertTrue(names(atD, 2).contains("from-shop"), "d heard shop's event");
            assertTrue(names(atShop, 2).contains("from-d"), "shop heard d's event");

            // Probes go both ways: after several more probe rounds at d and at shop, nobody is dead.
            long dProbes = d.metric("probes");
            long shopProbes = shop.metric("probes");
            TestProbe.create(d.system()).awaitAssert(FORMED, Duration.ofMillis(100), () -> {
                assertTrue(d.metric("probes") >= dProbes + 8 && shop.metric("probes") >= shopProbes + 8,
                        "probes at d " + d.metric("probes") + ", at shop " + shop.metric("probes"));
                return null;
            });
            for (LocalCluster.Node viewer : List.of(a, b, shop, d)) {
                assertEquals(0, viewer.metric("deaths_declared"), viewer.address() + " declared a death");
                awaitAlive(viewer, List.of("a", "b", "shop", "d"));
            }
            assertTrue(d.metric("acks_received") > 0 && shop.metric("acks_received") > 0);
        }
    }

    @Test
    void aSeedInASystemNotNamedAfterTheClusterIsGivenAsSystemAtHostPort() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node inventory = cluster.startAs("inventory", "inv", List.of(), "");
            LocalCluster.Node a = cluster.start("a", List.of(), "");
            LocalCluster.Node c = cluster.startAs("checkout", "c", List.of("inventory@" + inventory.address(), a.address().toString()), "");
            for (LocalCluster.Node viewer : List.of(inventory, a, c)) {
                awaitAlive(viewer, List.of("inv", "a", "c"));
            }
        }
    }

    @Test
    void aNodeOfAnotherClusterInASystemOfAnotherNameIsRefusedByName() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node green = cluster.start("g", List.of(), "grapevine.cluster-name = green");
            // b's frames reach g (a seed is assumed to be "grapevine"); g learns nothing from them, but
            // answers its refusal under the system name they state.
            LocalCluster.Node blue = cluster.startAs("blue", "b", List.of(green.address().toString()), "grapevine.cluster-name = blue");
            TestProbe.create(blue.system()).awaitAssert(FORMED, Duration.ofMillis(100), () -> {
                assertTrue(blue.metric("joins_refused_by_foreign_cluster") > 0, "b heard no refusal");
                assertTrue(green.metric("foreign_cluster_refused") > 0, "g refused nothing");
                return null;
            });
            assertEquals(List.of("g"), LocalCluster.members(green).stream().map(m -> m.name()).toList());
            assertEquals(List.of("b"), LocalCluster.members(blue).stream().map(m -> m.name()).toList());
        }
    }

    private static void emit(LocalCluster.Node node, String name) {
        TestProbe<MembershipActor.EmitResult> emitted = TestProbe.create(node.system());
        node.guardian().tell(new NodeGuardian.ToMembership(new MembershipActor.Emit(name,
                name.getBytes(StandardCharsets.UTF_8), emitted.getRef())));
        assertNotNull(emitted.receiveMessage().event());
    }

    private static List<String> names(TestProbe<UserEvent> probe, int count) {
        return probe.receiveSeveralMessages(count, Duration.ofSeconds(10)).stream().map(UserEvent::name).toList();
    }
}
