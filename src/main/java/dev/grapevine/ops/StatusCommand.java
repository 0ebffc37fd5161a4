package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * {@code grapevine status}: every member, its status, address, share of the partitions, keys and
 * bytes held and pending recovery, from {@code GET /v1/status} (see {@link StatusHttp}), as
 * {@code nodetool status} shows a Cassandra ring. Unknown figures print as "-".
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows each member's status, address, share of partitions, keys, bytes and pending recovery.")
final class StatusCommand extends ClientCommands.ClientCommand {
    @Option(names = "--json", description = "print the agent's JSON as served")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Answer answer = getJson("/v1/status", "status");
        JsonNode status = answer.json();
        PrintWriter out = out();
        if (json) {
            out.println(answer.body());
            out.flush();
            return 0;
        }
        out.println("epoch " + text(status.get("epoch")) + ", " + text(status.get("partitions")) + " partitions, replication factor "
                + text(status.get("replication_factor")) + " (a member's share counts its replicas)");
        out.println();
        String row = "%-20s %-22s %-8s %-15s %10s %10s %8s%n";
        out.printf(row, "NAME", "ADDRESS", "STATUS", "OWNS", "KEYS", "BYTES", "PENDING");
        for (JsonNode m : status.path("members")) {
            String owns = m.path("partitions_owned").isNumber()
                    ? m.get("partitions_owned").asInt() + "/" + status.path("partitions").asInt() + " "
                    + String.format(Locale.ROOT, "%.1f%%", m.path("partitions_owned_pct").asDouble())
                    : "-";
            out.printf(row, text(m.get("name")), text(m.get("address")), text(m.get("status")), owns,
                    text(m.get("keys")), bytes(m.get("bytes")), text(m.get("recovery_pending")));
        }
        out.flush();
        return 0;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "-" : n.asText();
    }

    /** Bytes in binary units, as {@code nodetool} shows load: 1023 B, 1.5 KiB, 12.0 MiB. */
    static String bytes(JsonNode n) {
        if (n == null || !n.isNumber()) {
            return "-";
        }
        double v = n.asDouble();
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n.asLong() + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
