package dev.grapevine.ops;

import com.typesafe.config.ConfigFactory;
import dev.grapevine.api.Grapevine;
import dev.grapevine.api.Member;
import dev.grapevine.api.MemberStatus;
import dev.grapevine.api.NodeBootstrap;
import dev.grapevine.kv.KvService;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@code grapevine demo}: a local cluster in one command. Starts nodes on loopback in this JVM, each
 * with the replicated key-value store; prints their membership, writes keys, crashes one node without
 * a word, shows the others declare it dead and repair its data until recovery is complete everywhere,
 * checks every key, starts the node again from its data dir and shows it catch up, then stops every
 * node gracefully.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts a local cluster, crashes a node, shows it detected and rejoined, then stops everything.")
public final class DemoCommand implements Callable<Integer> {
    private static final Duration STEP_DEADLINE = Duration.ofSeconds(60);

    @Option(names = "--nodes", defaultValue = "5", description = "cluster size, 2-20 (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--keys", defaultValue = "2000", description = "keys written before the crash, 0-1000000 (default ${DEFAULT-VALUE})")
    int keys;

    @Spec
    CommandSpec command;

    private final List<ActorSystem<Void>> systems = new ArrayList<>();
    private final List<KvService> stores = new ArrayList<>();
    private Path dataRoot;

    @Override
    public Integer call() throws Exception {
        if (nodes < 2 || nodes > 20) {
            throw new IllegalArgumentException("--nodes must be in 2..20, but was " + nodes);
        }
        if (keys < 0 || keys > 1_000_000) {
            throw new IllegalArgumentException("--keys must be in 0..1000000, but was " + keys);
        }
        PrintWriter out = command.commandLine().getOut();
        // Before five actor systems log at once. WARN: the demo narrates the changes itself, and five
        // nodes' INFO lines (each logs every change it sees) would bury the narrative.
        DefaultLogging.init(new DefaultLogging.Options(ch.qos.logback.classic.Level.WARN, null));
        dataRoot = Files.createTempDirectory("grapevine-demo");
        try {
            out.printf("Starting %d nodes on 127.0.0.1 (local profile)...%n", nodes);
            out.flush();
            for (int i = 1; i <= nodes; i++) {
                systems.add(start("node" + i, i == 1 ? null : Grapevine.get(systems.get(0)).address()));
            }
            long t0 = System.nanoTime();
            await(systems.get(0), all -> count(all, MemberStatus.ALIVE) == nodes, "every node alive");
            for (ActorSystem<Void> s : systems) {
                await(s, all -> count(all, MemberStatus.ALIVE) == nodes, "every node alive");
            }
            out.printf("Every node sees all %d alive after %d ms:%n", nodes, millisSince(t0));
            print(out, systems.get(0));
            DemoRecovery recovery = new DemoRecovery(out, systems, stores, STEP_DEADLINE);
            recovery.awaitComplete(nodes, "the first recovery epoch");
            recovery.load(keys);

            int victim = nodes - 1;
            String victimName = "node" + (victim + 1);
            out.printf("%nCrashing %s (no leave: to the others it just stops answering)...%n", victimName);
            out.flush();
            ActorSystem<Void> crashed = systems.get(victim);
            crashed.terminate();
            crashed.getWhenTerminated().toCompletableFuture().join();
            long t1 = System.nanoTime();
            for (int i = 0; i < victim; i++) {
                await(systems.get(i), all -> status(all, victimName) == MemberStatus.DEAD, victimName + " dead");
            }
            out.printf("Every survivor declared %s dead after %d ms.%n", victimName, millisSince(t1));
            recovery.awaitComplete(nodes - 1, "recovery without " + victimName);
            out.printf("Recovery complete on every survivor %d ms after the crash.%n", millisSince(t1));
            recovery.verify(keys, victim);

            out.printf("%nStarting %s again with the same config and data dir, on a new port...%n", victimName);
            out.flush();
            long t2 = System.nanoTime();
            systems.set(victim, start(victimName, Grapevine.get(systems.get(0)).address()));
            for (ActorSystem<Void> s : systems) {
                await(s, all -> count(all, MemberStatus.ALIVE) == nodes, "every node alive again");
            }
            out.printf("%s is alive everywhere again after %d ms, as a new life of the node:%n", victimName, millisSince(t2));
            print(out, systems.get(0));
            recovery.awaitComplete(nodes, victimName + " catching up");
            out.printf("%s caught up: recovery complete everywhere %d ms after its restart.%n", victimName, millisSince(t2));
            recovery.verify(keys, -1);
        } finally {
            out.printf("%nStopping every node gracefully...%n");
            out.flush();
            for (ActorSystem<Void> s : systems) {
                try {
                    Grapevine.get(s).leave().toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    out.printf("  (%s did not leave cleanly: %s)%n", s.name(), e.getMessage());
                }
                s.terminate(); // each step on its own: one failure must not keep the others running
            }
            for (ActorSystem<Void> s : systems) {
                try {
                    s.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    out.printf("  (a node did not stop within 30 s: %s)%n", e.getMessage());
                }
            }
            try {
                deleteRecursively(dataRoot);
            } catch (UncheckedIOException e) {
                out.printf("  (could not remove %s: %s)%n", dataRoot, e.getMessage());
            }
            out.println("Done.");
            out.flush();
        }
        return 0;
    }

