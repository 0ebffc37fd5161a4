package dev.grapevine.sim;

import dev.grapevine.core.config.Settings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/** Runs one {@link ScenarioSpec} and reports its figures in the order the JSON output documents. */
public final class ScenarioRunner {
    private ScenarioRunner() {
    }

    public static SimulationReport run(ScenarioSpec spec, LongConsumer progress) {
        Scenario scenario = Scenario.named(spec.scenario());
        Simulation sim = new Simulation(spec.nodes(), spec.settings(), spec.seed());
        sim.network().setLatency(spec.latencyMinMillis(), spec.latencyJitterMillis());
        sim.network().setDuplicates(spec.duplicatePercent() / 100.0);
        sim.network().setTransport(spec.transport());
        if (spec.lossPercent() != null) {
            sim.network().setLoss(spec.lossPercent() / 100.0);
        }
        FalsePositiveTracker falsePositives = new FalsePositiveTracker(sim);
        sim.addObserver(falsePositives);

        Map<String, Object> figures = new LinkedHashMap<>();
        boolean converged = scenario.run(sim, spec, figures, progress);

        Settings s = spec.settings();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scenario", spec.scenario());
        out.put("nodes", spec.nodes());
        out.put("seed", spec.seed());
        out.put("reproduce", spec.reproduceCommand());
        out.put("profile", spec.profile().id());
        out.put("fanout", s.gossipFanout());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("probe_interval_ms", s.probeIntervalMillis());
        settings.put("probe_timeout_ms", s.probeTimeoutMillis());
        settings.put("gossip_interval_ms", s.gossipIntervalMillis());
        settings.put("suspicion_mult", s.suspicionMult());
        settings.put("retransmit_mult", s.retransmitMult());
        settings.put("push_pull_interval_ms", s.pushPullInterval().toMillis());
        settings.put("indirect_checks", s.indirectChecks());
        settings.put("suspicion_min_ms", s.suspicionMinMillis(spec.nodes()));
        settings.put("retransmit_limit", s.retransmitLimit(spec.nodes()));
        out.put("settings", settings);
        out.put("converged", converged);
        out.put("false_positives", falsePositives.falsePositives());
        out.put("suspicions_of_healthy", falsePositives.suspicionsOfHealthy());
        out.put("deaths_of_healthy", falsePositives.deathsOfHealthy());
        double simulatedSeconds = Math.max(1, sim.nowMillis()) / 1000.0;
        out.put("simulated_ms", sim.nowMillis());
        out.put("messages_per_node_per_second", round2(sim.messagesSent() / simulatedSeconds / spec.nodes()));
        out.put("bytes_per_node_per_second", round2(sim.bytesSent() / simulatedSeconds / spec.nodes()));
        out.put("traffic_per_node_per_second", sim.trafficPerNodePerSecond(simulatedSeconds));
        out.put("events_processed", sim.eventsProcessed());
        out.putAll(figures);
        out.put("violations", sim.violations());
        return new SimulationReport(spec, out, converged && sim.violations().isEmpty());
    }

    private static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
