package dev.grapevine.ops;

import dev.grapevine.api.JoinResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a join that nodes of another cluster refused reads, over HTTP and in the CLI. */
final class ClusterRefusals {
    private ClusterRefusals() {
    }

    /** One line per refusal, naming both clusters. */
    static List<String> lines(Map<String, String> refused, String cluster) {
        List<String> lines = new ArrayList<>();
        refused.forEach((address, theirs) -> lines.add("refused by " + address + ": that node is in cluster '"
                + theirs + "'; this node is in '" + cluster + "'"));
        return lines;
    }

    /** The body of a join that every answering node refused. */
    static Map<String, Object> body(JoinResult r, String cluster) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", String.join("; ", lines(r.refused(), cluster)));
        body.put("joined", r.joined());
        body.put("failed", r.failed());
        body.put("refused", r.refused());
        body.put("cluster", cluster);
        return body;
    }
}
