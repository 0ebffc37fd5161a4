package dev.grapevine.kv;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.api.Grapevine;
import dev.grapevine.api.PartitionMap;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store on three nodes of a cluster of four, the fourth running no domain (as a reporter that
 * only gossips): every key keeps RF copies on the nodes that run the store, and the fourth owns
 * nothing, until it starts the store too.
 */
class KvDomainOwnershipTest {
    private static final Duration DEADLINE = Duration.ofSeconds(40);
    private static final Set<String> RUNNERS = Set.of("a", "b", "c");

    @TempDir
    Path dirs;

    private final List<ActorSystem<Void>> systems = new ArrayList<>();

    private record Node(String name, ActorSystem<Void> system, Grapevine grapevine, KvService kv) {
    }

    private Node start(String name, String seed, boolean store) {
        Config config = ConfigFactory.parseString("grapevine.node.name = \"" + name + "\"\n"
                        + "grapevine.node.data-dir = \"" + dirs.resolve(name).toString().replace("\\", "/") + "\"\n"
                        + "grapevine.seeds = [" + (seed == null ? "" : "\"" + seed + "\"") + "]\n"
                        + "grapevine.profile = local\n"
                        + ArteryFaults.TEST_MODE + "\n"
                        + "grapevine.recovery { partitions = 32, replication-factor = 3, stable-after = 300ms, retry-after = 200ms }\n"
                        + "pekko.loglevel = WARNING\n"
                        + "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n"
                        + "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"\n"
                        + "pekko.coordinated-shutdown.exit-jvm = off\n")
                .withFallback(NodeBootstrap.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "grapevine", config);
        systems.add(system);
        Grapevine g = Grapevine.get(system);
        return new Node(name, system, g, store ? KvService.start(system) : null);
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

    /** Every runner's kv recovery is complete among {@code runners}, and its map lists exactly them. */
    private static void awaitComplete(List<Node> nodes, Set<String> runners) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (Node n : nodes) {
                RecoveryStatus s = get(n.grapevine().recoveryStatus(KvRecoverable.DOMAIN));
                assertEquals(KvRecoverable.DOMAIN, s.domain());
                assertEquals(runners.size(), s.members(), n.name() + ": " + s);
                assertTrue(s.complete(), n.name() + ": " + s);
                assertEquals(new TreeSet<>(runners), new TreeSet<>(s.map().members()), n.name());
            }
        });
    }

    private static Map<String, String> write(List<Node> via, String prefix, int count) {
        Map<String, String> written = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String key = prefix + i;
            KvActor.WriteResult w = get(via.get(i % via.size()).kv().put(key, ("v" + i).getBytes(StandardCharsets.UTF_8)));
            assertNull(w.error(), key + ": " + w);
            written.put(key, "v" + i);
        }
        return written;
    }

    /** Each key held, at its value, by {@code copies} owners, all of them among {@code runners}. */
    private static void awaitReplicas(Node via, Map<String, String> written, int copies, Set<String> runners) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (Map.Entry<String, String> e : written.entrySet()) {
                KvActor.ReplicasResult r = get(via.kv().replicas(e.getKey()));
                assertEquals(copies, r.replicas().size(), e.getKey() + ": " + r);
                for (KvActor.ReplicaState s : r.replicas()) {
                    assertTrue(runners.contains(s.node()), e.getKey() + " placed on " + s.node() + ", which runs no store");
                    assertTrue(s.record() != null && new String(s.record().value(), StandardCharsets.UTF_8).equals(e.getValue()),
                            e.getKey() + ": " + r);
                }
            }
        });
    }

    @Test
    void aNodeThatRunsNoStoreOwnsNothingAndEveryKeyKeepsItsCopiesOnTheStores() {
        Node a = start("a", null, true);
        String seed = a.grapevine().address();
        List<Node> stores = List.of(a, start("b", seed, true), start("c", seed, true));
        Node reporter = start("reporter", seed, false);
        awaitComplete(stores, RUNNERS);

        Map<String, String> written = write(stores, "key-", 150);
        awaitReplicas(a, written, 3, RUNNERS);

        PartitionMap map = get(a.grapevine().recoveryStatus()).map();
        assertEquals(0, map.partitionsOwnedBy("reporter"));
        for (int p = 0; p < map.partitions(); p++) {
            assertEquals(RUNNERS, Set.copyOf(map.owners(p)), "partition " + p);
        }
        RecoveryStatus r = get(reporter.grapevine().recoveryStatus());
        assertNull(r.domain(), "the reporter runs no domain: " + r);
        assertTrue(r.complete(), "it has nothing to recover");
        assertEquals(0, r.local().get("partitions_owned"));
        assertEquals(0L, reporter.grapevine().metrics().getOrDefault("repair_exchanges", 0L), "never an exchange partner");
        assertEquals(0L, reporter.grapevine().metrics().getOrDefault("repair_entries_received", 0L), "it holds nothing");
    }

    @Test
    void aNodeThatStartsTheStoreLaterJoinsItsOwnershipAndTakesItsShare() {
        Node a = start("a", null, true);
        String seed = a.grapevine().address();
        List<Node> stores = new ArrayList<>(List.of(a, start("b", seed, true), start("c", seed, true)));
        Node late = start("d", seed, false);
        awaitComplete(stores, RUNNERS);
        Map<String, String> written = write(stores, "early-", 100);
        awaitReplicas(a, written, 3, RUNNERS);

        // d registers the store: its tag names it, which starts a new kv epoch on every node.
        Node d = new Node("d", late.system(), late.grapevine(), KvService.start(late.system()));
        stores.add(d);
        Set<String> all = Set.of("a", "b", "c", "d");
        awaitComplete(stores, all);
        assertTrue(get(d.grapevine().recoveryStatus()).local().get("partitions_owned") > 0, "d owns its share");

        written.putAll(write(stores, "late-", 60));
        awaitReplicas(d, written, 3, all);
    }
}
