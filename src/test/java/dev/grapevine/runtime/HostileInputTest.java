package dev.grapevine.runtime;

import com.typesafe.config.ConfigFactory;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.wire.Message;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Kill;
import org.apache.pekko.actor.PoisonPill;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Traffic from a process that never joined, over real Artery: a foreign actor system sends what Pekko
 * and Grapevine must not act on, and the three nodes stay up and see each other alive.
 */
class HostileInputTest {
    /** Every actor a node runs under /system/grapevine, and the guardian itself. */
    private static final List<String> ACTORS = List.of("", "/membership", "/failure-detector", "/gossiper",
            "/recovery-coordinator", "/repair");

    @Test
    void poisonPillsAndKillsFromAForeignSystemStopNothing() {
        try (LocalCluster cluster = new LocalCluster(); Foreign foreign = new Foreign()) {
            List<LocalCluster.Node> nodes = threeNodes(cluster);
            Map<String, Long> epochs = Map.of("a", epochOf(nodes.get(0), "a"), "b", epochOf(nodes.get(0), "b"),
                    "c", epochOf(nodes.get(0), "c"));
            for (LocalCluster.Node n : nodes) {
                for (String actor : ACTORS) {
                    String path = PeerRouter.guardianPath(LocalCluster.SYSTEM_NAME, n.address()) + actor;
                    foreign.system.actorSelection(path).tell(PoisonPill.getInstance(), ActorRef.noSender());
                    foreign.system.actorSelection(path).tell(Kill.getInstance(), ActorRef.noSender());
                    ActorRef resolved = foreign.resolve(path);
                    resolved.tell(PoisonPill.getInstance(), ActorRef.noSender());
                    resolved.tell(Kill.getInstance(), ActorRef.noSender());
                }
            }
            // Stays so: a stopped membership would end its node's system; a restarted one has a new epoch.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> nodes.stream().allMatch(n -> !n.system().whenTerminated().isCompleted()
                            && epochs.entrySet().stream().allMatch(e -> alive(n, e.getKey(), e.getValue()))));
        }
    }

    /**
     * The reported attack: one gossip frame "b is dead, at a huge epoch, at another address" from a
     * stranger, and the same from an impostor of a live member's address. Nobody lists b dead, and b's
     * restart on the same port is seen.
     */
    @Test
    void aForgedFarFutureDeathLeavesAHealthyMemberAliveAndItsRestartIsSeen() {
        try (LocalCluster cluster = new LocalCluster(); Foreign foreign = new Foreign()) {
            List<LocalCluster.Node> nodes = threeNodes(cluster);
            LocalCluster.Node a = nodes.get(0);
            LocalCluster.Node b = nodes.get(1);
            LocalCluster.Node c = nodes.get(2);
            Member forged = Member.alive("b", new Address("10.66.6.6", 7946), Long.MAX_VALUE / 4, 0, Map.of())
                    .withStatus(MemberStatus.DEAD);
            Message.Gossip gossip = new Message.Gossip(List.of(new Rumor.MemberRumor(forged, "x")));
            Message.PushPull pushPull = new Message.PushPull(false, false, 0, List.of(forged));
            Address stranger = new Address("127.0.0.1", foreign.port());
            for (LocalCluster.Node n : List.of(a, c)) {
                for (Address from : List.of(stranger, c.address(), a.address())) { // a stranger, and impostors
                    foreign.resolve(PeerRouter.path(LocalCluster.SYSTEM_NAME, n.address(), dev.grapevine.core.node.Role.GOSSIPER))
                            .tell(new PeerMessage(from, gossip), ActorRef.noSender());
                    foreign.resolve(PeerRouter.path(LocalCluster.SYSTEM_NAME, n.address(), dev.grapevine.core.node.Role.MEMBERSHIP))
                            .tell(new PeerMessage(from, pushPull), ActorRef.noSender());
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> a.metric("rumors_from_strangers") > 0
                    && a.metric("claims_refused") > 0 && c.metric("claims_refused") > 0);
            long epochB = epochOf(a, "b");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> alive(a, "b", epochB) && alive(c, "b", epochB));

            int port = b.address().port();
            LocalCluster.crash(b);
            LocalCluster.Node again = cluster.start("b", List.of(a.address()),
                    "pekko.remote.artery.canonical.port = " + port);
            long restarted = epochOf(again, "b");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> alive(a, "b", restarted) && alive(c, "b", restarted));
        }
    }

    static List<LocalCluster.Node> threeNodes(LocalCluster cluster) {
        LocalCluster.Node a = cluster.start("a", List.of(), "");
        LocalCluster.Node b = cluster.start("b", List.of(a.address()), "");
        LocalCluster.Node c = cluster.start("c", List.of(a.address()), "");
        List<LocalCluster.Node> nodes = List.of(a, b, c);
        for (LocalCluster.Node viewer : nodes) {
            for (String name : List.of("a", "b", "c")) {
                LocalCluster.awaitStatus(viewer, name, MemberStatus.ALIVE, Duration.ofSeconds(30));
            }
        }
        return nodes;
    }

    static long epochOf(LocalCluster.Node viewer, String name) {
        return LocalCluster.member(viewer, name).epoch();
    }

    static boolean alive(LocalCluster.Node viewer, String name, long epoch) {
        Member m = LocalCluster.member(viewer, name);
        return m != null && m.status() == MemberStatus.ALIVE && m.epoch() == epoch;
    }

    /** An actor system that never joined: it knows the nodes' addresses and Grapevine's wire format. */
    static final class Foreign implements AutoCloseable {
        final ActorSystem system = ActorSystem.create("intruder", ConfigFactory.parseString(
                        "pekko.loglevel = WARNING\npekko.coordinated-shutdown.exit-jvm = off\n")
                .withFallback(GrapevineNode.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load()));

        ActorRef resolve(String path) {
            return ((ExtendedActorSystem) system).provider().resolveActorRef(path);
        }

        int port() {
            return (Integer) system.provider().getDefaultAddress().port().get();
        }

        @Override
        public void close() {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().join();
        }
    }
}
