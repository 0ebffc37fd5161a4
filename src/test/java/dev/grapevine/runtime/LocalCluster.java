package dev.grapevine.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Several Grapevine nodes in one JVM, each its own ActorSystem on 127.0.0.1 with a port of its own,
 * talking over real Artery TCP. Their systems are named {@link #SYSTEM_NAME} unless a test names one
 * ({@link #startAs}). A node's system does not leave on terminate ({@code grapevine.shutdown.leave =
 * off}, unless {@code extra} turns it on): {@link #crash} must look like a crash.
 */
final class LocalCluster implements AutoCloseable {
    static final String SYSTEM_NAME = "grapevine";
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

    record Node(ActorSystem<Void> system, ActorRef<NodeGuardian.Command> guardian, Address address, NodeMetrics metrics,
                java.util.Map<String, dev.grapevine.spi.Recoverable> domains) {
        long metric(String name) {
            return metrics.snapshot().getOrDefault(name, 0L);
        }
    }

    private final List<Node> nodes = new ArrayList<>();

    /** Starts a node named {@code name} that joins {@code seeds}; {@code extra} HOCON overrides the rest. */
    Node start(String name, List<Address> seeds, String extra) {
        return startAs(SYSTEM_NAME, name, seeds.stream().map(Address::toString).toList(), extra);
    }

    /**
     * Starts a node named {@code name} in an actor system named {@code systemName}, joining {@code seeds}
     * ({@code [SYSTEM@]HOST:PORT}); {@code extra} HOCON overrides the rest.
     */
    Node startAs(String systemName, String name, List<String> seeds, String extra) {
        StringBuilder seedList = new StringBuilder();
        for (String s : seeds) {
            seedList.append(seedList.length() == 0 ? "" : ", ").append('"').append(s).append('"');
        }
        Config config = ConfigFactory.parseString(extra + "\n"
                        + "grapevine.node.name = \"" + name + "\"\n"
                        + "grapevine.seeds = [" + seedList + "]\n"
                        + "grapevine.profile = local\n"

                        + "pekko.loglevel = WARNING\n"
                        + "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n"
                        + "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"\n"
                        + "pekko.coordinated-shutdown.exit-jvm = off\n")
                .withFallback(ConfigFactory.parseString("grapevine.shutdown.leave = off"))
                .withFallback(GrapevineNode.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), systemName, NodeTls.transport(config));
        GrapevineNode.Started started = GrapevineNode.start(system);
        Node node = new Node(system, started.guardian(), GrapevineNode.endpoint(system), started.metrics(), started.domains());
        nodes.add(node);
        return node;
    }

    static List<Member> members(Node node) {
        try {
            return AskPattern.<NodeGuardian.Command, List<Member>>ask(node.guardian(),
                            replyTo -> new NodeGuardian.ToMembership(new MembershipActor.GetMembers(replyTo)),
                            ASK_TIMEOUT, node.system().scheduler())
                    .toCompletableFuture().get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no member list from " + node.address(), e);
        }
    }

    /** Polls {@code viewer}'s view until it lists {@code name} with {@code status}, or fails after {@code deadline}. */
    static void awaitStatus(Node viewer, String name, MemberStatus status, Duration deadline) {
        TestProbe.create(viewer.system())
                .awaitAssert(deadline, Duration.ofMillis(100), () -> {
                    Member m = member(viewer, name);
                    assertNotNull(m, viewer.address() + " does not know " + name);
                    assertEquals(status, m.status(), viewer.address() + " sees " + m);
                    return null;
                });
    }

    /**
     * Registers a recoverable domain on {@code node} as {@code Grapevine.registerRecoverable} does: held,
     * then advertised, so that the node owns partitions of it.
     */
    static void register(Node node, String domain, dev.grapevine.spi.Recoverable recoverable) {
        node.domains().put(domain, recoverable);
        node.guardian().tell(new NodeGuardian.ToMembership(MembershipActor.PublishDomains.INSTANCE));
    }

    /** A domain that holds nothing: for a test of recovery's epochs rather than of its data. */
    static final dev.grapevine.spi.Recoverable EMPTY = new dev.grapevine.spi.Recoverable() {
        @Override
        public java.util.SortedMap<String, Long> digests(int partition) {
            return new java.util.TreeMap<>();
        }

        @Override
        public List<dev.grapevine.spi.RecoveryEntry> entries(int partition, java.util.function.Predicate<String> keys) {
            return List.of();
        }

        @Override
        public int apply(int partition, List<dev.grapevine.spi.RecoveryEntry> entries) {
            return 0;
        }

        @Override
        public java.util.Set<Integer> partitions() {
            return java.util.Set.of();
        }

        @Override
        public void drop(int partition, java.util.Map<String, Long> delivered) {
        }
    };

    static Member member(Node node, String name) {
        return members(node).stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }

    static void subscribe(Node node, ActorRef<MemberEvent> members, ActorRef<UserEvent> events) {
        if (members != null) {
            node.guardian().tell(new NodeGuardian.ToMembership(MembershipActor.SubscribeMembers.of(members)));
        }
        if (events != null) {
            node.guardian().tell(new NodeGuardian.ToMembership(MembershipActor.SubscribeUserEvents.of(events)));
        }
    }

    /** Stops a node's system without leaving: to its peers, a crash. */
    static void crash(Node node) {
        node.system().terminate();
        node.system().getWhenTerminated().toCompletableFuture().join();
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            n.system().terminate();
        }
        for (Node n : nodes) {
            n.system().getWhenTerminated().toCompletableFuture().join();
        }
    }
}
