package dev.grapevine.kv;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.api.Grapevine;
import dev.grapevine.api.Member;
import dev.grapevine.api.MemberStatus;
import dev.grapevine.api.MembershipEvent;
import dev.grapevine.api.NodeBootstrap;
import dev.grapevine.api.RecoveryStatus;
import dev.grapevine.log.ActorFailures;
import dev.grapevine.log.CapturedLines;
import dev.grapevine.log.GrapevineLogs;
import dev.grapevine.spi.Recoverable;
import dev.grapevine.spi.RecoveryEntry;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recovery coordinator, the repair actor and the key-value actor of one node are made to fail on
 * purpose (grapevine.supervision.crash-on-demand) in the middle of their work: an exchange under way,
 * writes in flight. Each time the node must stay the same healthy member (nobody declares it dead, no
 * new epoch), recovery must complete everywhere, and every write acknowledged before or around the
 * failure must be held by all of its owners afterwards.
 */
class KvSupervisionTest {
    private static final Duration DEADLINE = Duration.ofSeconds(40);
    private static final String GATE = "gate";
    private static final String REPAIR = "/system/grapevine/repair";
    private static final String RECOVERY = "/system/grapevine/recovery-coordinator";
    private static final String KV = "/system/" + KvActor.NAME;

    @TempDir
    Path dirs;

    private final List<ActorSystem<Void>> systems = new ArrayList<>();
    private final CapturedLines lines = new CapturedLines();
    private Logger nodeLogger;

    private record Node(String name, ActorSystem<Void> system, Grapevine grapevine, KvService kv, Gate gate) {
    }

