package dev.grapevine.bench.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The tables: one per N (metric rows, system columns, ratio columns), the floors, the failures, the plots. */
final class MarkdownReport {
    private final Results results;
    private final StringBuilder md = new StringBuilder();

    private MarkdownReport(Results results) {
        this.results = results;
    }

    /**
     * @param plots    PNG files written, linked relative to {@code baseDir}
     * @param baseDir  the markdown file's directory
     */
    static String render(Results results, List<Path> inputs, List<Path> plots, Path baseDir) {
        MarkdownReport r = new MarkdownReport(results);
        r.header(inputs);
        for (int n : results.nodeCounts()) {
            r.nodesTable(n);
        }
        r.floorsTable();
        r.failures();
        r.plots(plots, baseDir);
        return r.md.toString();
    }

    private void header(List<Path> inputs) {
        md.append("# Grapevine beside Serf and Pekko Cluster\n\n")
                .append("From ").append(inputs.stream().map(p -> "`" + p + "`").collect(Collectors.joining(", ")))
                .append(". Each figure is the median over a group's successful runs, with (min–max) when there were")
                .append(" several. Every metric is lower-is-better. Ratios are Grapevine / peer, so below 1 Grapevine")
                .append(" is ahead; **bold** marks where it is not. Against Pekko, crash detection compares Grapevine's")
                .append(" `dead` with Pekko's `down`, both irreversible; Pekko's reversible `unreachable` and its")
                .append(" `removed` are shown as context.\n");
    }

    private void nodesTable(int n) {
        md.append("\n## N = ").append(n).append("\n\nRuns: ");
        for (BenchSystem s : BenchSystem.values()) {
            md.append(s == BenchSystem.GRAPEVINE ? "" : ", ").append(s.label).append(' ').append(results.runs(n, s));
            int failed = results.failedRuns(n, s);
            if (failed > 0) {
                md.append(" (+").append(failed).append(" failed)");
            }
        }
        md.append('.');
        List<String> sharing = new ArrayList<>();
        int shared = 0;
        for (BenchSystem s : BenchSystem.values()) {
            if (results.sharedJvm(n, s) > 0) {
                sharing.add(s.label);
                shared = Math.max(shared, results.sharedJvm(n, s));
            }
        }
        if (!sharing.isEmpty()) {
            md.append(' ').append(String.join(" and ", sharing)).append(" ran nodes 1 to ").append(shared)
                    .append(" in one JVM per system, node ").append(n).append(" in its own; CPU and RSS per process")
                    .append(" are then per node: the shared JVM's divided by ").append(shared).append('.');
        }
        md.append("\n\n| metric | Grapevine | Serf | Pekko Cluster | G / Serf | G / Pekko |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        for (Metric m : Metric.values()) {
            md.append("| ").append(m.label);
            for (BenchSystem s : BenchSystem.values()) {
                md.append(" | ").append(m.appliesTo(s) ? cell(n, s, m) : "—");
            }
            for (BenchSystem peer : BenchSystem.PEERS) {
                md.append(" | ").append(m.compared() ? results.ratio(n, m, peer).markdown() : "—");
            }
            md.append(" |\n");
        }
    }

    private String cell(int n, BenchSystem s, Metric m) {
        Spread v = results.spread(n, s, m);
        if (v == null) {
            return "n/a";
        }
        String text = m.unit.format(v.median());
        if (v.count() > 1) {
            text += " (" + m.unit.format(v.min()) + "–" + m.unit.format(v.max()) + ")";
        }
        int runs = results.runs(n, s);
        return v.count() < runs ? text + " [" + v.count() + " of " + runs + " runs]" : text;
    }

    private void floorsTable() {
        md.append("\n## Protocol floors (Grapevine)\n\n")
                .append(String.format(Locale.ROOT, "Goal: measured / floor ≤ %.2f; **bold** above it.", ProtocolFloors.GOAL_RATIO))
                .append(" Detection floor = 1.6 × probe interval + suspicion minimum, 4 × max(1, log10 N) × probe")
                .append(" interval (1 s). Dissemination floor: that of tick-driven push gossip (memberlist's), a")
                .append(" Monte-Carlo with fanout ")
                .append(DisseminationFloor.FANOUT).append(", a tick every ")
                .append(String.format(Locale.ROOT, "%.0f", DisseminationFloor.GOSSIP_INTERVAL_MS))
                .append(" ms at a random phase per node, no latency, no loss, ")
                .append(String.format(Locale.ROOT, "%,d", DisseminationFloor.TRIALS)).append(" trials.\n\n")
                .append("| N | detection floor (ms) | Grapevine crash → dead (ms) | ratio")
                .append(" | dissemination floor, median / p99 (ms) | Grapevine event, median / p99 (ms) | ratio, median / p99 |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int n : results.nodeCounts()) {
            double detection = ProtocolFloors.detectionMs(n);
            DisseminationFloor.Floor gossip = DisseminationFloor.of(n);
            Double crash = results.median(n, BenchSystem.GRAPEVINE, Metric.CRASH_VERDICT_ALL_MS);
            Double median = results.median(n, BenchSystem.GRAPEVINE, Metric.EVENT_MEDIAN_MS);
            Double p99 = results.median(n, BenchSystem.GRAPEVINE, Metric.EVENT_P99_MS);
            md.append("| ").append(n)
                    .append(" | ").append(ms(detection))
                    .append(" | ").append(ms(crash))
                    .append(" | ").append(floorRatio(crash, detection))
                    .append(" | ").append(ms(gossip.medianMs())).append(" / ").append(ms(gossip.p99Ms()))
                    .append(" | ").append(ms(median)).append(" / ").append(ms(p99))
                    .append(" | ").append(floorRatio(median, gossip.medianMs())).append(" / ").append(floorRatio(p99, gossip.p99Ms()))
                    .append(" |\n");
        }
    }

    private static String ms(Double v) {
        return v == null ? "n/a" : Metric.Unit.MS.format(v);
    }

    private static String floorRatio(Double measured, double floor) {
        Double r = ProtocolFloors.ratio(measured, floor);
        if (r == null) {
            return "n/a";
        }
        String text = String.format(Locale.ROOT, "%.2f", r);
        return r > ProtocolFloors.GOAL_RATIO ? "**" + text + "**" : text;
    }

    private void failures() {
        failureTable("Failed runs (left out of every figure)", results.failedRuns(), r -> List.of(r.error()));
        failureTable("Failed scenarios (the rest of the run counts; these figures are missing)",
                results.runsWithScenarioErrors(), BenchRun::scenarioErrors);
    }

    private void failureTable(String title, List<BenchRun> runs, Function<BenchRun, List<String>> errors) {
        if (runs.isEmpty()) {
            return;
        }
        md.append("\n## ").append(title).append("\n\n| where | system | N | run | error |\n|---|---|---:|---|---|\n");
        for (BenchRun r : runs) {
            for (String error : errors.apply(r)) {
                md.append("| `").append(r.source()).append("` | ").append(r.system().label).append(" | ").append(r.nodes())
                        .append(" | ").append(r.run() == null ? "" : r.run())
                        .append(" | ").append(error.replace("|", "\\|").replace("\n", " ")).append(" |\n");
            }
        }
    }

    private void plots(List<Path> plots, Path baseDir) {
        if (plots.isEmpty()) {
            return;
        }
        md.append("\n## Plots\n\n");
        for (Path p : plots) {
            String link = baseDir.toAbsolutePath().relativize(p.toAbsolutePath()).toString().replace('\\', '/');
            md.append("![").append(p.getFileName()).append("](").append(link).append(")\n\n");
        }
    }
}
