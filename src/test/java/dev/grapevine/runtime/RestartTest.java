package dev.grapevine.runtime;

import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.awaitility.Awaitility;
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
     * new actors have new uids there: a message to an old uid would be dropped, b's new life would be
     * suspected and would have to refute. It must be reached by path until it speaks, then by its new
     * uids, and never be suspected.
     */
    @Test
    void aNodeRestartedOnItsOwnAddressIsReachedWithoutASuspicion() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), "");
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), "");
            LocalCluster.Node c = cluster.start("c", List.of(a.address()), "");
            TestProbe<Void> probe = TestProbe.create(a.system());
            // a knows the uids of b's and c's failure detectors at least, and sends by them.
            probe.awaitAssert(DEADLINE, Duration.ofMillis(100), () -> {
                assertTrue(a.metric("peer_uids_known") >= 2, "a knows " + a.metric("peer_uids_known") + " uids");
                assertTrue(a.metric("peer_sends_by_uid") > 0);
                return null;
            });
            long knownBefore = a.metric("peer_uids_known");
            Member before = member(a, "b");
            LocalCluster.crash(b);

            LocalCluster.Node again = cluster.start("b", List.of(a.address()),
                    "pekko.remote.artery.canonical.port = " + b.address().port());
            assertEquals(b.address(), again.address());
            for (LocalCluster.Node viewer : List.of(a, c)) {
                probe.awaitAssert(DEADLINE, Duration.ofMillis(100), () -> {
                    Member now = member(viewer, "b");
                    assertTrue(now.epoch() > before.epoch() && now.status() == MemberStatus.ALIVE, viewer.address() + " sees " + now);
                    return null;
                });
            }
            long sentByUid = a.metric("peer_sends_by_uid");
            long suspicions = a.metric("suspicions_raised") + c.metric("suspicions_raised");
            probe.awaitAssert(DEADLINE, Duration.ofMillis(100), () -> {
                assertTrue(a.metric("peer_uids_known") >= knownBefore, "a has learnt b's new uids");
                assertTrue(a.metric("peer_sends_by_uid") > sentByUid);
                return null;
            });
            // Every node probes every other within 2N - 1 = 5 probe intervals (1 s each): b's new
            // life must be probed, by uid, and answer each probe, never suspected and never refuting.
            Awaitility.await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() ->
                    again.metric("refutations") == 0
                            && a.metric("suspicions_raised") + c.metric("suspicions_raised") == suspicions);
        }
    }
}