    private ActorSystem<Void> start(String name, String seed) {
        String dataDir = dataRoot.resolve(name).toString().replace("\\", "/");
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "grapevine", ConfigFactory.parseString(
                        "pekko.loglevel = ERROR\n"
                                + "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n"
                                + "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"\n"
                                + "pekko.coordinated-shutdown.exit-jvm = off\n"
                                // the demo's crash is a terminate that must not leave; its stop leaves explicitly
                                + "grapevine.shutdown.leave = off\n"
                                + "grapevine.recovery.stable-after = 500ms\n"
                                + "grapevine { profile = local, node.name = \"" + name + "\", node.data-dir = \"" + dataDir + "\""
                                + (seed == null ? "" : ", seeds = [\"" + seed + "\"]") + " }\n")
                .withFallback(NodeBootstrap.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load()));
        Grapevine.get(system);
        KvService kv = KvService.start(system);
        if (stores.size() < nodes) {
            stores.add(kv);
        } else {
            stores.set(Integer.parseInt(name.substring("node".length())) - 1, kv);
        }
        return system;
    }

    private static void await(ActorSystem<Void> viewer, Predicate<List<Member>> condition, String what) throws Exception {
        long deadline = System.nanoTime() + STEP_DEADLINE.toNanos();
        while (!condition.test(Grapevine.get(viewer).members().toCompletableFuture().get(5, TimeUnit.SECONDS))) {
            if (System.nanoTime() > deadline) {
                throw new DemoFailed("the demo waited " + STEP_DEADLINE.toSeconds() + " s for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(50); // polling interval
        }
    }

    /** A step that did not happen in time: reported in one line, exit code 1. */
    static final class DemoFailed extends RuntimeException {
        DemoFailed(String message) {
            super(message);
        }
    }

    private static long count(List<Member> members, MemberStatus status) {
        return members.stream().filter(m -> m.status() == status).count();
    }

    private static MemberStatus status(List<Member> members, String name) {
        return members.stream().filter(m -> m.name().equals(name)).map(Member::status).findFirst().orElse(null);
    }

    private static void print(PrintWriter out, ActorSystem<Void> viewer) throws Exception {
        List<Member> members = new ArrayList<>(Grapevine.get(viewer).members().toCompletableFuture().get(5, TimeUnit.SECONDS));
        members.sort(Comparator.comparing(Member::name));
        out.printf("  %-8s %-20s %-7s %s%n", "NAME", "ADDRESS", "STATUS", "EPOCH");
        for (Member m : members) {
            out.printf("  %-8s %-20s %-7s %d%n", m.name(), m.address(), m.status().name().toLowerCase(), m.epoch());
        }
        out.flush();
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
