package dev.grapevine.sim;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * Every node crashes and comes back within {@code --restart-window} (default 10 s), with a new epoch
 * and an empty view; each rejoins up to {@link #REJOIN_PEERS} peers remembered from before (as Serf's
 * snapshot does). How long until every node lists every node alive at its new epoch.
 */
final class RestartAllScenario implements Scenario {
    static final int REJOIN_PEERS = 5;

    @Override
    public boolean run(Simulation sim, ScenarioSpec spec, Map<String, Object> figures, LongConsumer progress) {
        SplittableRandom random = sim.scenarioRandom();
        long windowMillis = (spec.restartWindow() != null ? spec.restartWindow() : Duration.ofSeconds(10)).toMillis();
        long startMillis = WARM_UP_MILLIS;
        long[] lastUpMillis = {startMillis};
        sim.startConverged();
        for (int i = 0; i < sim.size(); i++) {
            int node = i;
            long crashAt = startMillis + random.nextLong(windowMillis / 2 + 1);
            long upAt = crashAt + 500 + random.nextLong(windowMillis / 2 + 1);
            lastUpMillis[0] = Math.max(lastUpMillis[0], upAt);
            List<Address> remembered = new ArrayList<>();
            sim.at(crashAt, () -> {
                for (Member m : sim.core(node).members()) {
                    if (m.status().isLive() && !m.name().equals(sim.name(node))) {
                        remembered.add(m.address());
                    }
                }
                sim.crash(node);
            });
            sim.at(upAt, () -> sim.startNode(node, pick(remembered, random)));
        }
        sim.runUntil(lastUpMillis[0], () -> false, Long.MAX_VALUE, progress);
        long capMillis = lastUpMillis[0] + spec.durationMillisOr(Duration.ofMinutes(5));
        boolean converged = sim.runUntil(capMillis, sim::viewsConverged, 100, progress);
        figures.put("restart_window_ms", lastUpMillis[0] - startMillis);
        figures.put("reformed_ms", converged ? sim.nowMillis() - startMillis : -1);
        figures.put("reformed_after_last_restart_ms", converged ? sim.nowMillis() - lastUpMillis[0] : -1);
        return converged;
    }

    private static List<Address> pick(List<Address> remembered, SplittableRandom random) {
        List<Address> copy = new ArrayList<>(remembered);
        List<Address> chosen = new ArrayList<>();
        while (!copy.isEmpty() && chosen.size() < REJOIN_PEERS) {
            chosen.add(copy.remove(random.nextInt(copy.size())));
        }
        return chosen;
    }
}
