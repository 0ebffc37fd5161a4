package dev.grapevine.kv;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.api.Grapevine;
import dev.grapevine.api.MemberStatus;
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
 * Tombstone GC on three nodes in one JVM over real Artery (RF 3: every node owns every key): a key
 * deleted while one owner is down stays deleted after that owner comes back with the old value,
 * after gc-grace purges the tombstone everywhere, and through a crash, a restart and more repair.
 * gc-grace is 20 s here, with a hint window of 500 ms, clocks within 250 ms and a routine repair
 * round every second; an owner down longer than gc-grace allows refuses to start, or drops its data
 * when told to ({@code stale-replica = drop}).
 */
class KvTombstoneGcClusterTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String KV = "grapevine.kv { hint-window = 500ms, max-clock-ahead = 250ms, request-timeout = 500ms }\n"
            + "grapevine.recovery { partitions = 16, stable-after = 300ms, retry-after = 200ms, anti-entropy-interval = 1s,"
            + " request-timeout = 1s }\n";
    /** Long enough for c's first return (within about 6 s of its last repair) to keep its data: 20 - 0.75 - 0.25 = 19 s. */
    private static final String GC_GRACE_20S = "grapevine.kv.gc-grace = 20s\n";
    /** Short enough that c, down while the others purge, comes back stale: 3 - 0.75 - 0.25 = 2 s. */
    private static final String GC_GRACE_3S = "grapevine.kv.gc-grace = 3s\n";
    private String gcGrace = GC_GRACE_20S;

    @TempDir
    Path dirs;

    private KvTestNodes cluster;

    @BeforeEach
    void nodes() {
        cluster = new KvTestNodes(dirs, "kv-");
    }

    private Node start(String name, String seed) {
        return cluster.start(name, seed, KV + gcGrace);
    }

    private static void crash(Node n) {
        n.system().terminate();
        n.system().getWhenTerminated().toCompletableFuture().join();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }


    private static void awaitComplete(List<Node> nodes) {
        KvTestNodes.awaitComplete(nodes, nodes.size(), DEADLINE);
    }

    /** What each owner holds for {@code key}, as the replicas request reports it. */
    private static List<KvRecord> replicas(Node via, String key, int owners) {
        KvActor.ReplicasResult r = get(via.kv().replicas(key));
        assertNull(r.error(), r.toString());
        assertEquals(owners, r.replicas().size(), r.toString());
        List<KvRecord> held = new ArrayList<>();
        r.replicas().forEach(s -> {
            assertEquals("alive", s.status(), r.toString());
            held.add(s.record());
        });
        return held;
    }

    private static void assertDeletedEverywhere(List<Node> nodes, String key) {
        for (Node n : nodes) {
            KvActor.ReadResult read = get(n.kv().get(key));
            assertNull(read.error(), read.toString());
            assertTrue(read.record() == null || read.record().tombstone(), n.name() + " reads " + read.record());
        }
        for (KvRecord r : replicas(nodes.get(0), key, nodes.size())) {
            assertTrue(r == null || r.tombstone(), key + " is back: " + r);
        }
    }

    private static long syncsDone(List<Node> nodes) {
        long done = 0;
        for (Node n : nodes) {
            done += get(n.grapevine().recoveryStatus()).local().getOrDefault("syncs_done", 0L);
        }
        return done;
    }

    @Test
    void a_key_deleted_while_an_owner_was_down_stays_deleted_through_gc_grace_a_crash_and_a_repair() {
        Node a = start("a", null);
        String seed = a.grapevine().address();
        List<Node> nodes = new ArrayList<>(List.of(a, start("b", seed), start("c", seed)));
        awaitComplete(nodes);
        assertNull(get(a.kv().put("doomed", "old".getBytes(StandardCharsets.UTF_8))).error());
        assertNull(get(a.kv().put("kept", "here".getBytes(StandardCharsets.UTF_8))).error());
        await().atMost(DEADLINE).untilAsserted(() -> replicas(a, "doomed", 3).forEach(r -> assertNotNull(r, "not on every owner yet")));

        // c goes down holding "doomed"; the others delete it.
        Node c = nodes.remove(2);
        crash(c);
        await().atMost(DEADLINE).untilAsserted(() -> assertEquals(MemberStatus.DEAD, get(a.grapevine().members()).stream()
                .filter(m -> m.name().equals("c")).findFirst().orElseThrow().status()));
        awaitComplete(nodes);
        KvActor.WriteResult delete = get(nodes.get(1).kv().delete("doomed"));
        assertNull(delete.error(), delete.toString());

        // c comes back with the old value (within gc-grace of its last repair, so it keeps its data):
        // repair must give it the tombstone, not the others its value.
        Node back = start("c", seed);
        nodes.add(back);
        assertEquals(0L, back.kv().metrics().get("kv_stale_keys_dropped"), "c was away for less than gc-grace: it keeps its data");
        awaitComplete(nodes);
        await().atMost(DEADLINE).untilAsserted(() -> replicas(a, "doomed", 3)
                .forEach(r -> assertTrue(r != null && r.tombstone(), "every owner holds the tombstone: " + r)));
        assertDeletedEverywhere(nodes, "doomed");

        // gc-grace passes and routine repair proves every owner has it: purged on every owner.
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (Node n : nodes) {
                assertTrue(n.kv().metrics().get("kv_tombstones_purged") >= 1, n.name() + ": " + n.kv().metrics());
            }
            replicas(a, "doomed", 3).forEach(r -> assertNull(r, "the tombstone is purged on every owner"));
        });
        assertDeletedEverywhere(nodes, "doomed");
        assertEquals("here", new String(get(back.kv().get("kept")).record().value(), StandardCharsets.UTF_8));

        // A crash and a restart, then more rounds of repair: nothing brings it back.
        nodes.remove(back);
        crash(back);
        Node again = start("c", seed);
        nodes.add(again);
        awaitComplete(nodes);
        long syncs = syncsDone(nodes);
        again.grapevine().repairNow();
        await().atMost(DEADLINE).until(() -> syncsDone(nodes) >= syncs + 16); // at least one more exchange per partition
        assertDeletedEverywhere(nodes, "doomed");
        replicas(a, "doomed", 3).forEach(r -> assertNull(r, "still purged on every owner"));
        for (Node n : nodes) {
            assertEquals("here", new String(get(n.kv().get("kept")).record().value(), StandardCharsets.UTF_8), n.name());
        }
    }

    /** The rule itself is in TombstonePurgeTest (refuse, keep, drop); this runs it across a cluster, in -Pslow. */
    @Test
    @org.junit.jupiter.api.Tag("slow")
    void an_owner_down_while_the_others_purge_refuses_to_start_or_drops_its_data() {
        gcGrace = GC_GRACE_3S;
        Node a = start("a", null);
        String seed = a.grapevine().address();
        List<Node> nodes = new ArrayList<>(List.of(a, start("b", seed), start("c", seed)));
        awaitComplete(nodes);
        assertNull(get(a.kv().put("doomed", "old".getBytes(StandardCharsets.UTF_8))).error());
        assertNull(get(a.kv().put("kept", "here".getBytes(StandardCharsets.UTF_8))).error());
        await().atMost(DEADLINE).untilAsserted(() -> replicas(a, "doomed", 3).forEach(r -> assertNotNull(r, "not on every owner yet")));

        Node c = nodes.remove(2);
        crash(c);
        await().atMost(DEADLINE).untilAsserted(() -> assertEquals(MemberStatus.DEAD, get(a.grapevine().members()).stream()
                .filter(m -> m.name().equals("c")).findFirst().orElseThrow().status()));
        awaitComplete(nodes);
        assertNull(get(a.kv().delete("doomed")).error());
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                replicas(a, "doomed", 2).forEach(r -> assertNull(r, "the tombstone is purged on a and b")));

        // c still holds the old value, and the others no longer hold the tombstone that beats it.
        try {
            start("c", seed);
            throw new AssertionError("c started with a store older than gc-grace allows");
        } catch (StaleReplicaException e) {
            assertTrue(e.getMessage().contains("stale-replica = drop"), e.getMessage());
        }
        crash(new Node("c", cluster.systems().get(cluster.systems().size() - 1), null, null)); // its node started before the store refused
        gcGrace = GC_GRACE_3S + "grapevine.kv.stale-replica = drop\n";
        Node back = start("c", seed);
        nodes.add(back);
        assertEquals(2L, back.kv().metrics().get("kv_stale_keys_dropped"), "c was away longer than gc-grace allows");
        awaitComplete(nodes);
        assertDeletedEverywhere(nodes, "doomed");
        await().atMost(DEADLINE).untilAsserted(() -> replicas(a, "kept", 3)
                .forEach(r -> assertEquals("here", r == null ? null : new String(r.value(), StandardCharsets.UTF_8))));
    }
}
