package dev.grapevine.bench.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * The fastest an event can reach all N nodes by tick-driven push gossip with the LAN settings
 * (fanout 3, one gossip tick every 200 ms), on a network with no latency and no loss: the protocol
 * floor of memberlist and Serf, which forward news at their next tick. Grapevine forwards news at
 * once (see docs/protocol.md), so it can beat this floor; its own floor is then about ⌈log4 N⌉
 * network hops.
 *
 * <p>Model: each node ticks at its own phase, uniform in [0, 200) ms, then every 200 ms. The sender
 * knows the event at t = 0. At each of its ticks a node that knows the event sends it to 3 distinct
 * random other nodes (with no retransmit limit, which only makes the floor lower); a receiver knows it
 * from that instant and forwards it from its own next tick. A trial ends when all N know it. The seed is
 * fixed so that the figures quoted in documents come out the same on every run.
 *
 * <p>{@code java ... dev.grapevine.bench.report.DisseminationFloor [N...]} prints the floor for
 * N = 5, 10, 20, 50 by default.
 */
final class DisseminationFloor {
    static final int FANOUT = 3;
    static final double GOSSIP_INTERVAL_MS = 200;
    static final int TRIALS = 20_000;
    static final long SEED = 0x6772617065L;   // "grape"

    /** Nearest-rank percentiles of the time until all N know the event. */
    record Floor(int nodes, double medianMs, double p99Ms, double maxMs) {}

    private static final Map<Integer, Floor> CACHE = new ConcurrentHashMap<>();

    private DisseminationFloor() {
    }

    static Floor of(int nodes) {
        return CACHE.computeIfAbsent(nodes, DisseminationFloor::simulate);
    }

    private static Floor simulate(int nodes) {
        // Seeded per N: the floor for one N does not depend on which other Ns were asked for first.
        SplittableRandom random = new SplittableRandom(SEED + nodes);
        double[] allKnowMs = new double[TRIALS];
        for (int t = 0; t < TRIALS; t++) {
            allKnowMs[t] = trial(nodes, random);
        }
        Arrays.sort(allKnowMs);
        return new Floor(nodes, percentile(allKnowMs, 0.50), percentile(allKnowMs, 0.99), allKnowMs[TRIALS - 1]);
    }

    /** One event from node 0; returns the time (ms) at which the last node learns it. */
    private static double trial(int n, SplittableRandom random) {
        if (n == 1) {
            return 0;
        }
        double[] phaseMs = new double[n];
        for (int i = 0; i < n; i++) {
            phaseMs[i] = random.nextDouble() * GOSSIP_INTERVAL_MS;
        }
        // Within a gossip round, nodes tick in phase order: a node told earlier in the round (by a
        // node with a smaller phase) still ticks in this round; one told later waits for the next.
        int[] tickOrder = IntStream.range(0, n).boxed()
                .sorted((a, b) -> Double.compare(phaseMs[a], phaseMs[b])).mapToInt(Integer::intValue).toArray();
        boolean[] knows = new boolean[n];
        knows[0] = true;
        int known = 1;
        int fanout = Math.min(FANOUT, n - 1);
        int[] targets = new int[fanout];
        for (int round = 0; ; round++) {
            for (int node : tickOrder) {
                if (!knows[node]) {
                    continue;
                }
                double tickMs = round * GOSSIP_INTERVAL_MS + phaseMs[node];
                pickDistinctOthers(node, n, targets, random);
                for (int target : targets) {
                    if (!knows[target]) {
                        knows[target] = true;
                        if (++known == n) {
                            return tickMs;
                        }
                    }
                }
            }
        }
    }

    private static void pickDistinctOthers(int self, int n, int[] targets, SplittableRandom random) {
        int picked = 0;
        while (picked < targets.length) {
            int candidate = random.nextInt(n - 1);
            if (candidate >= self) {
                candidate++;   // skip self: uniform over the n - 1 others
            }
            boolean fresh = true;
            for (int i = 0; i < picked; i++) {
                fresh &= targets[i] != candidate;
            }
            if (fresh) {
                targets[picked++] = candidate;
            }
        }
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[(int) Math.ceil(p * sorted.length) - 1];
    }

    public static void main(String[] args) {
        int[] ns = args.length == 0 ? new int[] {5, 10, 20, 50} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf(Locale.ROOT, "push gossip floor: fanout %d, interval %.0f ms, %,d trials, seed %d + N%n",
                FANOUT, GOSSIP_INTERVAL_MS, TRIALS, SEED);
        System.out.println("N\tmedian_ms\tp99_ms\tmax_ms");
        for (int n : ns) {
            Floor f = of(n);
            System.out.printf(Locale.ROOT, "%d\t%.0f\t%.0f\t%.0f%n", n, f.medianMs(), f.p99Ms(), f.maxMs());
        }
    }
}
