package dev.grapevine.sim;

import dev.grapevine.core.config.Profile;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery plans under churn, on the simulator: crashes, restarts and pauses every few seconds, then
 * quiet. Passing means every live node settled on one epoch, complete everywhere, with every pair of
 * owners of every partition exchanged in it (see {@link RecoveryScenario}).
 */
class RecoverySimulationTest {

    @Test
    void recoverySettlesAfterChurnOnEveryNode() {
        for (long seed : new long[] {1, 2, 3}) {
            SimulationReport r = SimulationScenariosTest.run(ScenarioSpec.of("recovery", 40, seed, Profile.LAN)
                    .withDuration(Duration.ofSeconds(60)));
            assertTrue(r.figure("complete_after_last_change_ms") >= 0, r::describe);
            assertEquals(0, r.figure("false_positives"), r::describe);
            // About one epoch per node per membership change (a crash, a restart): no churn of its own.
            long changes = 60_000 / RecoveryScenario.CHURN_EVERY_MILLIS + 1;
            assertTrue(r.figure("epochs_started") <= 2L * 40 * changes, r::describe);
        }
    }

    @Test
    void recoverySettlesUnderLoss() {
        SimulationReport r = SimulationScenariosTest.run(ScenarioSpec.of("recovery", 30, 9, Profile.LAN)
                .withDuration(Duration.ofSeconds(30)).withLoss(5));
        assertTrue(r.figure("complete_after_last_change_ms") >= 0, r::describe);
    }

    /**
     * A mixed cluster: every fourth node runs no domain. Passing means the runners settle on an epoch
     * of the runners alone, complete among them; the others settle on none, and no exchange ever
     * involved one of them.
     */
    @Test
    void recoveryKeepsToTheNodesThatRunTheDomain() {
        for (long seed : new long[] {4, 5}) {
            SimulationReport r = SimulationScenariosTest.run(ScenarioSpec.of("recovery-mixed", 24, seed, Profile.LAN)
                    .withDuration(Duration.ofSeconds(40)));
            assertTrue(r.figure("complete_after_last_change_ms") >= 0, r::describe);
            assertEquals(0, r.figure("exchanges_with_non_runners"), r::describe);
        }
    }
}
