package dev.grapevine.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.Locale;

/**
 * The figures compared between systems, all "lower is better", each read from one result line.
 * The key (units in the name) is what the JSON summary uses; the label is the table's row name.
 */
enum Metric {
    BOOTSTRAP_MS("bootstrap_ms", "bootstrap (ms)", Unit.MS, at("/bootstrap_ms")),
    /**
     * The verdict a member cannot take back: Grapevine "dead", Serf "failed", Pekko "down" (by the
     * split-brain resolver). Pekko's "unreachable" is reversible, so comparing it with "dead" would
     * flatter Pekko, and its "removed" adds the leader's convergence step, which would flatter
     * Grapevine; both are shown beside as context.
     */
    CRASH_VERDICT_ALL_MS("crash_verdict_all_ms", "crash → dead / failed / down everywhere (ms)", Unit.MS,
            (system, line) -> line.at(system == BenchSystem.PEKKO ? "/crash/down_all_ms" : "/crash/failed_all_ms")),
    CRASH_UNREACHABLE_ALL_MS("crash_unreachable_all_ms", "crash → unreachable everywhere, Pekko, reversible (ms)", Unit.MS,
            (system, line) -> system == BenchSystem.PEKKO ? line.at("/crash/failed_all_ms") : MissingNode.getInstance()),
    CRASH_REMOVED_ALL_MS("crash_removed_all_ms", "crash → removed everywhere, Pekko (ms)", Unit.MS,
            (system, line) -> system == BenchSystem.PEKKO ? line.at("/crash/removed_all_ms") : MissingNode.getInstance()),
    /** The crashed node started again under its name and address: from its answering until all list it alive (up). */
    REJOIN_MS("rejoin_ms", "restart → listed alive everywhere (ms)", Unit.MS, at("/rejoin_ms")),
    EVENT_MEDIAN_MS("event_median_ms", "event to all nodes, median (ms)", Unit.MS, at("/event_ms_median")),
    EVENT_P99_MS("event_p99_ms", "event to all nodes, p99 (ms)", Unit.MS, at("/event_ms_p99")),
    // The second paths are the flat names bin/bench wrote before the "idle" section (docs/data/bench-n5-run*.jsonl).
    IDLE_CPU_PCT("idle_cpu_pct", "idle CPU per process, median (% of a core)", Unit.PCT,
            at("/idle/cpu_pct_median", "/cpu_pct_idle_median")),
    IDLE_RSS_MIB("idle_rss_mib", "idle RSS per process, median (MiB)", Unit.MIB,
            at("/idle/rss_mib_median", "/rss_mib_idle_median")),
    IDLE_BYTES_PER_S_PER_NODE("idle_bytes_per_s_per_node", "idle bytes/s per node", Unit.BYTES_PER_S,
            at("/idle/bytes_per_s_per_node", "/idle_gossip_bytes_per_s_per_node")),
    CHURN_BYTES_PER_S_PER_NODE("churn_bytes_per_s_per_node", "churn bytes/s per node", Unit.BYTES_PER_S,
            at("/churn/bytes_per_s_per_node")),
    CHURN_CPU_PCT("churn_cpu_pct", "churn CPU per process, median (% of a core)", Unit.PCT, at("/churn/cpu_pct_median")),
    FP_LOSS10_DECLARED_FAILED("fp_loss10_declared_failed", "false positives, 10 % loss (healthy declared failed)",
            Unit.COUNT, falsePositives("loss", "loss_pct", 10)),
    FP_LOSS30_DECLARED_FAILED("fp_loss30_declared_failed", "false positives, 30 % loss (healthy declared failed)",
            Unit.COUNT, falsePositives("loss", "loss_pct", 30)),
    FP_PAUSE_DECLARED_FAILED("fp_pause_declared_failed", "false positives, pauses (healthy declared failed)",
            Unit.COUNT, falsePositives("pause", null, 0));

    /** Where a metric sits in one result line; a missing or null node means "not measured". */
    interface Locator {
        JsonNode locate(BenchSystem system, JsonNode line);
    }

    /** How a value reads in a table: ms, MiB, bytes/s and counts are whole, percentages carry 2 decimals. */
    enum Unit {
        MS, PCT, MIB, BYTES_PER_S, COUNT;

        /** The value as the tables show it, so a plot's bar label reads the same as the table cell. */
        double round(double v) {
            return switch (this) {
                case PCT -> Math.round(v * 100) / 100.0;
                case COUNT -> Math.round(v * 10) / 10.0;
                default -> Math.round(v);
            };
        }

        String format(double v) {
            if (this == PCT) {
                return String.format(Locale.ROOT, "%.2f", v);
            }
            if (this == COUNT && v != Math.rint(v)) {
                return String.format(Locale.ROOT, "%.1f", v);   // a median of two runs: 0.5 is not 1
            }
            return String.format(Locale.ROOT, "%,d", Math.round(v));
        }
    }

    final String key;
    final String label;
    final Unit unit;
    private final Locator locator;

    Metric(String key, String label, Unit unit, Locator locator) {
        this.key = key;
        this.label = label;
        this.unit = unit;
        this.locator = locator;
    }

    JsonNode locate(BenchSystem system, JsonNode line) {
        return locator.locate(system, line);
    }

    /** Whether Grapevine is compared on it; Pekko's other verdicts are context only. */
    boolean compared() {
        return this != CRASH_UNREACHABLE_ALL_MS && this != CRASH_REMOVED_ALL_MS;
    }

    boolean appliesTo(BenchSystem system) {
        return compared() || system == BenchSystem.PEKKO;
    }

    private static Locator at(String... pointers) {
        return (system, line) -> {
            for (String p : pointers) {
                JsonNode n = line.at(p);
                if (!n.isMissingNode() && !n.isNull()) {
                    return n;
                }
            }
            return MissingNode.getInstance();
        };
    }

    /** declared_failed of the first false_positives entry with this condition (and parameter value). */
    private static Locator falsePositives(String condition, String parameter, double value) {
        return (system, line) -> {
            for (JsonNode fp : line.path("false_positives")) {
                if (condition.equals(fp.path("condition").asText())
                        && (parameter == null || fp.path(parameter).asDouble(Double.NaN) == value)) {
                    return fp.path("declared_failed");
                }
            }
            return MissingNode.getInstance();
        };
    }
}
