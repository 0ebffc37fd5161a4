package dev.grapevine.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gray failures: one node (node N) half-working for a while, or a tenth of the cluster killed at once.
 * <ul>
 *   <li>flaky: {@link InboundCut} drops 80 % of the packets to node N's gossip port for the window;</li>
 *   <li>flip-flop: everything to that port dropped for 20 s, then let through for 20 s, some cycles;</li>
 *   <li>slow: node N SIGSTOPped 700 ms of every second for the window (CPU starvation);</li>
 *   <li>isolated: everything to that port dropped for 45 s, node N still sending (a one-way cut);</li>
 *   <li>mass-crash: the last 10 % of the nodes (at least 2) killed with SIGKILL at once, then restarted.</li>
 * </ul>
 * Verdicts count from the fault's start to {@link GraySettings#settle} after its end ({@link GrayFigures}).
 * Afterwards the cluster must list all N alive again: nodes that exited (a downed Pekko node does) are
 * restarted, and node N is restarted when the cluster does not re-form without it; both are recorded.
 * Node N always runs in its own process, also when the others share one JVM, so every single-node fault
 * works there; mass-crash needs several nodes of their own and is skipped in a shared JVM.
 */
final class GrayFailureScenario {
    static final List<String> NAMES = List.of("flaky", "flip-flop", "slow", "mass-crash", "isolated");
    /** After the settle period: the time the cluster gets to list all N alive again before node N is restarted. */
    static final Duration REFORM = Duration.ofSeconds(60);
    /** Grapevine's recovery starts an epoch once the view has been stable for 2 s (recovery.stable-after). */
    static final Duration EPOCH_SETTLE = Duration.ofSeconds(5);

    private GrayFailureScenario() {}

    /** Runs one scenario, filling {@code out} as it goes: a scenario that fails keeps what it measured. */
    static ObjectNode run(String scenario, Cluster c, BenchSettings s, Ports ports, ObjectNode out) {
        GraySettings g = s.gray();
        out.put("scenario", scenario);
        System.err.printf("bench: %s N=%d %s...%n", c.system().name(), c.size(), scenario);
        if (scenario.equals("mass-crash")) return massCrash(c, g, out);
        int f = c.size();
        out.putArray("faulty").add(SystemUnderTest.nodeName(f));
        boolean cut = !scenario.equals("slow");
        if (cut && !s.lossAllowed()) return skipped(out, "nft is not usable here (needs root and nftables)");
        List<Integer> healthy = c.nodes().subList(0, f - 1);
        Map<Integer, Long> epochs = epochs(c, healthy);
        InboundCut inbound = new InboundCut("grapevine_bench_fault", ports.gossip(f));
        long t0 = System.currentTimeMillis();
        long dropped = 0;
        try {
            switch (scenario) {
                case "flaky" -> {
                    out.put("drop_pct", g.flakyDropPercent());
                    out.put("window_s", g.flakyWindow().toSeconds());
                    inbound.drop(g.flakyDropPercent());
                    Poll.sleep(g.flakyWindow());
                    dropped = inbound.dropped();
                }
                case "flip-flop" -> {
                    out.put("cut_s", g.flipCut().toSeconds());
                    out.put("restored_s", g.flipRestore().toSeconds());
                    out.put("cycles", g.flipCycles());
                    for (int i = 0; i < g.flipCycles(); i++) {
                        inbound.drop(100);
                        Poll.sleep(g.flipCut());
                        dropped += Math.max(0, inbound.dropped());
                        inbound.remove();
                        Poll.sleep(g.flipRestore());
                    }
                }
                case "isolated" -> {
                    out.put("window_s", g.isolatedWindow().toSeconds());
                    inbound.drop(100);
                    Poll.sleep(g.isolatedWindow());
                    dropped = inbound.dropped();
                }
                case "slow" -> {
                    out.put("window_s", g.slowWindow().toSeconds());
                    out.put("stop_ms", g.slowStop().toMillis());
                    out.put("period_ms", g.slowPeriod().toMillis());
                    out.put("bursts", starve(c.process(f), g));
                }
                default -> throw new BenchFailure("unknown gray-failure scenario " + scenario);
            }
        } finally {
            inbound.remove();
            c.process(f).resume();
        }
        if (cut) out.put("packets_dropped", dropped);
        long tHealed = System.currentTimeMillis();
        Poll.sleep(g.settle());
        long t1 = System.currentTimeMillis();
        out.put("settle_s", g.settle().toSeconds());
        GrayFigures.put(c, List.of(f), t0, t1, true, out);
        reform(c, f, tHealed, out);
        putEpochs(c, epochs, out);
        return out;
    }

    /** SIGSTOP for stop of every period until the window ends; returns the bursts. */
    private static int starve(NodeProcess p, GraySettings g) {
        long end = System.nanoTime() + g.slowWindow().toNanos();
        int bursts = 0;
        while (System.nanoTime() + g.slowPeriod().toNanos() <= end) {
            long periodEnd = System.nanoTime() + g.slowPeriod().toNanos();
            p.pause();
            bursts++;
            Poll.sleep(g.slowStop());
            p.resume();
            Poll.sleep(Duration.ofNanos(Math.max(0, periodEnd - System.nanoTime())));
        }
        return bursts;
    }

