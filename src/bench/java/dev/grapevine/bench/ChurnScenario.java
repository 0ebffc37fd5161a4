package dev.grapevine.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;

/**
 * Cost during churn: for the window, node N is killed with SIGKILL every {@code churnEvery}, and
 * started again {@code churnDown} later (long enough to be declared failed), so every cycle carries a
 * failure, a rejoin and their dissemination. CPU is that of the N - 1 nodes that stay up (the
 * restarted JVM's own start-up is not the protocol's cost); bytes count every node's gossip traffic.
 */
final class ChurnScenario {
    private ChurnScenario() {}

    static ObjectNode run(Cluster c, Nft nft, BenchSettings s) {
        int victim = c.size();
        int[] restarts = {0};
        // The same number of cycles for every system, each on its own schedule: a loop that asked
        // whether another whole cycle still fit ran 2 or 3 of them, by a few milliseconds either way.
        long cycles = s.churnWindow().toNanos() / s.churnEvery().toNanos();
        ObjectNode cost = CostWindow.measure(c, nft, c.nodes().subList(0, victim - 1), s.churnWindow(), () -> {
            long start = System.nanoTime();
            for (long k = 0; k < cycles; k++) {
                sleepUntil(start + k * s.churnEvery().toNanos());
                c.crash(victim);
                Poll.sleep(s.churnDown());
                c.launch(victim);
                c.awaitAnswering(java.util.List.of(victim));
                restarts[0]++;
            }
            sleepUntil(start + s.churnWindow().toNanos());
        });
        cost.put("restarts", restarts[0]);
        cost.put("every_s", s.churnEvery().toSeconds());
        cost.put("down_s", s.churnDown().toSeconds());
        return cost;
    }

    private static void sleepUntil(long nanoTime) {
        long left = nanoTime - System.nanoTime();
        if (left > 0) Poll.sleep(Duration.ofNanos(left));
    }
}
