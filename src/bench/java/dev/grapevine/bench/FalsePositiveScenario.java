package dev.grapevine.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * False positives: for a window, every node is healthy but the network drops a share of the gossip
 * packets (nftables, in bin/bench's network namespace), or node N is paused with SIGSTOP for a while
 * every so often. Counted from the taps: each time an observer's verdict on a healthy member becomes
 * failed (Grapevine dead, Serf failed, Pekko down), and suspicions likewise. Serf logs a suspicion
 * only at the prober, once per missed probe, and never logs its end: a suspicion line counts as a new
 * one when the last for that pair is older than {@link #SERF_SUSPICION_EPISODE}, so Serf's count is a
 * lower bound. Verdicts up to {@link #SETTLE} after the window still count: suspicions raised inside
 * it end there.
 */
final class FalsePositiveScenario {
    static final Duration SETTLE = Duration.ofSeconds(15);
    /** Serf's suspicion minimum at N ≤ 10: a suspicion that lasted longer would have been a death. */
    static final Duration SERF_SUSPICION_EPISODE = Duration.ofSeconds(4);

    private FalsePositiveScenario() {}

    static ObjectNode loss(Cluster c, Nft nft, BenchSettings s, int lossPercent) {
        ObjectNode out = Http.JSON.createObjectNode();
        out.put("condition", "loss");
        out.put("loss_pct", lossPercent);
        long t0 = System.currentTimeMillis();
        nft.install(lossPercent);
        Nft.Count offered;
        Nft.Count dropped;
        try {
            Poll.sleep(s.fpWindow());
            offered = nft.read("gossip");
            dropped = nft.read("dropped");
        } finally {
            nft.install(0);
        }
        Poll.sleep(SETTLE);
        count(c, t0, System.currentTimeMillis(), -1, out);
        out.put("window_s", s.fpWindow().toSeconds());
        out.put("packets_offered", offered.packets());
        out.put("packets_dropped", dropped.packets());
        return out;
    }

    static ObjectNode pause(Cluster c, BenchSettings s) {
        ObjectNode out = Http.JSON.createObjectNode();
        out.put("condition", "pause");
        out.put("pause_ms", s.pause().toMillis());
        out.put("every_ms", s.pauseEvery().toMillis());
        int paused = c.size();
        NodeProcess p = c.process(paused);
        long t0 = System.currentTimeMillis();
        long end = System.nanoTime() + s.fpWindow().toNanos();
        int pauses = 0;
        try {
            while (System.nanoTime() + s.pauseEvery().toNanos() <= end) {
                long cycleEnd = System.nanoTime() + s.pauseEvery().toNanos();
                p.pause();
                pauses++;
                Poll.sleep(s.pause());
                p.resume();
                Poll.sleep(Duration.ofNanos(Math.max(0, cycleEnd - System.nanoTime())));
            }
        } finally {
            p.resume();
        }
        Poll.sleep(SETTLE);
        count(c, t0, System.currentTimeMillis(), paused, out);
        out.put("window_s", s.fpWindow().toSeconds());
        out.put("pauses", pauses);
        return out;
    }

    /** Puts the counts of verdicts in [t0, t1]; verdicts on {@code excluded} (the paused node) apart. */
    private static void count(Cluster c, long t0, long t1, int excluded, ObjectNode out) {
        String excludedName = excluded > 0 ? SystemUnderTest.nodeName(excluded) : null;
        // Per (observer, subject), the last verdict before the window, then every change inside it.
        Map<String, Observations.Kind> last = new HashMap<>();
        Map<String, Long> lastSuspectMs = new HashMap<>();
        boolean serf = c.system() instanceof SerfSystem;
        int failed = 0, suspected = 0, pausedFailed = 0, pausedSuspected = 0;
        Set<String> failedNodes = new HashSet<>();
        List<Observations.Verdict> all = c.observations().verdicts(v -> v.ms() <= t1 && !v.observer().equals(v.subject()));
        for (Observations.Verdict v : all.stream().sorted(Comparator.comparingLong(Observations.Verdict::ms)).toList()) {
            String key = v.observer() + ">" + v.subject();
            Observations.Kind before = last.put(key, v.kind());
            Long suspectBefore = v.kind() == Observations.Kind.SUSPECT ? lastSuspectMs.put(key, v.ms()) : null;
            boolean newSerfEpisode = serf && v.kind() == Observations.Kind.SUSPECT
                    && (suspectBefore == null || v.ms() - suspectBefore > SERF_SUSPICION_EPISODE.toMillis());
            if (v.ms() < t0 || (v.kind() == before && !newSerfEpisode)) continue;
            boolean onExcluded = v.subject().equals(excludedName);
            if (v.kind() == Observations.Kind.FAILED) {
                if (onExcluded) pausedFailed++;
                else {
                    failed++;
                    failedNodes.add(v.subject());
                }
            } else if (v.kind() == Observations.Kind.SUSPECT) {
                if (onExcluded) pausedSuspected++;
                else suspected++;
            }
        }
        out.put("declared_failed", failed);
        out.put("nodes_declared_failed", failedNodes.size());
        out.put("suspected", suspected);
        if (excludedName != null) {
            out.put("paused_node_declared_failed", pausedFailed);
            out.put("paused_node_suspected", pausedSuspected);
        }
        List<Integer> exited = c.exited();
        if (!exited.isEmpty()) out.put("nodes_exited", exited.size());
    }
}
