package dev.grapevine.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The gray-failure figures of a whole run as one table on stderr, a row per (N, system, scenario), as they were measured. */
final class GrayTable {
    private record Row(int n, String system, JsonNode figures) {}

    private final List<Row> rows = new ArrayList<>();

    synchronized void add(int n, String system, JsonNode figures) {
        rows.add(new Row(n, system, figures));
    }

    synchronized void print(PrintStream out) {
        if (rows.isEmpty()) return;
        String format = "%4s  %-13s %-11s %6s %9s %13s %7s %8s  %s%n";
        out.println("bench: gray failures (fp: healthy members marked failed by a healthy observer; by-faulty: by the faulty node;");
        out.println("       dead ms: fault start until every healthy observer holds the faulty node(s) failed; flips: median per (healthy observer, faulty node))");
        out.printf(format, "N", "system", "scenario", "fp", "by-faulty", "dead ms", "flips", "epochs", "note");
        for (Row r : rows) {
            JsonNode f = r.figures();
            String note = f.has("skipped") ? "skipped: " + f.get("skipped").asText()
                    : f.has("error") ? "error: " + f.get("error").asText()
                    : (f.has("nodes_exited") ? "exited " + f.get("nodes_exited") + " " : "")
                    + (f.path("faulty_restarted").asBoolean() ? "faulty restarted " : "")
                    + (f.has("reformed_ms") ? "re-formed in " + f.get("reformed_ms") + " ms" : "")
                    + (f.has("rejoin_ms") ? "rejoined in " + f.get("rejoin_ms") + " ms" : "");
            out.printf(format, r.n(), r.system(), f.path("scenario").asText(), text(f, "false_positives"),
                    text(f, "false_positives_by_faulty"), text(f, "faulty_declared_dead_ms"), text(f, "faulty_status_flips"),
                    text(f, "recovery_epochs_per_incident"), note.strip());
        }
    }

    private static String text(JsonNode f, String field) {
        JsonNode v = f.get(field);
        return v == null || v.isNull() ? "-" : v.asText();
    }
}
