package dev.grapevine.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * What security costs, from bin/bench's result lines of Grapevine with and without mutual TLS
 * ("grapevine", "grapevine-tls") and Serf with and without gossip encryption ("serf",
 * "serf-encrypt"): per N, one table of the four systems' figures and three ratios, TLS over
 * plaintext for each system and Grapevine's TLS over Serf's encryption. Each figure is the median
 * over the file's successful lines of that (N, system); lines with an error are listed, not counted.
 * Ratios only mean something within one run (one machine, one load), which is what
 * {@code bin/bench --security} writes.
 */
@Command(name = "SecurityReport",
        description = "Markdown table and JSON summary of TLS and encryption costs from bin/bench's JSONL result files.")
public final class SecurityReport implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String GRAPEVINE = "grapevine";
    static final String GRAPEVINE_TLS = "grapevine-tls";
    static final String SERF = "serf";
    static final String SERF_ENCRYPT = "serf-encrypt";
    static final List<String> SYSTEMS = List.of(GRAPEVINE, GRAPEVINE_TLS, SERF, SERF_ENCRYPT);
    private static final Map<String, String> LABELS = Map.of(GRAPEVINE, "Grapevine", GRAPEVINE_TLS, "Grapevine `--tls`",
            SERF, "Serf", SERF_ENCRYPT, "Serf `-encrypt`");

    /** The rows: every one "lower is better", read from one result line. */
    enum Row {
        BOOTSTRAP_MS("bootstrap_ms", "bootstrap (ms)", Metric.Unit.MS, "/bootstrap_ms"),
        EVENT_MEDIAN_MS("event_median_ms", "event to all nodes, median (ms)", Metric.Unit.MS, "/event_ms_median"),
        EVENT_P95_MS("event_p95_ms", "event to all nodes, p95 (ms)", Metric.Unit.MS, "/event_ms_p95"),
        IDLE_CPU_PCT("idle_cpu_pct", "idle CPU per agent, median (% of a core)", Metric.Unit.PCT, "/idle/cpu_pct_median"),
        IDLE_BYTES_PER_S_PER_NODE("idle_bytes_per_s_per_node", "idle bytes/s per agent", Metric.Unit.BYTES_PER_S,
                "/idle/bytes_per_s_per_node"),
        IDLE_PACKETS_PER_S_PER_NODE("idle_packets_per_s_per_node", "idle packets/s per agent", Metric.Unit.PCT,
                "/idle/packets_per_s_per_node"),
        IDLE_RSS_MIB("idle_rss_mib", "idle RSS per agent, median (MiB)", Metric.Unit.MIB, "/idle/rss_mib_median"),
        CRASH_MS("crash_failed_all_ms", "kill -9 → failed at every survivor, median of cycles (ms)", Metric.Unit.MS,
                "/crash/failed_all_ms"),
        REJOIN_MS("rejoin_ms", "restart → alive at every node, median of cycles (ms)", Metric.Unit.MS, "/rejoin_ms");

        final String key;
        final String label;
        final Metric.Unit unit;
        final String pointer;

        Row(String key, String label, Metric.Unit unit, String pointer) {
            this.key = key;
            this.label = label;
            this.unit = unit;
            this.pointer = pointer;
        }
    }

    /** The ratio columns: numerator system over denominator system. */
    record Comparison(String key, String label, String numerator, String denominator) {}

    static final List<Comparison> COMPARISONS = List.of(
            new Comparison("grapevine_tls_vs_plain", "Grapevine TLS / plain", GRAPEVINE_TLS, GRAPEVINE),
            new Comparison("serf_encrypt_vs_plain", "Serf encrypt / plain", SERF_ENCRYPT, SERF),
            new Comparison("grapevine_tls_vs_serf_encrypt", "Grapevine TLS / Serf encrypt", GRAPEVINE_TLS, SERF_ENCRYPT));

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Write the tables here (default: stdout, unless --summary).")
    Path markdown;

    @Option(names = "--summary", description = "Print one line of JSON with the figures and ratios on stdout.")
    boolean summary;

    @Option(names = "--since", paramLabel = "INSTANT", description = "Only lines whose \"run\" is at or after this ISO-8601 instant.")
    Instant since;

    @Parameters(arity = "1..*", paramLabel = "FILES", description = "JSONL result files, one JSON object per line.")
    List<Path> files;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SecurityReport()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Table table;
        try {
            table = Table.read(files, since);
        } catch (BadInputException e) {
            System.err.println("SecurityReport: " + e.getMessage());
            return BenchReport.EXIT_BAD_INPUT;
        }
        if (table.values.isEmpty() && table.failed.isEmpty()) {
            System.err.println("SecurityReport: no lines of " + SYSTEMS + " in " + files);
            return BenchReport.EXIT_BAD_INPUT;
        }
        if (markdown != null) {
            Path dir = markdown.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Files.writeString(markdown, table.markdown(), StandardCharsets.UTF_8);
        } else if (!summary) {
            System.out.print(table.markdown());
        } else {
            // Asked for the summary only (bin/bench --security): the table for people on stderr.
            System.err.print(table.markdown());
        }
        if (summary) System.out.println(table.summary());
        return 0;
    }

    /** Per N, per system, per row: the median over that group's successful lines. */
    static final class Table {
        final Map<Integer, Map<String, Map<Row, Double>>> values = new TreeMap<>();
        final Map<Integer, Map<String, Integer>> runs = new TreeMap<>();
        final List<String> failed = new ArrayList<>();

        static Table read(List<Path> files, Instant since) throws BadInputException {
            Map<Integer, Map<String, Map<Row, List<Double>>>> samples = new TreeMap<>();
            Table t = new Table();
            for (Path file : files) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new BadInputException(file + ": cannot read: " + e.getMessage());
                }
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).isBlank()) continue;
                    String source = file + ":" + (i + 1);
                    JsonNode line;
                    try {
                        line = JSON.readTree(lines.get(i));
                    } catch (JsonProcessingException e) {
                        throw new BadInputException(source + ": not JSON: " + e.getOriginalMessage());
                    }
                    String system = line.path("system").asText("");
                    if (!SYSTEMS.contains(system)) continue;   // Pekko, or a summary line
                    if (since != null && !atOrAfter(line.path("run").asText(""), since, source)) continue;
                    int n = line.path("nodes").asInt(0);
                    if (n < 1) throw new BadInputException(source + ": \"nodes\" must be a positive integer, found " + line.get("nodes"));
                    if (line.hasNonNull("error")) {
                        t.failed.add("N = " + n + ", " + system + " (" + source + "): " + line.get("error").asText());
                        continue;
                    }
                    t.runs.computeIfAbsent(n, k -> new LinkedHashMap<>()).merge(system, 1, Integer::sum);
                    for (Row row : Row.values()) {
                        JsonNode v = line.at(row.pointer);
                        if (v.isNumber()) {
                            samples.computeIfAbsent(n, k -> new LinkedHashMap<>()).computeIfAbsent(system, k -> new LinkedHashMap<>())
                                    .computeIfAbsent(row, k -> new ArrayList<>()).add(v.doubleValue());
                        } else if (!v.isMissingNode() && !v.isNull()) {
                            throw new BadInputException(source + ": " + row.pointer + " must be a number or null, found " + v);
                        }
                    }
                }
            }
            samples.forEach((n, bySystem) -> bySystem.forEach((system, byRow) -> byRow.forEach((row, list) -> {
                Spread s = Spread.of(list);
                if (s != null) t.values.computeIfAbsent(n, k -> new LinkedHashMap<>())
                        .computeIfAbsent(system, k -> new LinkedHashMap<>()).put(row, s.median());
            })));
            t.runs.keySet().forEach(n -> t.values.computeIfAbsent(n, k -> new LinkedHashMap<>()));
            return t;
        }

        private static boolean atOrAfter(String run, Instant since, String source) throws BadInputException {
            try {
                return !Instant.parse(run).isBefore(since);
            } catch (DateTimeParseException e) {
                throw new BadInputException(source + ": \"run\" must be an ISO-8601 instant, found \"" + run + "\"");
            }
        }

        Double value(int n, String system, Row row) {
            return values.getOrDefault(n, Map.of()).getOrDefault(system, Map.of()).get(row);
        }

        /** Numerator over denominator, to 2 decimals; null when either is missing or the denominator is 0. */
        Double ratio(int n, Comparison c, Row row) {
            Double a = value(n, c.numerator(), row);
            Double b = value(n, c.denominator(), row);
            if (a == null || b == null || b == 0) return null;
            return Math.round(a / b * 100) / 100.0;
        }

        String markdown() {
            StringBuilder md = new StringBuilder();
            for (int n : values.keySet()) {
                md.append("\n#### N = ").append(n).append("\n\nRuns:");
                for (String s : SYSTEMS) {
                    md.append(' ').append(LABELS.get(s)).append(' ').append(runs.getOrDefault(n, Map.of()).getOrDefault(s, 0))
                            .append(s.equals(SERF_ENCRYPT) ? "." : ",");
                }
                md.append("\n\n| metric |");
                for (String s : SYSTEMS) md.append(' ').append(LABELS.get(s)).append(" |");
                for (Comparison c : COMPARISONS) md.append(' ').append(c.label()).append(" |");
                md.append("\n|---|");
                md.append("---:|".repeat(SYSTEMS.size() + COMPARISONS.size()));
                md.append('\n');
                for (Row row : Row.values()) {
                    md.append("| ").append(row.label).append(" |");
                    for (String s : SYSTEMS) {
                        Double v = value(n, s, row);
                        md.append(' ').append(v == null ? "n/a" : row.unit.format(v)).append(" |");
                    }
                    for (Comparison c : COMPARISONS) {
                        Double r = ratio(n, c, row);
                        md.append(' ').append(r == null ? zeroNote(n, c, row) : String.format(Locale.ROOT, "%.2f", r)).append(" |");
                    }
                    md.append('\n');
                }
            }
            if (!failed.isEmpty()) {
                md.append("\nFailed runs, kept out of the figures:\n\n");
                failed.forEach(f -> md.append("- ").append(f).append('\n'));
            }
            return md.toString();
        }

        private String zeroNote(int n, Comparison c, Row row) {
            Double a = value(n, c.numerator(), row);
            Double b = value(n, c.denominator(), row);
            return a != null && b != null && b == 0 ? row.unit.format(a) + " vs 0" : "n/a";
        }

        String summary() {
            ObjectNode root = JSON.createObjectNode().put("summary", "security-cost");
            ObjectNode byNodes = root.putObject("by_nodes");
            for (int n : values.keySet()) {
                ObjectNode at = byNodes.putObject(Integer.toString(n));
                ObjectNode runsAt = at.putObject("runs");
                for (String s : SYSTEMS) runsAt.put(s, runs.getOrDefault(n, Map.of()).getOrDefault(s, 0));
                for (String s : SYSTEMS) {
                    ObjectNode v = at.putObject(s);
                    for (Row row : Row.values()) number(v, row.key, value(n, s, row));
                }
                for (Comparison c : COMPARISONS) {
                    ObjectNode r = at.putObject(c.key());
                    for (Row row : Row.values()) number(r, row.key, ratio(n, c, row));
                }
            }
            ArrayNode f = root.putArray("failed_runs");
            failed.forEach(f::add);
            return root.toString();
        }

        private static void number(ObjectNode into, String key, Double v) {
            if (v == null) into.putNull(key);
            else if (v == Math.rint(v) && Math.abs(v) < 1e15) into.put(key, v.longValue());
            else into.put(key, Math.round(v * 100) / 100.0);
        }
    }
}
