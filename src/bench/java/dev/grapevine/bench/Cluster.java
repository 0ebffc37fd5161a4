package dev.grapevine.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * N nodes of one system: their processes, a tap on each, and the waits the scenarios share. Node N is
 * the one crashed, churned and paused; node 1 is everyone's seed and sends the events. Nodes may
 * share a process ({@link #launchShared}); node N always has its own.
 */
final class Cluster implements AutoCloseable {
    /** JVMs starting at once on 2 cores take about 3 s each. */
    static Duration startDeadline(int n) {
        return Duration.ofSeconds(60 + 15L * n);
    }

    /** 120 s up to 20 nodes, 4 s more per node beyond: Pekko's leader admits joiners in 1 s gossip rounds. */
    static Duration formDeadline(int n) {
        return Duration.ofSeconds(120 + 4L * Math.max(0, n - 20));
    }

    static final Duration POLL = Duration.ofMillis(100);
    static final long STOP_GRACE_S = 10;

    /** Open clusters, closed by the harness's shutdown hook if it is stopped by a signal. */
    private static final Set<Cluster> OPEN = ConcurrentHashMap.newKeySet();
    /** Set by the shutdown hook: from then on no node may be started, the main thread being still at work. */
    private static volatile boolean shuttingDown;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (Cluster.class) {
                shuttingDown = true;
            }
            List.copyOf(OPEN).forEach(Cluster::close);
            Nft.removeAll();
            InboundCut.removeAll();
        }, "bench-stop-nodes"));
    }

    private final SystemUnderTest sut;
    private final int n;
    private final Path logDir;
    private final Observations observations = new Observations();
    private final NodeProcess[] processes;
    private final SystemUnderTest.Tap[] taps;
    /** Nodes running in one process with others; empty when each node has its own. */
    private final Set<Integer> shared = new java.util.TreeSet<>();

    Cluster(SystemUnderTest sut, int n, Path logDir) {
        this.sut = sut;
        this.n = n;
        this.logDir = logDir;
        this.processes = new NodeProcess[n + 1];
        this.taps = new SystemUnderTest.Tap[n + 1];
        OPEN.add(this);
    }

    int size() {
        return n;
    }

    SystemUnderTest system() {
        return sut;
    }

    Observations observations() {
        return observations;
    }

    NodeProcess process(int node) {
        return processes[node];
    }

    List<Integer> nodes() {
        return IntStream.rangeClosed(1, n).boxed().toList();
    }

    /** How many nodes node i's process runs. */
    int sharing(int node) {
        return shared.contains(node) ? shared.size() : 1;
    }

    /**
     * Launches the given nodes in one process ({@link SystemUnderTest#sharedCommand}), the first
     * started first inside it; {@link #awaitAnswering} then waits for them.
     */
    void launchShared(List<Integer> nodes) {
        List<String> command = sut.sharedCommand(nodes);
        if (command == null) throw new BenchFailure(sut.name() + " runs only a process per node");
        synchronized (Cluster.class) {
            if (shuttingDown) throw new BenchFailure("shutting down");
            NodeProcess p;
            try {
                p = NodeProcess.start("n" + nodes, command, logDir.resolve(sut.name() + "-shared.log"));
            } catch (IOException e) {
                throw new BenchFailure("cannot start n" + nodes + ": " + e.getMessage());
            }
            for (int i : nodes) processes[i] = p;
            shared.addAll(nodes);
        }
    }

    /** Launches node i; {@link #awaitAnswering} then waits for it. */
    void launch(int node) {
        if (shared.contains(node)) throw new BenchFailure("n" + node + " runs in a shared process: it cannot be started alone");
        closeTap(node);
        String name = SystemUnderTest.nodeName(node);
        synchronized (Cluster.class) {   // against the shutdown hook: a node started after it ran would outlive the harness
            if (shuttingDown) throw new BenchFailure("shutting down");
            try {
                processes[node] = NodeProcess.start(name, sut.command(node), logDir.resolve(sut.name() + "-" + name + ".log"));
            } catch (IOException e) {
                throw new BenchFailure("cannot start " + name + ": " + e.getMessage());
            }
        }
    }

    /** Launches the given nodes at once, each in its own process. */
    void launchAll(List<Integer> which) {
        for (int i : which) launch(i);
    }

    /** Waits until every given node answers, then attaches its tap. Fails at once if one has exited. */
    void awaitAnswering(List<Integer> which) {
        Poll.until(startDeadline(n), POLL, "n" + which + " to answer", () -> {
            for (int i : which) {
                if (!processes[i].alive()) throw new BenchFailure(processes[i].name() + " exited before answering: " + processes[i].lastLogLine());
                if (!sut.answers(i)) return false;
            }
            return true;
        });
        for (int i : which) taps[i] = sut.tap(i, observations);
    }

    /** Whether every live node lists all N members with the alive word. */
    boolean formed() {
        for (int i = 1; i <= n; i++) {
            Map<String, String> s = sut.statuses(i);
            long alive = s.values().stream().filter(sut.aliveWord()::equals).count();
            if (alive != n) return false;
        }
        return true;
    }

    void awaitFormed() {
        Poll.until(formDeadline(n), POLL, "every node to list all " + n + " " + sut.aliveWord(), this::formed);
    }

    /** Whether every node lists node i with the alive word. */
    boolean allSee(int node) {
        String name = SystemUnderTest.nodeName(node);
        for (int i = 1; i <= n; i++) {
            if (!sut.aliveWord().equals(sut.statuses(i).get(name))) return false;
        }
        return true;
    }

    void crash(int node) {
        if (shared.contains(node)) throw new BenchFailure("n" + node + " runs in a shared process: it cannot be crashed alone");
        closeTap(node);
        processes[node].crash();
    }

    /** SIGKILL to all the given nodes first, then waits for each to exit: a crash of several at once. */
    void crashAll(List<Integer> which) {
        for (int i : which) {
            if (shared.contains(i)) throw new BenchFailure("n" + i + " runs in a shared process: it cannot be crashed alone");
        }
        for (int i : which) processes[i].kill();
        for (int i : which) {
            closeTap(i);
            processes[i].crash();
        }
    }

    /**
     * Nodes whose process has exited (a Pekko node exits once downed), and nodes of a shared process
     * that no longer answer (a downed Pekko node there stops its actor system, not the process).
     */
    List<Integer> exited() {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            // Asked twice: one slow answer from a busy shared JVM is not a stopped node.
            if (processes[i] == null || !processes[i].alive() || (shared.contains(i) && !sut.answers(i) && !sut.answers(i))) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * Restarts every node that has exited and waits until the cluster lists all N alive again. A node
     * of a shared process cannot be restarted alone: that fails.
     */
    List<Integer> heal() {
        List<Integer> gone = exited();
        List<Integer> lost = gone.stream().filter(shared::contains).toList();
        if (!lost.isEmpty()) throw new BenchFailure("n" + lost + " of the shared process stopped; it cannot restart one node");
        for (int i : gone) launch(i);
        if (!gone.isEmpty()) awaitAnswering(gone);
        awaitFormed();
        return gone;
    }

    private void closeTap(int node) {
        if (taps[node] != null) {
            taps[node].close();
            taps[node] = null;
        }
    }

    @Override
    public void close() {
        OPEN.remove(this);
        for (int i = 1; i <= n; i++) closeTap(i);
        // In parallel: graceful leaves take a moment each, and nothing may be left running.
        List<Thread> stops = new ArrayList<>();
        Set<NodeProcess> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 1; i <= n; i++) {
            NodeProcess p = processes[i];
            if (p == null || !distinct.add(p)) continue;
            Thread t = new Thread(() -> p.stop(STOP_GRACE_S));
            t.start();
            stops.add(t);
        }
        for (Thread t : stops) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
