package dev.grapevine.kv;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.api.Grapevine;
import dev.grapevine.api.MemberStatus;
import dev.grapevine.api.NodeBootstrap;
import dev.grapevine.api.RecoveryStatus;
import dev.grapevine.core.recovery.Ownership;
import dev.grapevine.runtime.ArteryFaults;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that leaves hands its data and its hints to the owners without it first: four nodes over
 * real Artery, one of which holds writes no other node has (acknowledged by it alone) and hints for
 * owners that missed writes, then leaves.
 */
class KvDecommissionTest {
    private static final Duration DEADLINE = Duration.ofSeconds(40);
    private static final int PARTITIONS = 16;
    private static final int RF = 3;

    @TempDir
    Path dirs;

    private final List<ActorSystem<Void>> systems = new ArrayList<>();

    private record Node(String name, ActorSystem<Void> system, Grapevine grapevine, KvService kv) {
    }

    private Node start(String name, String seed, String extra) {
        Config config = ConfigFactory.parseString(extra + "\n"
                        + "grapevine.node.name = \"" + name + "\"\n"
                        + "grapevine.node.data-dir = \"" + dirs.resolve(name).toString().replace("\\", "/") + "\"\n"
                        + "grapevine.seeds = [" + (seed == null ? "" : "\"" + seed + "\"") + "]\n"
                        + "grapevine.profile = local\n"
                        + ArteryFaults.TEST_MODE + "\n"
                        + "grapevine.recovery { partitions = " + PARTITIONS + ", replication-factor = " + RF
                        + ", stable-after = 300ms, retry-after = 200ms }\n"
                        + "pekko.loglevel = WARNING\n"
                        + "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n"
                        + "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"\n"
                        + "pekko.coordinated-shutdown.exit-jvm = off\n"
                        + "grapevine.shutdown.leave = off\n") // the test's own leave is the one under test
                .withFallback(NodeBootstrap.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), name.equals("a") ? "grapevine" : "kv-" + name, config);
        systems.add(system);
        Grapevine g = Grapevine.get(system);
        return new Node(name, system, g, KvService.start(system));
    }

    @AfterEach
    void stop() {
        systems.forEach(ActorSystem::terminate);
        systems.forEach(s -> s.getWhenTerminated().toCompletableFuture().join());
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> stage, Duration within) {
        try {
            return stage.toCompletableFuture().get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> stage) {
        return get(stage, Duration.ofSeconds(10));
    }

    private List<Node> cluster(String dExtra) {
        Node a = start("a", null, "");
        String seed = a.grapevine().address();
        List<Node> nodes = List.of(a, start("b", seed, ""), start("c", seed, ""), start("d", seed, dExtra));
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (Node n : nodes) {
                RecoveryStatus s = get(n.grapevine().recoveryStatus());
                assertEquals(4, s.members(), n.name() + ": " + s);
                assertTrue(s.complete(), n.name() + ": " + s);
            }
        });
        return nodes;
    }

    private static void cut(Node x, Node y, boolean blackhole) {
        ArteryFaults.cut(x.system(), y.system().name(), dev.grapevine.core.member.Address.parse(y.grapevine().address()), blackhole);
    }

    private static Map<String, String> write(List<Node> via, String prefix, int count) {
        List<CompletableFuture<KvActor.WriteResult>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pending.add(via.get(i % via.size()).kv().put(prefix + i, (prefix + "v" + i).getBytes(StandardCharsets.UTF_8))
                    .toCompletableFuture());
        }
        Map<String, String> acked = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            if (get(pending.get(i)).error() == null) {
                acked.put(prefix + i, prefix + "v" + i);
            }
        }
        return acked;
    }

    private static void awaitLeft(List<Node> viewers, String name) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (Node v : viewers) {
                assertEquals(MemberStatus.LEFT, get(v.grapevine().members()).stream()
                        .filter(m -> m.name().equals(name)).findFirst().orElseThrow().status(), v.name() + " sees " + name);
            }
        });
    }

    /** Every acknowledged write: RF copies on the live owners, and read back through each node. */
    private static void awaitReadable(List<Node> nodes, Map<String, String> acked) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (Map.Entry<String, String> e : acked.entrySet()) {
                KvActor.ReplicasResult r = get(nodes.get(0).kv().replicas(e.getKey()));
                long holding = r.replicas().stream()
                        .filter(s -> s.record() != null && new String(s.record().value(), StandardCharsets.UTF_8).equals(e.getValue()))
                        .count();
                assertEquals(RF, holding, e.getKey() + ": " + r);
            }
        });
        int i = 0;
        for (Map.Entry<String, String> e : acked.entrySet()) {
            KvActor.ReadResult r = get(nodes.get(i++ % nodes.size()).kv().get(e.getKey()));
            assertNull(r.error(), e.getKey());
            assertEquals(e.getValue(), new String(r.record().value(), StandardCharsets.UTF_8), e.getKey());
        }
    }

    @Test
    void aLeavingNodeHandsOffTheWritesOnlyItHoldsAndItsHintsBeforeItIsLeft() {
        // d acknowledges a write with its own copy alone, and keeps its hints until it leaves.
        List<Node> nodes = cluster("grapevine.kv { write-quorum = 1, request-timeout = 500ms, hint-replay-interval = 1h }");
        Node a = nodes.get(0);
        Node b = nodes.get(1);
        Node c = nodes.get(2);
        Node d = nodes.get(3);
        Map<String, String> acked = new LinkedHashMap<>(write(nodes, "before-", 60));
        assertTrue(acked.size() >= 30, "writes acknowledged: " + acked.size()); // only what was acknowledged must survive

        // b and c cannot hear d for a moment (a still can, so d stays alive): writes through d reach
        // its own copy and a's at most, and d keeps hints for b and c.
        cut(d, b, true);
        cut(d, c, true);
        Map<String, String> duringCut = write(List.of(d), "cut-", 40);
        await().atMost(DEADLINE).until(() -> d.kv().metrics().get("kv_hints_pending") > 0); // kept at the request timeout
        cut(d, b, false);
        cut(d, c, false);
        acked.putAll(duringCut);
        Ownership four = new Ownership(List.of("a", "b", "c", "d"), PARTITIONS, RF);
        long onlyOnD = duringCut.keySet().stream()
                .filter(k -> !four.owners(Ownership.partitionOf(k, PARTITIONS)).contains("a")).count();
        assertTrue(onlyOnD > 0, "some acknowledged writes are held by d alone: " + duringCut.keySet());
        assertTrue(d.kv().metrics().get("kv_hints_pending") > 0, "d keeps hints: " + d.kv().metrics());
        assertEquals(0L, d.kv().metrics().get("kv_hints_replayed"), "d's hints wait for its leave: " + d.kv().metrics());

        get(d.grapevine().leave(), DEADLINE);
        assertEquals(1L, d.grapevine().metrics().get("decommissions_handed_off"), "d: " + d.grapevine().metrics());
        assertEquals(0L, d.grapevine().metrics().get("decommission_timeouts"));
        assertEquals(0L, d.kv().metrics().get("kv_hints_pending"), "the hints went with the partitions");
        List<Node> staying = List.of(a, b, c);
        awaitLeft(staying, "d");
        awaitReadable(staying, acked);
    }

    @Test
    void aLeaveWhoseHandOffCannotFinishGoesAfterTheTimeoutAndIsCounted() {
        List<Node> nodes = cluster("grapevine.recovery.decommission-timeout = 3s");
        Node a = nodes.get(0);
        Node b = nodes.get(1);
        Node c = nodes.get(2);
        Node d = nodes.get(3);
        Map<String, String> acked = write(nodes, "k-", 40);
        assertEquals(40, acked.size());

        cut(d, b, true); // b, an owner of most of what d holds, never receives d's hand-off
        long startedNanos = System.nanoTime();
        get(d.grapevine().leave(), DEADLINE);
        long tookMillis = (System.nanoTime() - startedNanos) / 1_000_000;
        assertTrue(tookMillis >= 3_000, "the leave waited for the hand-off's timeout: " + tookMillis + " ms");
        assertEquals(1L, d.grapevine().metrics().get("decommission_timeouts"), "d: " + d.grapevine().metrics());
        assertEquals(0L, d.grapevine().metrics().get("decommissions_handed_off"));
        List<Node> staying = List.of(a, b, c);
        awaitLeft(List.of(a, c), "d");
        cut(d, b, false);
        awaitLeft(staying, "d");
        // Every write was acknowledged by two owners: the others' own recovery restores three copies.
        awaitReadable(staying, acked);
    }
}
