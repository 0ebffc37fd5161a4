package dev.grapevine.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics table of docs/operations.md ("Metrics"), one row per {@code grapevine_} family: its
 * type, its labels and its meaning, and the same rows as a scrape shows them (TYPE, sample labels,
 * HELP), so that a test can hold the two to each other.
 */
record MetricsTable(Map<String, Row> rows) {
    static final Path OPERATIONS = Path.of("docs/operations.md");
    private static final Pattern DOC_ROW = Pattern.compile("\\| `(grapevine_[a-z0-9_]+)` \\| (\\w+) \\| ([^|]*) \\| (.*) \\|");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

    /** @param labels the label names, {@code le} of histograms left out */
    record Row(String type, Set<String> labels, String meaning) {
        /** The row as docs/operations.md writes it. */
        String markdown(String name) {
            StringBuilder l = new StringBuilder();
            for (String label : labels) {
                l.append(l.length() == 0 ? "" : " ").append('`').append(label).append('`');
            }
            return "| `" + name + "` | " + type + " | " + l + " | " + meaning + " |";
        }
    }

    static MetricsTable ofDocs(Path doc) throws IOException {
        Map<String, Row> rows = new TreeMap<>();
        for (String line : Files.readAllLines(doc)) {
            Matcher m = DOC_ROW.matcher(line);
            if (m.matches()) {
                Set<String> labels = new TreeSet<>();
                Matcher l = Pattern.compile("`([^`]+)`").matcher(m.group(3));
                while (l.find()) {
                    labels.add(l.group(1));
                }
                if (rows.put(m.group(1), new Row(m.group(2), labels, m.group(4))) != null) {
                    throw new AssertionError(doc + " lists " + m.group(1) + " twice");
                }
            }
        }
        return new MetricsTable(rows);
    }

    /** The {@code grapevine_} families of a Prometheus text exposition (format 0.0.4). */
    static MetricsTable ofScrape(String text) {
        Map<String, String> types = new TreeMap<>();
        Map<String, String> helps = new TreeMap<>();
        Map<String, Set<String>> labels = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE grapevine_")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
                labels.put(parts[2], new TreeSet<>());
            } else if (line.startsWith("# HELP grapevine_")) {
                String[] parts = line.split(" ", 4);
                helps.put(parts[2], parts.length > 3 ? parts[3] : "");
            }
        }
        for (String line : text.split("\n")) {
            if (!line.startsWith("grapevine_")) {
                continue;
            }
            int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
            String family = family(line.substring(0, end), types);
            if (line.indexOf('{') >= 0) {
                Matcher m = LABEL.matcher(line.substring(line.indexOf('{'), line.indexOf('}')));
                while (m.find()) {
                    if (!m.group(1).equals("le")) {
                        labels.get(family).add(m.group(1));
                    }
                }
            }
        }
        Map<String, Row> rows = new TreeMap<>();
        types.forEach((name, type) -> rows.put(name, new Row(type, labels.get(name), helps.getOrDefault(name, ""))));
        return new MetricsTable(rows);
    }

    /** The family of a sample: itself, or a histogram's or summary's, for its _bucket, _count and _sum. */
    private static String family(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
            if (sample.endsWith(suffix) && types.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        throw new AssertionError("a sample of no family: " + sample);
    }

    /** The rows as docs/operations.md writes them, in its order. */
    String markdown() {
        StringBuilder b = new StringBuilder();
        rows.forEach((name, row) -> b.append(row.markdown(name)).append('\n'));
        return b.toString();
    }
}
