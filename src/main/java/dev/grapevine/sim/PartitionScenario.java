package dev.grapevine.sim;

import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * The cluster splits into two random halves (both directions cut, or one with
 * {@code --asymmetric}) for {@code --partition-duration}, then the network heals: how long until
 * every node has one identical view with everyone alive.
 */
final class PartitionScenario implements Scenario {

    @Override
    public boolean run(Simulation sim, ScenarioSpec spec, Map<String, Object> figures, LongConsumer progress) {
        SplittableRandom random = sim.scenarioRandom();
        int n = sim.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] groups = new int[n];
        for (int i = 0; i < n; i++) {
            groups[order[i]] = i < n / 2 ? 0 : 1;
        }
        long splitMillis = WARM_UP_MILLIS;
        long partitionMillis = (spec.partitionDuration() != null ? spec.partitionDuration() : Duration.ofSeconds(60)).toMillis();
        long healMillis = splitMillis + partitionMillis;
        sim.startConverged();
        sim.at(splitMillis, () -> {
            if (spec.asymmetric()) {
                sim.network().partitionOneWay(groups, 0, 1);
            } else {
                sim.network().partition(groups);
            }
        });
        sim.at(healMillis, () -> sim.network().heal());
        sim.runUntil(healMillis, () -> false, Long.MAX_VALUE, progress);
        int deadAcross = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (groups[i] != groups[j] && sim.core(i).member(sim.name(j)).status()
                        == dev.grapevine.core.member.MemberStatus.DEAD) {
                    deadAcross++;
                }
            }
        }
        figures.put("partition_ms", partitionMillis);
        figures.put("dead_across_at_heal", deadAcross);
        long capMillis = healMillis + spec.durationMillisOr(Duration.ofMinutes(10));
        boolean converged = sim.runUntil(capMillis, sim::viewsConverged, 100, progress);
        figures.put("heal_converged_ms", converged ? sim.nowMillis() - healMillis : -1);
        return converged;
    }
}
