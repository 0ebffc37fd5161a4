package dev.grapevine.sim;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Steady state under random message loss ({@code --loss}, default 10%) for {@code --duration}
 * (default 60 s): false positives are the figure. Then the loss stops and the views must agree.
 */
final class LossScenario implements Scenario {

    @Override
    public boolean run(Simulation sim, ScenarioSpec spec, Map<String, Object> figures, LongConsumer progress) {
        double lossPercent = spec.lossPercent() != null ? spec.lossPercent() : 10.0;
        sim.network().setLoss(lossPercent / 100.0);
        sim.startConverged();
        long endMillis = WARM_UP_MILLIS + spec.durationMillisOr(Duration.ofSeconds(60));
        sim.runUntil(endMillis, () -> false, Long.MAX_VALUE, progress);
        long refutations = 0;
        for (int i = 0; i < sim.size(); i++) {
            refutations += sim.core(i).counters().refutations();
        }
        figures.put("loss_percent", lossPercent);
        figures.put("refutations", refutations);
        sim.network().setLoss(0);
        boolean converged = sim.runUntil(endMillis + 120_000, sim::viewsConverged, 100, progress);
        figures.put("converged_after_loss_ms", converged ? sim.nowMillis() - endMillis : -1);
        return converged;
    }
}
