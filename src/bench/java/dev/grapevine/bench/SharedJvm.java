package dev.grapevine.bench;

import dev.grapevine.ops.AgentCommand;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Several nodes of one JVM system in one process, for cluster sizes whose JVMs would not fit the
 * machine one per node:
 * <pre>
 *   SharedJvm grapevine AGENT-FLAGS [--next AGENT-FLAGS]...    (flags of `grapevine agent`)
 *   SharedJvm pekko NODE-FLAGS [--next NODE-FLAGS]...          (flags of PekkoClusterNode)
 * </pre>
 * The first node starts first (everyone's seed); the rest then start at once, each on its own
 * thread. Each node is a whole actor system with its own Artery transport and admin API, so peers
 * talk over the loopback exactly as separate processes do. SIGTERM stops them all: Grapevine's
 * nodes leave gracefully, as a single agent does; Pekko's terminate, as a single node does. A node
 * that fails to start stops the process with exit code 2.
 */
public final class SharedJvm {
    private SharedJvm() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !(args[0].equals("grapevine") || args[0].equals("pekko"))) {
            System.err.println("usage: SharedJvm grapevine|pekko FLAGS [--next FLAGS]...");
            System.exit(2);
        }
        List<String[]> nodes = split(Arrays.copyOfRange(args, 1, args.length));
        List<Runnable> stops = new ArrayList<>();
        // One thread per node, to start them at once and stop them at once (the common pool has one
        // thread on two cores, and a leave waits up to 5 s).
        ExecutorService threads = Executors.newFixedThreadPool(nodes.size(), r -> {
            Thread t = new Thread(r, "shared-jvm");
            t.setDaemon(true);
            return t;
        });
        try {
            stops.add(starter(args[0], nodes.get(0)).call());
            List<CompletableFuture<Runnable>> rest = new ArrayList<>();
            for (String[] flags : nodes.subList(1, nodes.size())) {
                var start = starter(args[0], flags);
                rest.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return start.call();
                    } catch (Exception e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                }, threads));
            }
            for (CompletableFuture<Runnable> f : rest) stops.add(f.join());
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("SharedJvm: a node did not start: " + cause.getMessage());
            System.exit(2);
        }
        System.out.println("SharedJvm: " + nodes.size() + " " + args[0] + " nodes running");
        // As a single agent does: SIGTERM or SIGINT leaves before the JVM's own shutdown begins.
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean once = new AtomicBoolean();
        sun.misc.SignalHandler handler = signal -> {
            if (!once.compareAndSet(false, true)) return;
            new Thread(() -> {
                CompletableFuture.allOf(stops.stream().map(stop -> CompletableFuture.runAsync(stop, threads))
                        .toArray(CompletableFuture[]::new)).join();
                stopped.countDown();
            }, "shared-jvm-stop").start();
        };
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
        stopped.await();
        System.exit(0);
    }

    /** The arguments that run {@code system}'s nodes, one flag list each: the inverse of {@link #split}. */
    static List<String> arguments(String system, List<List<String>> flagsPerNode) {
        List<String> out = new ArrayList<>(List.of(SharedJvm.class.getName(), system));
        for (int i = 0; i < flagsPerNode.size(); i++) {
            if (i > 0) out.add("--next");
            out.addAll(flagsPerNode.get(i));
        }
        return out;
    }

    /** The argument lists between the {@code --next} separators. */
    static List<String[]> split(String[] args) {
        List<String[]> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--next")) {
                out.add(current.toArray(String[]::new));
                current = new ArrayList<>();
            } else {
                current.add(a);
            }
        }
        out.add(current.toArray(String[]::new));
        return out;
    }

    /** Starts one node from its flags and returns how to stop it. */
    private static java.util.concurrent.Callable<Runnable> starter(String system, String[] flags) {
        if (system.equals("grapevine")) {
            return () -> {
                AgentCommand agent = new AgentCommand();
                new CommandLine(agent).parseArgs(flags);
                return agent.start()::leaveAndTerminate;
            };
        }
        return () -> {
            ActorSystem<Void> node = PekkoClusterNode.start(PekkoClusterNode.Options.parse(flags), false);
            return () -> {
                node.terminate();
                node.getWhenTerminated().toCompletableFuture().join();
            };
        };
    }
}