    private static ObjectNode massCrash(Cluster c, GraySettings g, ObjectNode out) {
        int n = c.size();
        int k = g.massCrashCount(n);
        List<Integer> victims = c.nodes().subList(n - k, n);
        List<Integer> survivors = c.nodes().subList(0, n - k);
        out.set("faulty", Http.JSON.valueToTree(victims.stream().map(SystemUnderTest::nodeName).toList()));
        for (int v : victims) {
            if (c.sharing(v) > 1) return skipped(out, "n" + v + " runs in the shared JVM: only node N can be killed alone");
        }
        Map<Integer, Long> epochs = epochs(c, survivors);
        long t0 = System.currentTimeMillis();
        c.crashAll(victims);
        var observers = GrayFigures.names(survivors);
        var subjects = GrayFigures.names(victims);
        try {
            Poll.until(CrashScenario.DEADLINE, Cluster.POLL, "every survivor to hold " + subjects + " failed",
                    () -> GrayFigures.declaredDeadMs(c, observers, subjects, t0, Long.MAX_VALUE) != null);
        } catch (BenchFailure e) {
            out.put("verdict_error", e.getMessage());
        }
        Poll.sleep(g.settle());
        long t1 = System.currentTimeMillis();
        out.put("settle_s", g.settle().toSeconds());
        GrayFigures.put(c, victims, t0, t1, false, out);
        c.launchAll(victims);
        c.awaitAnswering(victims);
        long tUp = System.currentTimeMillis();
        c.awaitFormed();
        out.put("rejoin_ms", System.currentTimeMillis() - tUp);
        putEpochs(c, epochs, out);
        return out;
    }

    private static Map<Integer, Long> epochs(Cluster c, List<Integer> nodes) {
        Map<Integer, Long> out = new HashMap<>();
        for (int i : nodes) {
            Long e = c.system().recoveryEpochsStarted(i);
            if (e != null) out.put(i, e);
        }
        return out;
    }

    /**
     * Median over the survivors that answered before and after of the epochs they started over the whole
     * incident, the return of the faulty nodes included: read {@link #EPOCH_SETTLE} after the cluster
     * re-formed, since an epoch starts once the view has been stable for a while. Null for the peers.
     */
    private static void putEpochs(Cluster c, Map<Integer, Long> before, ObjectNode out) {
        if (before.isEmpty()) {
            out.putNull("recovery_epochs_per_incident");
            return;
        }
        Poll.sleep(EPOCH_SETTLE);
        List<Long> deltas = new ArrayList<>();
        before.forEach((node, b) -> {
            Long a = c.system().recoveryEpochsStarted(node);
            if (a != null) deltas.add(a - b);
        });
        Stats.put(out, "recovery_epochs_per_incident", deltas.isEmpty() ? null : Stats.median(deltas));
    }

    /**
     * Brings back all N alive: restarts the nodes that exit meanwhile (a downed Pekko node exits, also
     * some time after the fault), waits up to {@link #REFORM}, and then restarts the faulty node when the
     * cluster has not taken it back by itself. Puts reformed_ms, from the end of the fault until every
     * node lists all N alive, and what was restarted.
     */
    private static void reform(Cluster c, int faulty, long tHealed, ObjectNode out) {
        java.util.Set<Integer> restarted = new java.util.TreeSet<>();
        java.util.function.BooleanSupplier formed = () -> {
            List<Integer> exited = c.exited().stream().filter(i -> c.sharing(i) == 1).toList();
            if (!exited.isEmpty()) {
                restarted.addAll(exited);
                for (int i : exited) c.launch(i);
                c.awaitAnswering(exited);
            }
            return c.formed();
        };
        try {
            try {
                Poll.until(REFORM, Cluster.POLL, "all " + c.size() + " " + c.system().aliveWord() + " again", formed);
            } catch (BenchFailure e) {
                if (restarted.contains(faulty) || c.sharing(faulty) > 1) throw e;
                out.put("faulty_restarted", true);   // the cluster did not take it back in time by itself
                c.crash(faulty);
                c.launch(faulty);
                c.awaitAnswering(List.of(faulty));
                Poll.until(Cluster.formDeadline(c.size()), Cluster.POLL, "all " + c.size() + " " + c.system().aliveWord()
                        + " after restarting " + SystemUnderTest.nodeName(faulty), formed);
            }
            out.put("reformed_ms", System.currentTimeMillis() - tHealed);
        } finally {
            if (!restarted.isEmpty()) out.set("nodes_exited", Http.JSON.valueToTree(restarted.stream().map(SystemUnderTest::nodeName).toList()));
        }
    }

    private static ObjectNode skipped(ObjectNode out, String reason) {
        out.put("skipped", reason);
        return out;
    }
}
