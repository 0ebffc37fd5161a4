package dev.grapevine.sim;

import dev.grapevine.core.config.Profile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leaves on the simulator run the production decommission: the leaving node stops advertising the
 * domain, folds its hints into its partitions, hands everything to the owners without it with
 * push-only exchanges, and only then leaves the membership, or when its timeout ends the hand-off.
 */
class DecommissionSimulationTest {

    private static ScenarioSpec spec(long seed) {
        return ScenarioSpec.of("recovery", 16, seed, Profile.LAN).withDuration(Duration.ofSeconds(90))
                .withData(new DataSpec(50, false, true, PartitionMode.AVAILABLE));
    }

    @Test
    void leavesHandOffTheirHintsAndDataAndLoseNoAcknowledgedWrite() {
        SimulationReport r = SimulationScenariosTest.run(spec(14));
        RecoveryDataSimulationTest.assertNoAcknowledgedWriteLost(r);
        assertTrue(r.figure("leaves") > 0, r::describe);
        assertTrue(r.figure("decommissions") > 0, r::describe);
        assertTrue(r.figure("hints_folded") > 0, r::describe); // leaves with hints present
        assertEquals(0, r.figure("hints_left_behind"), r::describe);
        assertEquals(r.figure("leaves"), r.figure("decommissions") + r.figure("decommission_timeouts")
                + r.figure("decommissions_with_no_one_to_hand_to"), r::describe);
    }

    @Test
    void aLeaverThatReachesNoOwnerLeavesByItsTimeout() {
        ScenarioSpec spec = spec(14);
        Simulation sim = new Simulation(spec.nodes(), spec.settings(), spec.seed());
        sim.network().setLatency(spec.latencyMinMillis(), spec.latencyJitterMillis());
        RecoveryScenario scenario = new RecoveryScenario(0);
        scenario.cutOffLeavers = true;
        Map<String, Object> figures = new LinkedHashMap<>();
        boolean passed = scenario.run(sim, spec, figures, null);
        assertTrue(passed, figures::toString);
        long leaves = ((Number) figures.get("leaves")).longValue();
        assertTrue(leaves > 0, figures::toString);
        long timeouts = ((Number) figures.get("decommission_timeouts")).longValue();
        assertTrue(timeouts > 0, figures::toString); // the hand-off to the owner it cannot reach never succeeds
        assertEquals(leaves, ((Number) figures.get("decommissions")).longValue() + timeouts
                + ((Number) figures.get("decommissions_with_no_one_to_hand_to")).longValue(), figures::toString);
        assertTrue(((Number) figures.get("entries_left_behind")).longValue() > 0, figures::toString);
        assertEquals(0L, ((Number) figures.get("lost_acked_writes")).longValue(), figures::toString);
    }
}
