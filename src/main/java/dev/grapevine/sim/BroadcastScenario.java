package dev.grapevine.sim;

import dev.grapevine.core.events.UserEvent;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongConsumer;

/** One node emits a user event; how long until every node has it, in time and in gossip rounds. */
final class BroadcastScenario implements Scenario {

    @Override
    public boolean run(Simulation sim, ScenarioSpec spec, Map<String, Object> figures, LongConsumer progress) {
        long[] informed = new long[1];
        long[] lastDeliveryMillis = new long[1];
        boolean[] seen = new boolean[sim.size()];
        sim.addObserver(new SimObserver() {
            @Override
            public void onUserEvent(int node, UserEvent event, long nowMillis) {
                if (!seen[node]) {
                    seen[node] = true;
                    informed[0]++;
                    lastDeliveryMillis[0] = nowMillis;
                }
            }
        });
        sim.startConverged();
        long emitMillis = WARM_UP_MILLIS;
        sim.at(emitMillis, () -> sim.emit(0, "deploy", "v42".getBytes(StandardCharsets.UTF_8)));
        long capMillis = emitMillis + spec.durationMillisOr(Duration.ofSeconds(60));
        boolean all = sim.runUntil(capMillis, () -> informed[0] == sim.size(), 1, progress);
        long allInformedMillis = all ? lastDeliveryMillis[0] - emitMillis : -1;
        figures.put("all_informed_ms", allInformedMillis);
        figures.put("all_informed_rounds", all
                ? Math.round(100.0 * allInformedMillis / sim.settings().gossipIntervalMillis()) / 100.0 : -1);
        figures.put("informed_fraction", (double) informed[0] / sim.size());
        return all;
    }
}
