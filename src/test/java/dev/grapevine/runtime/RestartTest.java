package dev.grapevine.runtime;

import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.grapevine.runtime.LocalCluster.member;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node with a data dir crashes and comes back elsewhere, told nothing: it must find its way back. */
class RestartTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void aCrashedNodeRestartedOnANewAddressRejoinsItsOldPeersAndSupersedesItsEntry(@TempDir Path dir) {
        try (LocalCluster cluster = new LocalCluster()) {
            String dataDir = "grapevine.node.data-dir = \"" + dir.toString().replace("\\", "/") + "\"";
            LocalCluster.Node a = cluster.start("a", List.of(), "");
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), dataDir);
            TestProbe<Void> probe = TestProbe.create(a.system());
            probe.awaitAssert(DEADLINE, Duration.ofMillis(200), () -> {
                assertTrue(Files.exists(dir.resolve("peers")), "b has not recorded its peers yet");
                assertTrue(Files.readString(dir.resolve("peers")).contains(a.address().toString()));
                return null;
            });
            Member before = member(a, "b");
            LocalCluster.crash(b);

            LocalCluster.Node again = cluster.start("b", List.of(), dataDir); // no seeds: only the data dir
            assertNotEquals(b.address(), again.address(), "the restarted node listens elsewhere");
            probe.awaitAssert(DEADLINE, Duration.ofMillis(100), () -> {
                Member now = member(a, "b");
                assertNotNull(now);
                assertEquals(MemberStatus.ALIVE, now.status(), "a sees " + now);
                assertEquals(again.address(), now.address(), "a reaches b at its new address");
                assertTrue(now.epoch() > before.epoch(), "the new life supersedes the old: " + now);
                return null;
            });
            probe.awaitAssert(DEADLINE, Duration.ofMillis(100), () -> {
                assertEquals(MemberStatus.ALIVE, member(again, "a").status());
                return null;
            });
        }
    }

    /**
     * Peers send to the uid of b's actors once they know it. b comes back on its own address, so its
     * new actors have new uids there: a message to an old uid would be dropped, and b's new life
     * would be suspected. It must be reached by path until its uids are learnt again, never
     * suspected. b rejoins through c, so that a hears of the new life second-hand.
     */
    @Test
    void aNodeRestartedOnItsOwnAddressIsReachedWithoutASuspicion() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), "");
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), "");
            LocalCluster.Node c = cluster.start("c", List.of(a.address()), "");
            TestProbe<Void> probe = TestProbe.create(a.system());
            probe.awaitAssert(DEADLINE, Duration.ofMillis(100), () -> {
                assertTrue(a.metric("peer_sends_by_uid") > 0, "a sends by uid");
                assertEquals(MemberStatus.ALIVE, member(c, "b").status());
                return null;
            });
            Member before = member(a, "b");
            TestProbe<MemberEvent> suspicions = TestProbe.create(a.system());
            for (LocalCluster.Node viewer : List.of(a, c)) {
                viewer.guardian().tell(new NodeGuardian.ToMembership(new MembershipActor.SubscribeMembers(suspicions.ref(), e -> {
                    if (e.kind() == MemberEvent.Kind.SUSPECTED && e.member().name().equals("b")
                            && e.member().epoch() > before.epoch()) {
                        suspicions.ref().tell(e);
                    }
                })));
            }
            LocalCluster.crash(b);

            LocalCluster.Node again = cluster.start("b", List.of(c.address()),
                    "pekko.remote.artery.canonical.port = " + b.address().port());
            assertEquals(b.address(), again.address());
            for (LocalCluster.Node viewer : List.of(a, c)) {
                probe.awaitAssert(DEADLINE, Duration.ofMillis(100), () -> {
                    Member now = member(viewer, "b");
                    assertTrue(now.epoch() > before.epoch() && now.status() == MemberStatus.ALIVE, viewer.address() + " sees " + now);
                    return null;
                });
            }
            // Every node probes every other within 2N - 1 = 5 probe intervals (1 s each).
            suspicions.expectNoMessage(Duration.ofSeconds(6));
            assertEquals(0, again.metric("refutations"));
        }
    }
}
