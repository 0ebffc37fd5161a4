package dev.grapevine.sim;

import dev.grapevine.core.config.Profile;
import dev.grapevine.core.config.Settings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.grapevine.sim.SimulationScenariosTest.roundsBound;
import static dev.grapevine.sim.SimulationScenariosTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The claims docs/protocol.md makes, at the sizes it states, LAN profile. All but the 10,000-node
 * run fit the default build (about a second each); that one needs 2 GiB of heap and runs with -Pslow.
 */
class SimulationClaimsTest {
    private static final Settings LAN = Profile.LAN.settings();

    @Test
    void broadcastAtOneThousandNodesStaysWithinTheRoundBound() {
        for (long seed = 1; seed <= 3; seed++) {
            SimulationReport r = run(ScenarioSpec.of("broadcast", 1000, seed, Profile.LAN));
            assertTrue(r.decimal("all_informed_rounds") <= roundsBound(1000, LAN.gossipFanout()), r::describe);
        }
    }

    @Test
    @Tag("slow")
    void broadcastAtTenThousandNodesStaysWithinTheRoundBound() {
        for (long seed = 1; seed <= 3; seed++) {
            SimulationReport r = run(ScenarioSpec.of("broadcast", 10_000, seed, Profile.LAN));
            assertTrue(r.decimal("all_informed_rounds") <= roundsBound(10_000, LAN.gossipFanout()), r::describe);
        }
    }

    @Test
    void crashAtOneThousandNodesIsDetectedWithinTheBound() {
        int n = 1000;
        double disseminationMillis = roundsBound(n, LAN.gossipFanout()) * LAN.gossipIntervalMillis();
        double boundMillis = 1.25 * (1.6 * LAN.probeIntervalMillis() + LAN.suspicionMinMillis(n) + disseminationMillis);
        for (long seed = 1; seed <= 3; seed++) {
            SimulationReport r = run(ScenarioSpec.of("crash", n, seed, Profile.LAN));
            assertTrue(r.figure("all_dead_ms") <= boundMillis, "bound " + boundMillis + " ms: " + r.describe());
        }
    }

    @Test
    void tenPercentLossForTenMinutesAtOneHundredNodesCausesNoFalsePositive() {
        SimulationReport r = run(ScenarioSpec.of("loss", 100, 1, Profile.LAN).withLoss(10).withDuration(Duration.ofMinutes(10)));
        assertEquals(0, r.figure("false_positives"), r::describe);
        assertTrue(r.figure("refutations") > 0, "the loss never even caused a suspicion: " + r.describe());
    }

    @Test
    void aTenMinutePartitionOfOneHundredNodesHealsToOneView() {
        SimulationReport r = run(ScenarioSpec.of("partition", 100, 1, Profile.LAN).withPartition(Duration.ofMinutes(10), false));
        assertEquals(100 * 50, r.figure("dead_across_at_heal"), "each half should have declared the other dead: " + r.describe());
        assertTrue(r.figure("heal_converged_ms") >= 0, r::describe);
    }

    @Test
    void fiftyNodesAllRestartingReform() {
        SimulationReport r = run(ScenarioSpec.of("restart-all", 50, 1, Profile.LAN));
        assertTrue(r.figure("reformed_ms") > 0, r::describe);
    }
}
