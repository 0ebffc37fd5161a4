package dev.grapevine.sim;

import dev.grapevine.core.member.MemberEvent;

import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/** {@code --crash K} random nodes stop at once; how long until the first suspicion and until every survivor marks every one dead. */
final class CrashScenario implements Scenario {

    @Override
    public boolean run(Simulation sim, ScenarioSpec spec, Map<String, Object> figures, LongConsumer progress) {
        SplittableRandom random = sim.scenarioRandom();
        boolean[] crashed = new boolean[sim.size()];
        int k = spec.crashCount();
        for (int chosen = 0; chosen < k; ) {
            int i = random.nextInt(sim.size());
            if (!crashed[i]) {
                crashed[i] = true;
                chosen++;
            }
        }
        long crashMillis = WARM_UP_MILLIS;
        long[] firstSuspectMillis = {-1};
        long[] pendingVerdicts = {(long) (sim.size() - k) * k};
        long[] lastVerdictMillis = {0};
        boolean[] verdict = new boolean[sim.size() * k];
        int[] slotOf = new int[sim.size()];
        for (int i = 0, slot = 0; i < sim.size(); i++) {
            slotOf[i] = crashed[i] ? slot++ : -1;
        }
        sim.addObserver(new SimObserver() {
            @Override
            public void onMemberEvent(int node, MemberEvent event, long nowMillis) {
                int subject = sim.indexOf(event.member().name());
                if (subject < 0 || !crashed[subject] || nowMillis < crashMillis) {
                    return;
                }
                if (event.kind() == MemberEvent.Kind.SUSPECTED && firstSuspectMillis[0] < 0) {
                    firstSuspectMillis[0] = nowMillis;
                }
                if (event.kind() == MemberEvent.Kind.FAILED && !crashed[node]) {
                    int key = node * k + slotOf[subject];
                    if (!verdict[key]) {
                        verdict[key] = true;
                        pendingVerdicts[0]--;
                        lastVerdictMillis[0] = nowMillis;
                    }
                }
            }
        });
        sim.startConverged();
        sim.at(crashMillis, () -> {
            for (int i = 0; i < sim.size(); i++) {
                if (crashed[i]) {
                    sim.crash(i);
                }
            }
        });
        long capMillis = crashMillis + spec.durationMillisOr(Duration.ofSeconds(180));
        boolean allDead = sim.runUntil(capMillis, () -> pendingVerdicts[0] == 0, 1, progress);
        figures.put("crashed", k);
        figures.put("first_suspect_ms", firstSuspectMillis[0] < 0 ? -1 : firstSuspectMillis[0] - crashMillis);
        figures.put("all_dead_ms", allDead ? lastVerdictMillis[0] - crashMillis : -1);
        boolean converged = allDead && sim.runUntil(capMillis, sim::viewsConverged, 1_000, progress);
        figures.put("converged_ms", converged ? sim.nowMillis() - crashMillis : -1);
        return converged;
    }
}
