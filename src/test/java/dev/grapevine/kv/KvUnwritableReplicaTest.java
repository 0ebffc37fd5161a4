package dev.grapevine.kv;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.api.Grapevine;
import dev.grapevine.api.NodeBootstrap;
import dev.grapevine.api.RecoveryStatus;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.grapevine.kv.KvTestNodes.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three nodes over real Artery, one of whose disks fills up: that node refuses writes, tells recovery it
 * cannot hold its data (so no node counts the epoch complete), then, once space is freed, reopens its
 * store by itself and gets the writes it missed by repair (no hints: hints-max = 0), and the epoch is
 * complete again.
 */
class KvUnwritableReplicaTest {
    private static final Duration DEADLINE = Duration.ofSeconds(40);

    @TempDir
    Path dirs;

    private KvTestNodes cluster;

    @BeforeEach
    void nodes() {
        cluster = new KvTestNodes(dirs, "kvu-");
    }

    private Node start(String name, String seed, String fileSystem) {
        return cluster.start(name, seed, "grapevine.kv.hints-max = 0\n"
                + "grapevine.recovery { partitions = 16, stable-after = 300ms, retry-after = 200ms }", fileSystem);
    }

    @AfterEach
    void stop() {
        FullDiskFiles.FULL.set(false);
        cluster.close();
    }


    private static void awaitComplete(List<Node> nodes) {
        KvTestNodes.awaitComplete(nodes, nodes.size(), DEADLINE);
    }

    /** What the node's own store holds for {@code key}, whichever partition it is in; null if nothing. */
    private static String held(Node n, String key) {
        KvStore store = n.kv().store();
        for (int p : store.partitions()) {
            KvRecord r = store.get(p, key);
            if (r != null) {
                return new String(r.value(), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Test
    void aReplicaWhoseDiskFilledUpHoldsUpRecoveryThenReopensByItselfAndIsRepaired() {
        Node a = start("a", null, "");
        String seed = a.grapevine().address();
        Node b = start("b", seed, "");
        Node c = start("c", seed, FullDiskFiles.prefix());
        List<Node> all = List.of(a, b, c);
        awaitComplete(all);
        assertNull(get(a.kv().put("before", "v".getBytes(StandardCharsets.UTF_8))).error());

        FullDiskFiles.FULL.set(true); // c's disk only: a's and b's stores use the plain file system
        Map<String, String> missed = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) { // every key has all three nodes as owners (RF 3): a and b ack, c cannot
            KvActor.WriteResult w = get(a.kv().put("during-" + i, ("v" + i).getBytes(StandardCharsets.UTF_8)));
            assertNull(w.error(), w.toString());
            missed.put("during-" + i, "v" + i);
        }
        await().atMost(DEADLINE).until(() -> c.kv().unwritable() != null);
        KvActor.WriteResult refused = get(c.kv().put("via-c", "x".getBytes(StandardCharsets.UTF_8)));
        assertNotNull(refused.error());
        assertTrue(refused.error().startsWith(KvActor.DISK_REFUSAL + "No space left on device"), refused.error());

        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertEquals(Map.of("kv", "the key-value store cannot write to its disk: No space left on device"),
                    c.grapevine().unavailableDomains());
            RecoveryStatus mine = get(c.grapevine().recoveryStatus());
            assertFalse(mine.complete(), mine.toString());
            assertTrue(mine.local().get("pending") > 0, "its partitions count as pending: " + mine);
            RecoveryStatus theirs = get(a.grapevine().recoveryStatus());
            assertFalse(theirs.complete(), "the others hear it: " + theirs);
            assertTrue(theirs.partitionsPending() > 0, theirs.toString());
        });
        assertEquals(0L, a.kv().metrics().get("kv_hints_stored"), "no hints: only repair can bring c what it missed");

        FullDiskFiles.FULL.set(false); // space freed; no request from here on
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertNull(c.kv().unwritable(), "reopened by its retry timer");
            assertEquals(Map.of(), c.grapevine().unavailableDomains());
        });
        awaitComplete(all);
        for (Map.Entry<String, String> e : missed.entrySet()) {
            assertEquals(e.getValue(), held(c, e.getKey()), e.getKey() + " arrived at c by repair");
        }
        assertEquals(0L, a.kv().metrics().get("kv_read_repairs") + b.kv().metrics().get("kv_read_repairs"));
        assertNull(get(c.kv().put("via-c", "x".getBytes(StandardCharsets.UTF_8))).error(), "c takes writes again");
    }
}
