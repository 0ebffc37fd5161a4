package dev.grapevine.kv;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.api.Grapevine;
import dev.grapevine.api.MemberStatus;
import dev.grapevine.api.RecoveryStatus;
import dev.grapevine.runtime.ArteryFaults;
import dev.grapevine.api.NodeBootstrap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key-value store on four nodes in one JVM over real Artery: quorum writes and reads, then a
 * crash that recovery repairs to three replicas again, then a restart that catches up.
 */
class KvClusterTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dirs;

    private final List<ActorSystem<Void>> systems = new ArrayList<>();

    private record Node(String name, ActorSystem<Void> system, Grapevine grapevine, KvService kv) {
    }

    private Node start(String name, String seed) {
        return start(name, seed, "");
    }

    private Node start(String name, String seed, String extra) {
        Config config = ConfigFactory.parseString(extra + "\n"
                        + "grapevine.node.name = \"" + name + "\"\n"
                        + "grapevine.node.data-dir = \"" + dirs.resolve(name).toString().replace("\\", "/") + "\"\n"
                        + "grapevine.seeds = [" + (seed == null ? "" : "\"" + seed + "\"") + "]\n"
                        + "grapevine.profile = local\n"
                        + ArteryFaults.TEST_MODE + "\n"
                        + "grapevine.recovery { partitions = 16, stable-after = 300ms, retry-after = 200ms }\n"
                        + "pekko.loglevel = WARNING\n"
                        + "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n"
                        + "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"\n"
                        + "pekko.coordinated-shutdown.exit-jvm = off\n"
                        + "grapevine.shutdown.leave = off\n") // these tests crash nodes by terminating their systems
                .withFallback(NodeBootstrap.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load());
        // Only the first node's system is named grapevine (what a seed is assumed to be): the
        // others' replicas are reached under the names their members gossip.
        String systemName = name.equals("a") ? "grapevine" : "kv-" + name;
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), systemName, config);
        systems.add(system);
        Grapevine g = Grapevine.get(system);
        return new Node(name, system, g, KvService.start(system));
    }

    @AfterEach
    void stop() {
        systems.forEach(ActorSystem::terminate);
        systems.forEach(s -> s.getWhenTerminated().toCompletableFuture().join());
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitComplete(List<Node> nodes, int members) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (Node n : nodes) {
                RecoveryStatus s = get(n.grapevine().recoveryStatus());
                assertEquals(members, s.members(), n.name() + ": " + s);
                assertTrue(s.complete(), n.name() + ": " + s);
            }
        });
    }

    private static void awaitReplicas(Node via, Map<String, String> written, int copies) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (Map.Entry<String, String> e : written.entrySet()) {
                KvActor.ReplicasResult r = get(via.kv().replicas(e.getKey()));
                long holding = r.replicas().stream()
                        .filter(s -> s.record() != null && new String(s.record().value(), StandardCharsets.UTF_8).equals(e.getValue()))
                        .count();
                assertEquals(copies, holding, e.getKey() + ": " + r);
            }
        });
    }

    @Test
    void writes_survive_a_crash_and_a_restarted_node_catches_up() {
        Node a = start("a", null);
        String seed = a.grapevine().address();
        List<Node> nodes = new ArrayList<>(List.of(a, start("b", seed), start("c", seed), start("d", seed)));
        awaitComplete(nodes, 4);

        Map<String, String> written = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            String key = "key-" + i;
            KvActor.WriteResult w = get(nodes.get(i % 4).kv().put(key, ("v" + i).getBytes(StandardCharsets.UTF_8)));
            assertNull(w.error(), key + ": " + w);
            assertTrue(w.acks() >= 2);
            written.put(key, "v" + i);
        }
        for (int i = 0; i < 200; i += 7) {
            KvActor.ReadResult r = get(nodes.get((i + 1) % 4).kv().get("key-" + i));
            assertNull(r.error());
            assertEquals("v" + i, new String(r.record().value(), StandardCharsets.UTF_8));
        }
        awaitReplicas(a, written, 3);

        // d crashes: its partitions move to survivors, which copy them from the remaining owners.
        Node d = nodes.remove(3);
        d.system().terminate();
        d.system().getWhenTerminated().toCompletableFuture().join();
        await().atMost(DEADLINE).untilAsserted(() -> assertEquals(MemberStatus.DEAD, get(a.grapevine().members()).stream()
                .filter(m -> m.name().equals("d")).findFirst().orElseThrow().status()));
        awaitComplete(nodes, 3);
        awaitReplicas(a, written, 3);

        // Writes while d is away, then d comes back from its data dir and catches up.
        for (int i = 200; i < 260; i++) {
            assertNull(get(nodes.get(i % 3).kv().put("key-" + i, ("v" + i).getBytes(StandardCharsets.UTF_8))).error());
            written.put("key-" + i, "v" + i);
        }
        Node back = start("d", seed);
        nodes.add(back);
        awaitComplete(nodes, 4);
        awaitReplicas(back, written, 3);
        for (Map.Entry<String, String> e : written.entrySet()) {
            KvActor.ReadResult r = get(back.kv().get(e.getKey()));
            assertNotNull(r.record(), e.getKey());
            assertEquals(e.getValue(), new String(r.record().value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void deletes_leave_tombstones_that_read_as_absent() {
        Node a = start("a", null);
        List<Node> nodes = List.of(a, start("b", a.grapevine().address()), start("c", a.grapevine().address()));
        awaitComplete(nodes, 3);
        assertNull(get(a.kv().put("gone", "x".getBytes(StandardCharsets.UTF_8))).error());
        assertNull(get(nodes.get(1).kv().delete("gone")).error());
        KvActor.ReadResult r = get(nodes.get(2).kv().get("gone"));
        assertNull(r.error());
        assertTrue(r.record() == null || r.record().tombstone(), String.valueOf(r.record()));
        KvActor.WriteResult bad = get(a.kv().put("", new byte[0]));
        assertNotNull(bad.error());
    }

    private static void cut(List<Node> side, List<Node> other, boolean blackhole) {
        for (Node x : side) {
            for (Node y : other) {
                ArteryFaults.cut(x.system(), y.system().name(), dev.grapevine.core.member.Address.parse(y.grapevine().address()), blackhole);
            }
        }
    }

    private static Map<String, String> write(List<Node> via, String prefix, int count) {
        Map<String, String> acked = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String key = prefix + i;
            KvActor.WriteResult w = get(via.get(i % via.size()).kv().put(key, (prefix + "v" + i).getBytes(StandardCharsets.UTF_8)));
            if (w.error() == null) {
                acked.put(key, prefix + "v" + i);
            }
        }
        return acked;
    }

    /** Both sides of a partition take writes (each re-forms its own epoch); after the heal, every acked write is there. */
    @Test
    void writes_on_both_sides_of_a_partition_survive_the_heal() {
        Node a = start("a", null);
        String seed = a.grapevine().address();
        List<Node> all = List.of(a, start("b", seed), start("c", seed), start("d", seed), start("e", seed));
        awaitComplete(all, 5);
        Map<String, String> acked = new LinkedHashMap<>(write(all, "before-", 100));
        List<Node> majority = all.subList(0, 3);
        List<Node> minority = all.subList(3, 5);
        cut(majority, minority, true);
        awaitComplete(majority, 3);
        awaitComplete(minority, 2);
        acked.putAll(write(majority, "major-", 100));
        acked.putAll(write(minority, "minor-", 100));
        assertTrue(acked.size() >= 250, "acked " + acked.size());
        cut(majority, minority, false);
        awaitComplete(all, 5);
        awaitReplicas(a, acked, 3);
        for (Map.Entry<String, String> e : acked.entrySet()) {
            KvActor.ReadResult r = get(all.get(Math.floorMod(e.getKey().hashCode(), 5)).kv().get(e.getKey()));
            assertNotNull(r.record(), e.getKey());
            assertEquals(e.getValue(), new String(r.record().value(), StandardCharsets.UTF_8), e.getKey());
        }
    }

    /** Hints for an owner that stays away longer than the hint window are dropped and counted, not kept for ever. */
    @Test
    void hints_older_than_the_window_are_dropped_and_counted() {
        String shortWindow = "grapevine.kv { hint-window = 1ms, request-timeout = 300ms }";
        Node a = start("a", null, shortWindow);
        List<Node> nodes = List.of(a, start("b", a.grapevine().address(), shortWindow),
                start("c", a.grapevine().address(), shortWindow));
        awaitComplete(nodes, 3);
        Node c = nodes.get(2);
        c.system().terminate();
        c.system().getWhenTerminated().toCompletableFuture().join();
        for (int i = 0; i < 20; i++) {
            assertNull(get(a.kv().put("k" + i, "v".getBytes(StandardCharsets.UTF_8))).error()); // a and b ack; c gets a hint
        }
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertTrue(a.kv().metrics().get("kv_hints_stored") > 0, a.kv().metrics().toString());
            assertEquals(a.kv().metrics().get("kv_hints_stored"), a.kv().metrics().get("kv_hints_expired"), a.kv().metrics().toString());
            assertEquals(0L, a.kv().metrics().get("kv_hints_pending"));
        });
    }

    /** A member removed by force-leave never takes its hints: they are dropped and counted, not kept for the window. */
    @Test
    void hints_for_a_member_that_was_force_left_are_dropped() {
        String config = "grapevine.kv { request-timeout = 300ms }";
        Node a = start("a", null, config);
        List<Node> nodes = List.of(a, start("b", a.grapevine().address(), config), start("c", a.grapevine().address(), config));
        awaitComplete(nodes, 3);
        Node c = nodes.get(2);
        c.system().terminate();
        c.system().getWhenTerminated().toCompletableFuture().join();
        for (int i = 0; i < 20; i++) {
            assertNull(get(a.kv().put("k" + i, "v".getBytes(StandardCharsets.UTF_8))).error()); // a and b ack; c gets a hint
        }
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> a.kv().metrics().get("kv_hints_pending") > 0);
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> get(a.grapevine().members()).stream()
                .anyMatch(m -> m.name().equals("c") && m.status() == MemberStatus.DEAD));

        assertTrue(get(a.grapevine().forceLeave("c")).accepted());

        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Map<String, Long> m = a.kv().metrics();
            assertEquals(0L, m.get("kv_hints_pending"), m.toString());
            assertEquals(m.get("kv_hints_stored"), m.get("kv_hints_dropped_left"), m.toString());
        });
    }
}