    @BeforeEach
    void captureLogs() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        nodeLogger = context.getLogger(GrapevineLogs.NODE);
        lines.setContext(context);
        lines.start();
        nodeLogger.addAppender(lines);
    }

    @AfterEach
    void stop() {
        systems.forEach(ActorSystem::terminate);
        systems.forEach(s -> s.getWhenTerminated().toCompletableFuture().join());
        nodeLogger.detachAppender(lines);
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
                        + "grapevine.supervision.crash-on-demand = on\n"
                        + "grapevine.recovery { partitions = 16, stable-after = 300ms, retry-after = 200ms }\n"
                        + "pekko.loglevel = WARNING\n"
                        + "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n"
                        + "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"\n"
                        + "pekko.coordinated-shutdown.exit-jvm = off\n"
                        + "grapevine.shutdown.leave = off\n")
                .withFallback(NodeBootstrap.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), name.equals("a") ? "grapevine" : "kv-" + name, config);
        systems.add(system);
        Grapevine g = Grapevine.get(system);
        Gate gate = new Gate();
        g.registerRecoverable(GATE, gate);
        return new Node(name, system, g, KvService.start(system), gate);
    }

    private List<Node> cluster() {
        Node a = start("a", null);
        List<Node> nodes = List.of(a, start("b", a.grapevine().address()), start("c", a.grapevine().address()));
        awaitComplete(nodes);
        return nodes;
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Every node sees all three members in one epoch, with every exchange of both domains done everywhere. */
    private static void awaitComplete(List<Node> nodes) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (Node n : nodes) {
                for (String domain : List.of(KvRecoverable.DOMAIN, GATE)) {
                    RecoveryStatus s = get(n.grapevine().recoveryStatus(domain));
                    assertEquals(nodes.size(), s.members(), n.name() + ": " + s);
                    assertTrue(s.complete(), n.name() + ": " + s);
                    assertEquals(0L, s.local().get("routine_pending"), n.name() + ": " + s);
                    assertEquals(0L, s.local().get("running"), n.name() + ": " + s);
                }
            }
        });
    }

    /** Every acknowledged key is held, with its acknowledged value, by all three owners. */
    private static void awaitAllOwnersHold(Node via, Map<String, String> acked) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (Map.Entry<String, String> e : acked.entrySet()) {
                KvActor.ReplicasResult r = get(via.kv().replicas(e.getKey()));
                long holding = r.replicas().stream().filter(s -> s.record() != null
                        && new String(s.record().value(), StandardCharsets.UTF_8).equals(e.getValue())).count();
                assertEquals(3, holding, e.getKey() + ": " + r);
            }
        });
    }

    private static Map<String, String> write(List<Node> via, String prefix, int count) {
        Map<String, String> acked = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            KvActor.WriteResult w = get(via.get(i % via.size()).kv().put(prefix + i, (prefix + "v" + i).getBytes(StandardCharsets.UTF_8)));
            assertNull(w.error(), prefix + i + ": " + w);
            acked.put(prefix + i, prefix + "v" + i);
        }
        return acked;
    }

    /** What {@code viewer} knows of {@code name}. */
    private static Member member(Node viewer, String name) {
        return get(viewer.grapevine().members()).stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    /** Records every membership event {@code viewer} has from now on: a death or a new life would show here. */
    private static java.util.Queue<MembershipEvent> watch(Node viewer) {
        java.util.Queue<MembershipEvent> events = new java.util.concurrent.ConcurrentLinkedQueue<>();
        viewer.grapevine().subscribe(viewer.system().systemActorOf(Behaviors.<MembershipEvent>receiveMessage(e -> {
            events.add(e);
            return Behaviors.same();
        }), "test-events-" + java.util.UUID.randomUUID(), org.apache.pekko.actor.typed.Props.empty()));
        return events;
    }

    /**
     * The failed node is still the same life everywhere, alive, and was never declared dead or gone:
     * it supersedes nothing and nothing superseded it.
     */
    private static void assertSameHealthyMember(Node failed, long epoch, List<java.util.Queue<MembershipEvent>> watched, List<Node> viewers) {
        for (Node v : viewers) {
            Member m = member(v, failed.name());
            assertEquals(MemberStatus.ALIVE, m.status(), v.name() + " sees " + m);
            assertEquals(epoch, m.epoch(), v.name() + " sees a new life of " + failed.name() + ": " + m);
        }
        for (java.util.Queue<MembershipEvent> events : watched) {
            for (MembershipEvent e : events) {
                if (e.member().name().equals(failed.name())) {
                    assertEquals(epoch, e.member().epoch(), "an event of a new life: " + e);
                    // A suspicion refuted in time is the failure detector at work on a loaded machine; a death is not.
                    assertTrue(e.member().status() == MemberStatus.ALIVE || e.member().status() == MemberStatus.SUSPECT,
                            "an event of a failure: " + e);
                }
            }
        }
    }

    /** Makes the actor at {@code path} of {@code node} fail, as a bug would. */
    private static void crash(Node node, String path, String why) {
        Adapter.toClassic(node.system()).actorSelection(path)
                .tell(new ActorFailures.CrashOnDemand(why), org.apache.pekko.actor.ActorRef.noSender());
    }

    private void awaitFailureLogged(Node node, String actor) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(() -> lines.of(node.name(), GrapevineLogs.NODE).stream()
                .anyMatch(l -> l.startsWith("ERROR the " + actor + " of " + node.name() + " failed: ")));
    }

    @Test
    void a_repair_actor_failing_mid_exchange_fails_the_exchange_and_recovery_retries_it() {
        List<Node> nodes = cluster();
        Node a = nodes.get(0);
        long epoch = member(nodes.get(1), "a").epoch();
        List<java.util.Queue<MembershipEvent>> probes = List.of(watch(nodes.get(1)), watch(nodes.get(2)));
        Map<String, String> acked = new LinkedHashMap<>(write(nodes, "before-", 30));

        // a's next exchange of the gate domain stops in a's repair actor, before its first request goes out.
        a.gate().arm();
        a.grapevine().repairNow();
        a.gate().awaitEntered();
        crash(a, REPAIR, "mid-exchange");
        acked.putAll(write(nodes, "during-", 30)); // the key-value store does not go through the repair actor
        // Released, the exchange sends its first request, then the actor fails with it unanswered.
        a.gate().release();
        awaitFailureLogged(a, "repair actor");

        // The coordinator learnt of the failed exchange (else it would wait for it for ever) and redid it.
        awaitComplete(nodes);
        assertTrue(a.gate().digestsCalls() > 1, "the exchange was retried");
        acked.putAll(write(nodes, "after-", 30));
        awaitAllOwnersHold(a, acked);
        assertSameHealthyMember(a, epoch, probes, nodes.subList(1, 3));
    }

    @Test
    void a_recovery_coordinator_failing_mid_exchange_rebuilds_and_recovery_completes() {
        List<Node> nodes = cluster();
        Node a = nodes.get(0);
        long epoch = member(nodes.get(1), "a").epoch();
        List<java.util.Queue<MembershipEvent>> probes = List.of(watch(nodes.get(1)), watch(nodes.get(2)));
        Map<String, String> acked = new LinkedHashMap<>(write(nodes, "before-", 30));

        // A round of exchanges under way (the first held in a's repair actor) when the coordinator fails.
        a.gate().arm();
        a.grapevine().repairNow();
        a.gate().awaitEntered();
        crash(a, RECOVERY, "mid-exchange");
        awaitFailureLogged(a, "recovery coordinator");
        acked.putAll(write(nodes, "during-", 30));
        // The exchanges of its previous life end now; their answers must not confuse the new one.
        a.gate().release();

        awaitComplete(nodes);
        acked.putAll(write(nodes, "after-", 30));
        awaitAllOwnersHold(a, acked);
        // The restarted coordinator still tells the key-value store of new epochs: a new member is served.
        Node d = start("d", a.grapevine().address());
        List<Node> four = List.of(a, nodes.get(1), nodes.get(2), d);
        awaitComplete(four);
        awaitAllOwnersHold(d, acked);
        assertSameHealthyMember(a, epoch, probes, List.of(nodes.get(1), nodes.get(2), d));
    }

    @Test
    void a_kv_actor_failing_mid_write_answers_its_open_requests_and_loses_no_acked_write() {
        List<Node> nodes = cluster();
        Node a = nodes.get(0);
        long epoch = member(nodes.get(1), "a").epoch();
        List<java.util.Queue<MembershipEvent>> probes = List.of(watch(nodes.get(1)), watch(nodes.get(2)));
        Map<String, String> acked = new LinkedHashMap<>(write(nodes, "before-", 30));

        // Writes through a (a coordinates them) and through b and c (a is one of their owners), all in
        // flight when a's key-value actor fails: the failure is queued right behind a's.
        org.apache.pekko.actor.ActorRef kvOfA = get(Adapter.toClassic(a.system()).actorSelection(KV).resolveOne(Duration.ofSeconds(5)));
        Map<String, CompletableFuture<KvActor.WriteResult>> inFlight = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            Node via = nodes.get(i % 3);
            inFlight.put("mid-" + i, via.kv().put("mid-" + i, ("mid-v" + i).getBytes(StandardCharsets.UTF_8)).toCompletableFuture());
            if (i == 29) {
                kvOfA.tell(new ActorFailures.CrashOnDemand("mid-write"), org.apache.pekko.actor.ActorRef.noSender());
            }
        }
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<KvActor.WriteResult>> e : inFlight.entrySet()) {
            // Every request is answered (an error at worst), none left to the client's timeout.
            KvActor.WriteResult w = get(e.getValue());
            if (w.error() == null) {
                acked.put(e.getKey(), "mid-v" + e.getKey().substring("mid-".length()));
            } else {
                assertTrue(w.error().startsWith("the key-value actor of a failed and restarted before 2 replicas acknowledged"), w.error());
                failed.add(e.getKey());
            }
        }
        awaitFailureLogged(a, "key-value store");
        // Only what a's previous life coordinated failed; what its next life took (queued while it
        // restarted) was served with the epoch and members it kept, and b and c lost nothing to a's failure.
        List<String> coordinatedByABefore = new ArrayList<>();
        for (int i = 0; i < 30; i += 3) {
            coordinatedByABefore.add("mid-" + i);
        }
        assertEquals(coordinatedByABefore, failed);
        assertTrue(lines.of("a", GrapevineLogs.NODE).stream().noneMatch(l -> l.contains("the node and its actor system stop")));
        acked.putAll(write(nodes, "after-", 30));
        awaitComplete(nodes);
        awaitAllOwnersHold(a, acked);
        awaitAllOwnersHold(nodes.get(1), acked);
        for (Map.Entry<String, String> e : acked.entrySet()) {
            KvActor.ReadResult r = get(a.kv().get(e.getKey()));
            assertNotNull(r.record(), e.getKey());
            assertEquals(e.getValue(), new String(r.record().value(), StandardCharsets.UTF_8));
        }
        assertSameHealthyMember(a, epoch, probes, nodes.subList(1, 3));
    }

    @Test
    void a_kv_actor_failing_past_its_restart_limit_stops_the_node() {
        Node a = start("a", null, "grapevine.supervision.restarts-max = 2");
        Node b = start("b", a.grapevine().address(), "grapevine.supervision.restarts-max = 2");
        await().atMost(DEADLINE).ignoreExceptions().until(() -> member(a, "b").status() == MemberStatus.ALIVE);
        for (int i = 1; i <= 3; i++) {
            int failures = i;
            crash(b, KV, "again");
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> lines.of("b", GrapevineLogs.NODE).stream()
                    .filter(l -> l.startsWith("ERROR the key-value store of b failed: ")).count() >= failures);
        }
        // An owner whose store never answers would fail every quorum it is part of: the node stops instead.
        await().atMost(DEADLINE).until(() -> b.system().whenTerminated().isCompleted());
        assertTrue(lines.of("b", GrapevineLogs.NODE).contains("ERROR the key-value store of b failed more than 2 times, each within "
                + "60 s of the one before; the node and its actor system stop"), lines.of("b", GrapevineLogs.NODE).toString());
        await().atMost(DEADLINE).until(() -> member(a, "b").status() == MemberStatus.DEAD);
    }

    /**
     * A domain that holds nothing, whose first call for digests after {@link #arm} waits until
     * {@link #release}: it holds the repair actor of its node in the middle of an exchange.
     */
    static final class Gate implements Recoverable {
        private volatile CountDownLatch entered;
        private volatile CountDownLatch released;
        private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean armed;

        synchronized void arm() {
            entered = new CountDownLatch(1);
            released = new CountDownLatch(1);
            calls.set(0);
            armed = true;
        }

        void awaitEntered() {
            await().atMost(DEADLINE).until(() -> entered.getCount() == 0);
        }

        void release() {
            released.countDown();
        }

        /** Digests asked for since {@link #arm}. */
        int digestsCalls() {
            return calls.get();
        }

        @Override
        public SortedMap<String, Long> digests(int partition) {
            calls.incrementAndGet();
            CountDownLatch wait = null;
            synchronized (this) {
                if (armed) {
                    armed = false;
                    wait = released;
                    entered.countDown();
                }
            }
            if (wait != null) {
                try {
                    wait.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new TreeMap<>();
        }

        @Override
        public List<RecoveryEntry> entries(int partition, Predicate<String> keys) {
            return List.of();
        }

        @Override
        public int apply(int partition, List<RecoveryEntry> entries) {
            return 0;
        }

        @Override
        public Set<Integer> partitions() {
            return Set.of();
        }

        @Override
        public void drop(int partition, Map<String, Long> delivered) {
        }
    }
}
