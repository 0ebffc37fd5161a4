package dev.grapevine.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * All runs grouped by (N, system). Every figure is the median across a group's successful runs;
 * failed runs are kept only to be listed.
 */
final class Results {
    private final List<BenchRun> runs;
    private final Map<Integer, List<BenchRun>> byNodes = new TreeMap<>();

    Results(List<BenchRun> runs) {
        this.runs = List.copyOf(runs);
        for (BenchRun r : runs) {
            byNodes.computeIfAbsent(r.nodes(), n -> new ArrayList<>()).add(r);
        }
    }

    /** Every N seen, including one whose runs all failed: its table then says so. */
    SortedSet<Integer> nodeCounts() {
        return new TreeSet<>(byNodes.keySet());
    }

    List<BenchRun> failedRuns() {
        return runs.stream().filter(BenchRun::failed).toList();
    }

    /** Successful runs in which some scenario failed. */
    List<BenchRun> runsWithScenarioErrors() {
        return runs.stream().filter(r -> !r.failed() && !r.scenarioErrors().isEmpty()).toList();
    }

    int runs(int nodes, BenchSystem system) {
        return (int) group(nodes, system).filter(r -> !r.failed()).count();
    }

    int failedRuns(int nodes, BenchSystem system) {
        return (int) group(nodes, system).filter(BenchRun::failed).count();
    }

    /** The most nodes that shared one process in any run of the group, else 0. */
    int sharedJvm(int nodes, BenchSystem system) {
        return group(nodes, system).mapToInt(BenchRun::sharedJvm).max().orElse(0);
    }

    /** Null when no successful run of the group measured it. */
    Spread spread(int nodes, BenchSystem system, Metric metric) {
        return Spread.of(group(nodes, system).filter(r -> !r.failed())
                .map(r -> r.values().get(metric)).filter(Objects::nonNull).toList());
    }

    /** The median, or null: what plots and the summary need. */
    Double median(int nodes, BenchSystem system, Metric metric) {
        Spread s = spread(nodes, system, metric);
        return s == null ? null : s.median();
    }

    Ratio ratio(int nodes, Metric metric, BenchSystem peer) {
        return Ratio.of(spread(nodes, BenchSystem.GRAPEVINE, metric), spread(nodes, peer, metric));
    }

    private Stream<BenchRun> group(int nodes, BenchSystem system) {
        return byNodes.getOrDefault(nodes, List.of()).stream().filter(r -> r.system() == system);
    }
}
