package dev.grapevine.runtime;

import dev.grapevine.core.member.Member;
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
}
