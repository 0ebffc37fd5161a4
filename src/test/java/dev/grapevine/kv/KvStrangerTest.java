package dev.grapevine.kv;

import com.typesafe.config.ConfigFactory;
import dev.grapevine.api.Grapevine;
import dev.grapevine.spi.RecoveryEntry;
import dev.grapevine.core.recovery.Ownership;
import dev.grapevine.api.NodeBootstrap;
import dev.grapevine.runtime.RepairMessage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Replica writes and repair pushes from an actor system that never joined: before, one forged
 * replica write rewrote a key on every owner. Both are dropped and counted; the key keeps its value.
 */
class KvStrangerTest {
    private static final int PARTITIONS = 16;
    private final List<ActorSystem<?>> systems = new ArrayList<>();

    private record Node(ActorSystem<Void> system, Grapevine grapevine, KvService kv) {
    }

    private Node start(String name, String seed) {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "grapevine", ConfigFactory.parseString(
                        "grapevine.node.name = \"" + name + "\"\n"
                                + "grapevine.seeds = [" + (seed == null ? "" : "\"" + seed + "\"") + "]\n"
                                + "grapevine.profile = local\n"
                                + "grapevine.recovery { partitions = " + PARTITIONS + ", stable-after = 300ms, retry-after = 200ms }\n"
                                + "pekko.loglevel = WARNING\npekko.coordinated-shutdown.exit-jvm = off\n")
                .withFallback(NodeBootstrap.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load()));
        systems.add(system);
        return new Node(system, Grapevine.get(system), KvService.start(system));
    }

    @AfterEach
    void stop() {
        systems.forEach(ActorSystem::terminate);
        systems.forEach(s -> s.getWhenTerminated().toCompletableFuture().join());
    }

    @Test
    void aStrangersReplicaWriteAndRepairPushChangeNoKey() throws Exception {
        Node a = start("a", null);
        Node b = start("b", a.grapevine().address());
        String key = "balance";
        await().atMost(Duration.ofSeconds(30)).until(() -> a.kv().put(key, bytes("100")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS).error() == null);
        KvRecord good = a.kv().get(key).toCompletableFuture().get(10, TimeUnit.SECONDS).record();

        ActorSystem<Void> foreign = ActorSystem.create(Behaviors.empty(), "intruder", ConfigFactory.parseString(
                        "pekko.loglevel = WARNING\npekko.coordinated-shutdown.exit-jvm = off\n")
                .withFallback(NodeBootstrap.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load()));
        systems.add(foreign);
        int partition = Ownership.partitionOf(key, PARTITIONS);
        byte[] forged = KvRecord.put(good.hlc() + 1, "mallory", bytes("1000000")).encode();
        ActorRefResolver resolver = ActorRefResolver.get(foreign);
        for (Node n : List.of(a, b)) {
            String at = "pekko://grapevine@" + n.grapevine().address();
            ActorRef<KvMessage> kv = resolver.resolveActorRef(at + "/system/" + KvActor.NAME);
            kv.tell(new KvMessage.ReplicaWrite(1, partition, key, forged, foreign.deadLetters()));
            ActorRef<RepairMessage> repair = resolver.resolveActorRef(at + "/system/grapevine/repair");
            repair.tell(new RepairMessage.Push(1, KvRecoverable.DOMAIN, partition,
                    List.of(new RecoveryEntry(key, forged)), foreign.deadLetters()));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> a.kv().metrics().get("kv_replica_messages_from_strangers") >= 1
                && b.kv().metrics().get("kv_replica_messages_from_strangers") >= 1
                && a.grapevine().metrics().getOrDefault("repair_requests_from_strangers", 0L) >= 1
                && b.grapevine().metrics().getOrDefault("repair_requests_from_strangers", 0L) >= 1);
        for (Node n : List.of(a, b)) {
            KvActor.ReplicasResult replicas = n.kv().replicas(key).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(2, replicas.replicas().size(), replicas.toString());
            replicas.replicas().forEach(r -> assertEquals("100", new String(r.record().value(), StandardCharsets.UTF_8), replicas.toString()));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
