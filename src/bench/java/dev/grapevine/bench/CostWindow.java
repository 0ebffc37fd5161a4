package dev.grapevine.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cost of a window of time: CPU of the nodes that ran through it (from each thread's schedstat,
 * in % of one core), their RSS at its end, and the bytes and packets on the loopback to or from any gossip
 * port, divided by N and by the window: per node per second received (= sent, on average). Without
 * nftables the bytes are null. Nodes that share a process get an equal share of its CPU and RSS.
 */
final class CostWindow {
    private CostWindow() {}

    /** Measures while {@code during} runs (it must return after about {@code window}). */
    static ObjectNode measure(Cluster c, Nft nft, List<Integer> measured, Duration window, Runnable during) {
        // The harness's own polling of Pekko's logs would be counted in Pekko's CPU: hold it.
        c.observations().holdPolls(true);
        // Per process, read once: a shared process runs many measured nodes.
        Map<NodeProcess, Map<Long, Long>> cpu0 = new java.util.IdentityHashMap<>();
        Nft.Count bytes;
        long elapsedNs;
        try {
            if (nft != null) nft.install(0);
            for (int i : measured) cpu0.computeIfAbsent(c.process(i), NodeProcess::threadCpuNanos);
            long t0 = System.nanoTime();
            during.run();
            elapsedNs = System.nanoTime() - t0;
            bytes = nft == null ? null : nft.read("gossip");
        } finally {
            c.observations().holdPolls(false);
        }
        List<Double> cpu = new ArrayList<>();
        List<Double> rssMib = new ArrayList<>();
        double seconds = elapsedNs / 1e9;
        Map<NodeProcess, Map<Long, Long>> cpu1 = new java.util.IdentityHashMap<>();
        Map<NodeProcess, Long> rss1 = new java.util.IdentityHashMap<>();
        for (int i : measured) {
            // A process of k nodes counts as k nodes of 1/k of its CPU and memory each.
            NodeProcess p = c.process(i);
            int k = c.sharing(i);
            Map<Long, Long> t1 = cpu1.computeIfAbsent(p, NodeProcess::threadCpuNanos);
            if (cpu0.get(p) != null && t1 != null) {
                cpu.add(ProcStat.cpuNanosBetween(cpu0.get(p), t1) / 1e9 * 100.0 / seconds / k);
            }
            long rss = rss1.computeIfAbsent(p, NodeProcess::rssKib);
            if (rss >= 0) rssMib.add(rss / 1024.0 / k);
        }
        ObjectNode out = Http.JSON.createObjectNode();
        out.put("window_s", Math.round(seconds * 10) / 10.0);
        Stats.put(out, "cpu_pct_median", round2(Stats.median(cpu)));
        Stats.put(out, "cpu_pct_max", round2(Stats.max(cpu)));
        Stats.put(out, "rss_mib_median", floor(Stats.median(rssMib)));
        Stats.put(out, "rss_mib_max", floor(Stats.max(rssMib)));
        Stats.put(out, "bytes_per_s_per_node", bytes == null ? null : (double) Math.round(bytes.bytes() / seconds / c.size()));
        Stats.put(out, "packets_per_s_per_node", bytes == null ? null : round2(bytes.packets() / seconds / c.size()));
        return out;
    }

    private static Double round2(Double v) {
        return v == null ? null : Math.round(v * 100) / 100.0;
    }

    private static Double floor(Double v) {
        return v == null ? null : Math.floor(v);
    }
}
