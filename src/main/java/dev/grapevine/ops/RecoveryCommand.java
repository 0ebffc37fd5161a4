package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code grapevine recovery}: where recovery stands, from {@code GET /v1/recovery}:
 * {@code {"domain","epoch","members","complete","partitions_pending","nodes":[{"node","epoch","pending","failed"}],"local":{...},"catching_up_from":{...}}}.
 * Only shows; it exits 0 whether or not recovery is complete.
 */
@Command(name = "recovery", mixinStandardHelpOptions = true,
        description = "Shows the recovery epoch, whether every node finished recovering, and per-node progress.")
final class RecoveryCommand extends ClientCommands.ClientCommand {
    @Option(names = "--json", description = "print the agent's JSON as served")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Answer answer = getJson("/v1/recovery", "recovery");
        JsonNode status = answer.json();
        PrintWriter out = out();
        if (json) {
            out.println(answer.body());
            out.flush();
            return 0;
        }
        if (status.has("domain")) {
            out.println("domain    " + (status.get("domain").isNull() ? "none (this node runs no recoverable domain: it owns nothing)"
                    : status.get("domain").asText() + " (owned by the live members that run it)"));
        }
        out.println("epoch     " + text(status.get("epoch")));
        out.println("members   " + text(status.get("members")));
        out.println("complete  " + (status.path("complete").asBoolean() ? "yes" : "no"));
        out.println("pending   " + text(status.get("partitions_pending")) + " partitions");
        for (Iterator<Map.Entry<String, JsonNode>> it = status.path("unavailable").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> u = it.next();
            out.println("unavailable " + u.getKey() + " here: " + u.getValue().asText());
        }
        out.println();
        out.printf("%-24s %-18s %8s %8s%n", "NODE", "EPOCH", "PENDING", "FAILED");
        for (JsonNode n : status.path("nodes")) {
            out.printf("%-24s %-18s %8s %8s%n", text(n.get("node")), text(n.get("epoch")), text(n.get("pending")),
                    text(n.get("failed")));
        }
        JsonNode local = status.path("local");
        if (local.isObject() && local.size() > 0) {
            out.println();
            out.println("local");
            for (Iterator<Map.Entry<String, JsonNode>> it = local.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> counter = it.next();
                JsonNode v = counter.getValue();
                out.printf("  %-30s %s%n", counter.getKey(), v.isValueNode() ? v.asText() : Json.write(v));
            }
        }
        out.flush();
        return 0;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "-" : n.asText();
    }
}
