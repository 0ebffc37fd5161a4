package dev.grapevine.kv;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.api.Grapevine;
import dev.grapevine.api.NodeBootstrap;
import dev.grapevine.api.RecoveryStatus;
import dev.grapevine.runtime.ArteryFaults;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Key-value nodes over real Artery in one JVM, for the store's multi-node tests: each with a data dir
 * of its own under one folder, the local profile, Artery's test mode (for cuts), quiet Pekko logging,
 * and no leave on stop, since these tests crash a node by terminating its actor system. The first
 * node's system is named grapevine (what a seed is assumed to be); the others are reached under the
 * names their members gossip. Close after each test.
 */
final class KvTestNodes implements AutoCloseable {

    record Node(String name, ActorSystem<Void> system, Grapevine grapevine, KvService kv) {
    }

    private final Path dirs;
    private final String systemPrefix;
    private final List<ActorSystem<Void>> systems = new ArrayList<>();

    KvTestNodes(Path dirs, String systemPrefix) {
        this.dirs = dirs;
        this.systemPrefix = systemPrefix;
    }

    /** A node whose store uses the default file system. */
    Node start(String name, String seed, String extraConfig) {
        ActorSystem<Void> system = system(name, seed, extraConfig);
        return new Node(name, system, Grapevine.get(system), KvService.start(system));
    }

    /** A node whose store opens its file through {@code fileSystem} (a test file system that can fill up). */
    Node start(String name, String seed, String extraConfig, String fileSystem) {
        ActorSystem<Void> system = system(name, seed, extraConfig);
        return new Node(name, system, Grapevine.get(system), KvService.start(system, fileSystem));
    }

    /** The node's actor system alone, its store not started; {@code extraConfig} goes first and wins. */
    ActorSystem<Void> system(String name, String seed, String extraConfig) {
        Config config = ConfigFactory.parseString(extraConfig + "\n"
                        + "grapevine.node.name = \"" + name + "\"\n"
                        + "grapevine.node.data-dir = \"" + dirs.resolve(name).toString().replace("\\", "/") + "\"\n"
                        + "grapevine.seeds = [" + (seed == null ? "" : "\"" + seed + "\"") + "]\n"
                        + "grapevine.profile = local\n"
                        + ArteryFaults.TEST_MODE + "\n"
                        + "pekko.loglevel = WARNING\n"
                        + "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n"
                        + "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"\n"
                        + "pekko.coordinated-shutdown.exit-jvm = off\n"
                        + "grapevine.shutdown.leave = off\n")
                .withFallback(NodeBootstrap.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), name.equals("a") ? "grapevine" : systemPrefix + name, config);
        systems.add(system);
        return system;
    }

    /** Every system started, in order. */
    List<ActorSystem<Void>> systems() {
        return systems;
    }

    @Override
    public void close() {
        systems.forEach(ActorSystem::terminate);
        systems.forEach(s -> s.getWhenTerminated().toCompletableFuture().join());
    }

    static <T> T get(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Until every node reports its store's recovery complete everywhere among {@code members} members, nothing pending. */
    static void awaitComplete(List<Node> nodes, int members, Duration deadline) {
        await().atMost(deadline).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (Node n : nodes) {
                RecoveryStatus s = get(n.grapevine().recoveryStatus());
                assertEquals(members, s.members(), n.name() + ": " + s);
                assertTrue(s.complete(), n.name() + ": " + s);
                assertEquals(0, s.partitionsPending(), n.name() + ": " + s);
            }
        });
    }
}
