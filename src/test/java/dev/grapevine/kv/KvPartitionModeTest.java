package dev.grapevine.kv;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.api.Grapevine;
import dev.grapevine.api.NodeBootstrap;
import dev.grapevine.api.RecoveryStatus;
import dev.grapevine.runtime.ArteryFaults;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import dev.grapevine.kv.KvTestNodes.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.grapevine.kv.KvTestNodes.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kv.partition-mode = majority} on five nodes over real Artery split 3|2: the minority side
 * refuses writes naming the reason (and still serves reads), the majority side takes them, and after
 * the heal the majority's acknowledged value is the one on every node.
 */
class KvPartitionModeTest {
    private static final Duration DEADLINE = Duration.ofSeconds(40);

    @TempDir
    Path dirs;

    private KvTestNodes cluster;

    @BeforeEach
    void nodes() {
        cluster = new KvTestNodes(dirs, "kvm-");
    }

    private Node start(String name, String seed) {
        return cluster.start(name, seed, "grapevine.kv.partition-mode = majority\n"
                + "grapevine.recovery { partitions = 16, stable-after = 300ms, retry-after = 200ms }");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }


    private static void awaitComplete(List<Node> nodes, int members) {
        KvTestNodes.awaitComplete(nodes, members, DEADLINE);
    }

    private static void cut(List<Node> side, List<Node> other, boolean blackhole) {
        for (Node x : side) {
            for (Node y : other) {
                ArteryFaults.cut(x.system(), y.system().name(), dev.grapevine.core.member.Address.parse(y.grapevine().address()), blackhole);
            }
        }
    }

    private void awaitReference(String node, List<String> members) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertEquals(members, MajorityWrites.read(dirs.resolve(node).resolve(MajorityWrites.FILE)), node));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String value(KvActor.ReadResult r) {
        assertNull(r.error(), r.toString());
        assertNotNull(r.record(), r.toString());
        return new String(r.record().value(), StandardCharsets.UTF_8);
    }

    @Test
    void onlyTheMajoritySideTakesWritesAndItsValueIsTheOneEverywhereAfterTheHeal() {
        Node a = start("a", null);
        String seed = a.grapevine().address();
        List<Node> all = List.of(a, start("b", seed), start("c", seed), start("d", seed), start("e", seed));
        awaitComplete(all, 5);
        for (Node n : all) { // the whole cluster's epoch, once complete, is every node's reference, on disk
            awaitReference(n.name(), List.of("a", "b", "c", "d", "e"));
        }
        assertNull(get(a.kv().put("k", utf8("before"))).error());

        List<Node> majority = all.subList(0, 3);
        List<Node> minority = all.subList(3, 5);
        cut(majority, minority, true);
        awaitComplete(majority, 3);
        awaitComplete(minority, 2);

        for (Node n : minority) {
            KvActor.WriteResult refused = get(n.kv().put("k", utf8("minority-" + n.name())));
            assertNotNull(refused.error(), n.name() + ": " + refused);
            assertTrue(refused.error().startsWith(KvActor.MINORITY_REFUSAL), refused.error());
            assertTrue(refused.error().contains("sees 2 of the 5 members of the last majority epoch; writes need 3"), refused.error());
            assertEquals(0, refused.acks());
            assertTrue(n.kv().metrics().get("kv_writes_refused_minority") >= 1, n.kv().metrics().toString());
            assertEquals("before", value(get(n.kv().get("k"))), "reads are still served on the minority side");
        }
        for (Node n : majority) {
            KvActor.WriteResult w = get(n.kv().put("k", utf8("majority-" + n.name())));
            assertNull(w.error(), n.name() + ": " + w);
            assertEquals(0L, n.kv().metrics().get("kv_writes_refused_minority"));
        }
        String acked = "majority-c"; // the last write acknowledged
        // The majority's reference is its own side; the minority's is still the whole cluster.
        awaitReference("a", List.of("a", "b", "c"));
        assertEquals(List.of("a", "b", "c", "d", "e"), MajorityWrites.read(dirs.resolve("d").resolve(MajorityWrites.FILE)));

        cut(majority, minority, false);
        awaitComplete(all, 5);
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            KvActor.ReplicasResult r = get(a.kv().replicas("k"));
            assertEquals(3, r.replicas().size(), r.toString());
            for (KvActor.ReplicaState s : r.replicas()) {
                assertNotNull(s.record(), r.toString());
                assertEquals(acked, new String(s.record().value(), StandardCharsets.UTF_8), r.toString());
            }
        });
        for (Node n : all) {
            assertEquals(acked, value(get(n.kv().get("k"))), n.name());
        }
        // Healed: the minority side takes writes again.
        assertNull(get(all.get(4).kv().put("k2", utf8("after"))).error());
    }
}
