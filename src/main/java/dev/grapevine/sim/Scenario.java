package dev.grapevine.sim;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * One fault story told to a simulation. A scenario drives the faults, watches through
 * {@link SimObserver}s, puts its own figures (simulated milliseconds) into {@code figures}, and
 * returns whether the cluster converged afterwards.
 */
public interface Scenario {

    /** Milliseconds the cluster runs before the scenario's fault, so every node has ticked. */
    long WARM_UP_MILLIS = 2_000;

    boolean run(Simulation sim, ScenarioSpec spec, Map<String, Object> figures, LongConsumer progress);

    static Scenario named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "broadcast" -> new BroadcastScenario();
            case "crash" -> new CrashScenario();
            case "partition" -> new PartitionScenario();
            case "loss" -> new LossScenario();
            case "restart-all" -> new RestartAllScenario();
            case "recovery" -> new RecoveryScenario(0);
            case "recovery-mixed" -> new RecoveryScenario(4);
            case "flaky", "flip-flop", "slow", "mass-crash", "isolated" -> new GrayFailureScenario(GrayFault.of(name));
            default -> throw new IllegalArgumentException("unknown scenario '" + name + "'; choose one of "
                    + Arrays.stream(NAMES).collect(Collectors.joining(", ")));
        };
    }

    String[] NAMES = {"broadcast", "crash", "partition", "loss", "restart-all", "recovery", "recovery-mixed",
            "flaky", "flip-flop", "slow", "mass-crash", "isolated"};
}
