package dev.grapevine.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One line of JSON for scripts and for the session that asked for the benchmark: per N the medians,
 * the ratios to each peer and to the protocol floors, and the list of everything where Grapevine is
 * not ahead. A ratio that cannot be a number (0 vs 0, x vs 0) is null with an entry in "notes".
 */
final class SummaryLine {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SummaryLine() {
    }

    static String of(Results results) {
        ObjectNode root = JSON.createObjectNode().put("summary", "grapevine-vs-peers");
        ArrayNode nodes = root.putArray("nodes");
        ObjectNode byNodes = root.putObject("by_nodes");
        ArrayNode notAhead = JSON.createArrayNode();
        ArrayNode notes = JSON.createArrayNode();
        for (int n : results.nodeCounts()) {
            nodes.add(n);
            ObjectNode at = byNodes.putObject(Integer.toString(n));
            ObjectNode runs = at.putObject("runs");
            for (BenchSystem s : BenchSystem.values()) {
                runs.put(s.key, results.runs(n, s));
            }
            for (BenchSystem s : BenchSystem.values()) {
                ObjectNode values = at.putObject(s.key);
                for (Metric m : Metric.values()) {
                    if (m.appliesTo(s)) {
                        number(values, m.key, results.median(n, s, m));
                    }
                }
            }
            for (BenchSystem peer : BenchSystem.PEERS) {
                ObjectNode ratios = at.putObject("ratio_vs_" + peer.key);
                for (Metric m : Metric.values()) {
                    if (!m.compared()) {
                        continue;
                    }
                    Ratio r = results.ratio(n, m, peer);
                    number(ratios, m.key, r.json());
                    String where = n + ":" + m.key + " vs " + peer.key;
                    if (r.notAhead()) {
                        notAhead.add(where);
                    }
                    if (r.note() != null) {
                        notes.add(where + ": " + r.note());
                    }
                }
            }
            double detection = ProtocolFloors.detectionMs(n);
            DisseminationFloor.Floor gossip = DisseminationFloor.of(n);
            ObjectNode floor = at.putObject("floor");
            number(floor, "detection_ms", detection);
            number(floor, "event_median_ms", gossip.medianMs());
            number(floor, "event_p99_ms", gossip.p99Ms());
            ObjectNode floorRatio = at.putObject("floor_ratio");
            number(floorRatio, "detection", ProtocolFloors.ratio(
                    results.median(n, BenchSystem.GRAPEVINE, Metric.CRASH_VERDICT_ALL_MS), detection));
            number(floorRatio, "event_median", ProtocolFloors.ratio(
                    results.median(n, BenchSystem.GRAPEVINE, Metric.EVENT_MEDIAN_MS), gossip.medianMs()));
            number(floorRatio, "event_p99", ProtocolFloors.ratio(
                    results.median(n, BenchSystem.GRAPEVINE, Metric.EVENT_P99_MS), gossip.p99Ms()));
        }
        root.set("not_ahead", notAhead);
        root.set("notes", notes);
        ArrayNode failed = root.putArray("failed_runs");
        for (BenchRun r : results.failedRuns()) {
            failed.addObject().put("nodes", r.nodes()).put("system", r.system().key).put("source", r.source()).put("error", r.error());
        }
        return root.toString();
    }

    /** Whole numbers as integers (277, not 277.0), others to 2 decimals; null stays null. */
    private static void number(ObjectNode into, String key, Double v) {
        if (v == null) {
            into.putNull(key);
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            into.put(key, v.longValue());
        } else {
            into.put(key, Math.round(v * 100) / 100.0);
        }
    }
}
