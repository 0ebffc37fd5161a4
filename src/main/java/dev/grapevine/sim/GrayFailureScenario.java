package dev.grapevine.sim;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * A gray failure ({@link GrayFault}): after a warm-up, the faulty node(s), chosen with the scenario's
 * random, misbehave for the fault window ({@code --duration}, else the fault's default); then the
 * fault heals and the run goes on until the views converge (at most {@value #CONVERGE_CAP_MILLIS} ms)
 * and at least {@value #SETTLE_MILLIS} ms past the window. Every node runs the recovery coordinator
 * meanwhile ({@link RecoveryEpochCounter}).
 *
 * <p>Figures (simulated ms, see {@link GrayFailureWatch} for the counting):
 * {@code false_positives} (healthy nodes anyone declared dead, no reachability exemption),
 * {@code false_positives_by_faulty}, {@code false_positives_by_healthy}, {@code deaths_of_healthy},
 * {@code suspicions_of_healthy}; {@code faulty_declared_dead_ms} (from the fault's start until every
 * healthy node holds every faulty node dead; null if not within the window);
 * {@code faulty_status_flips} and {@code faulty_suspicions} (medians over healthy observers until
 * the window's end plus the settle period; null for mass-crash, whose nodes never come back);
 * {@code recovery_epochs_per_incident} (median over healthy nodes of the epochs started from the
 * fault's start to the end of the run) and {@code recovery_epochs_max}; {@code converged_after_fault_ms}
 * (from the window's end; null if the views did not converge).
 */
final class GrayFailureScenario implements Scenario {
    /**
     * Runs before the fault, longer than {@link Scenario#WARM_UP_MILLIS}: every node advertises its
     * domain and its coordinator starts its first epoch (stable-after 2 s) before the count begins.
     */
    static final long GRAY_WARM_UP_MILLIS = 10_000;
    /** Past the window, flips are still counted and epochs too: a node declared dead comes back in this time. */
    static final long SETTLE_MILLIS = 30_000;
    /** Past the window, how long the views may take to converge before the run counts as failed. */
    static final long CONVERGE_CAP_MILLIS = 120_000;
    /** How often convergence is checked (each check compares every view with every node). */
    private static final long CONVERGE_CHECK_MILLIS = 500;

    private final GrayFault fault;

    GrayFailureScenario(GrayFault fault) {
        this.fault = fault;
    }

    @Override
    public boolean run(Simulation sim, ScenarioSpec spec, Map<String, Object> figures, LongConsumer progress) {
        int n = sim.size();
        int[] faulty = chooseFaulty(sim.scenarioRandom(), n, fault.faultyCount(n, spec.crashCount()));
        long startMillis = GRAY_WARM_UP_MILLIS;
        long windowMillis = spec.durationMillisOr(Duration.ofMillis(fault.defaultWindowMillis()));
        long windowEndMillis = startMillis + windowMillis;
        long settledMillis = windowEndMillis + SETTLE_MILLIS;

        GrayFailureWatch watch = new GrayFailureWatch(sim, faulty, startMillis, settledMillis);
        RecoveryEpochCounter epochs = new RecoveryEpochCounter(sim);
        sim.addObserver(watch);
        sim.addObserver(epochs);
        sim.startConverged();
        epochs.start();
        sim.at(startMillis, () -> {
            for (int i : faulty) {
                sim.markFaulty(i);
            }
            epochs.countFrom(startMillis);
        });
        fault.start(sim, faulty, startMillis, windowMillis);

        sim.runUntil(windowEndMillis, () -> false, Long.MAX_VALUE, progress);
        long declaredDeadMillis = watch.allDeclaredDeadAfterMillis();
        boolean converged = sim.runUntil(windowEndMillis + CONVERGE_CAP_MILLIS, sim::viewsConverged,
                CONVERGE_CHECK_MILLIS, progress);
        long convergedAfterMillis = sim.nowMillis() - windowEndMillis;
        sim.runUntil(Math.max(sim.nowMillis(), settledMillis), () -> false, Long.MAX_VALUE, progress);
        converged = converged && sim.viewsConverged(); // still, after the settle period

        int[] healthyEpochs = new int[n - faulty.length];
        int max = 0;
        for (int i = 0, o = 0; i < n; i++) {
            if (Arrays.binarySearch(faulty, i) < 0) {
                healthyEpochs[o++] = epochs.epochsStarted(i);
                max = Math.max(max, epochs.epochsStarted(i));
            }
        }
        java.util.List<String> names = Arrays.stream(faulty).mapToObj(sim::name).toList();
        boolean crash = fault == GrayFault.MASS_CRASH;
        figures.put("faulty", names);
        figures.put("fault_window_ms", windowMillis);
        figures.put("settle_ms", SETTLE_MILLIS);
        // Replaces the runner's figures of the same names, which exempt unreachable pairs.
        figures.put("false_positives", watch.falsePositives());
        figures.put("false_positives_by_faulty", watch.falsePositivesByFaulty());
        figures.put("false_positives_by_healthy", watch.falsePositivesByHealthy());
        figures.put("deaths_of_healthy", watch.deathsOfHealthy());
        figures.put("suspicions_of_healthy", watch.suspicionsOfHealthy());
        figures.put("faulty_declared_dead_ms",
                declaredDeadMillis < 0 || declaredDeadMillis > windowMillis ? null : declaredDeadMillis);
        figures.put("faulty_status_flips", crash ? null : watch.medianFlips());
        figures.put("faulty_suspicions", crash ? null : watch.medianSuspicions());
        figures.put("recovery_epochs_per_incident", GrayFailureWatch.median(healthyEpochs));
        figures.put("recovery_epochs_max", max);
        figures.put("converged_after_fault_ms", converged ? convergedAfterMillis : null);
        return converged;
    }

    /** {@code count} distinct nodes, in ascending order. */
    private static int[] chooseFaulty(SplittableRandom random, int n, int count) {
        boolean[] chosen = new boolean[n];
        for (int picked = 0; picked < count; ) {
            int i = random.nextInt(n);
            if (!chosen[i]) {
                chosen[i] = true;
                picked++;
            }
        }
        return java.util.stream.IntStream.range(0, n).filter(i -> chosen[i]).toArray();
    }
}
