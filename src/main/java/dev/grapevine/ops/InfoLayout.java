package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code grapevine info} for people: the node's own fields as aligned {@code key: value} lines, then
 * one section per nested object of {@code GET /v1/info} (the protocol settings, the counters), each
 * aligned on its own. Fields the agent adds later show up without a change here.
 */
final class InfoLayout {
    /** Sections by the field that holds them; any other nested object is titled by its own name. */
    private static final Map<String, String> TITLES = Map.of("protocol", "settings", "metrics", "counters");

    private InfoLayout() {
    }

    static String render(JsonNode info) {
        List<String[]> top = new ArrayList<>();
        List<Map.Entry<String, JsonNode>> sections = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = info.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isObject() && !f.getKey().equals("tags")) {
                sections.add(f);
            } else if (f.getKey().equals("uptime_seconds")) {
                top.add(new String[]{"uptime", uptime(f.getValue().asLong())});
            } else {
                top.add(new String[]{f.getKey().replace('_', ' '), value(f.getValue())});
            }
        }
        StringBuilder out = new StringBuilder();
        aligned(out, "", top);
        for (Map.Entry<String, JsonNode> section : sections) {
            out.append('\n').append(TITLES.getOrDefault(section.getKey(), section.getKey().replace('_', ' '))).append('\n');
            List<String[]> lines = new ArrayList<>();
            section.getValue().fields().forEachRemaining(f -> lines.add(new String[]{f.getKey(), value(f.getValue())}));
            aligned(out, "  ", lines);
        }
        return out.toString();
    }

    private static void aligned(StringBuilder out, String indent, List<String[]> lines) {
        int width = 0;
        for (String[] l : lines) {
            width = Math.max(width, l[0].length() + 1);
        }
        for (String[] l : lines) {
            out.append(indent).append(String.format("%-" + width + "s", l[0] + ":")).append(' ').append(l[1]).append('\n');
        }
    }

    /** Scalars as text, null as "-", lists joined with ", ", tags as k=v. */
    private static String value(JsonNode v) {
        if (v == null || v.isNull()) {
            return "-";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(e -> parts.add(value(e)));
            return parts.isEmpty() ? "-" : String.join(", ", parts);
        }
        if (v.isObject()) {
            List<String> parts = new ArrayList<>();
            v.fields().forEachRemaining(f -> parts.add(f.getKey() + "=" + value(f.getValue())));
            return parts.isEmpty() ? "-" : String.join(", ", parts);
        }
        return v.asText();
    }

    /** "2d 3h 4m 5s (183845 s)"; the largest units only as needed. */
    static String uptime(long seconds) {
        long d = seconds / 86_400;
        long h = seconds % 86_400 / 3_600;
        long m = seconds % 3_600 / 60;
        long s = seconds % 60;
        String text = d > 0 ? d + "d " + h + "h " + m + "m " + s + "s"
                : h > 0 ? h + "h " + m + "m " + s + "s"
                : m > 0 ? m + "m " + s + "s" : s + "s";
        return text + " (" + seconds + " s)";
    }
}
