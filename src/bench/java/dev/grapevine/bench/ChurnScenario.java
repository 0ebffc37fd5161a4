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
        ObjectNode cost = CostWindow.measure(c, nft, c.nodes().subList(0, victim - 1), s.churnWindow(), () -> {
            long end = System.nanoTime() + s.churnWindow().toNanos();
            while (System.nanoTime() + s.churnEvery().toNanos() <= end) {
                long cycleEnd = System.nanoTime() + s.churnEvery().toNanos();
                c.crash(victim);
                Poll.sleep(s.churnDown());
                c.launch(victim);
                c.awaitAnswering(java.util.List.of(victim));
                restarts[0]++;
                long left = cycleEnd - System.nanoTime();
                if (left > 0) Poll.sleep(Duration.ofNanos(left));
            }
            long left = end - System.nanoTime();
            if (left > 0) Poll.sleep(Duration.ofNanos(left));
        });
        cost.put("restarts", restarts[0]);
        cost.put("every_s", s.churnEvery().toSeconds());
        cost.put("down_s", s.churnDown().toSeconds());
        return cost;
    }
}
