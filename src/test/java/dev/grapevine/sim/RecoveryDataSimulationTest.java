package dev.grapevine.sim;

import dev.grapevine.core.config.Profile;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery with data, on the simulator: clients write and read through quorum coordinators while
 * nodes crash, restart, pause, lose messages, split apart and leave; then the faults heal and every
 * acknowledged write must be readable with its version or a newer one, held by every owner of its
 * key, and no deleted key may come back (see {@link RecoveryScenario} and {@link WriteLedger}).
 */
class RecoveryDataSimulationTest {

    private static SimulationReport run(long seed, double lossPercent, DataSpec data) {
        ScenarioSpec spec = ScenarioSpec.of("recovery", 16, seed, Profile.LAN).withDuration(Duration.ofSeconds(90)).withData(data);
        if (lossPercent > 0) {
            spec = spec.withLoss(lossPercent);
        }
        return SimulationScenariosTest.run(spec);
    }

    /** The checks every run with data must pass, on top of the run having settled. */
    static void assertNoAcknowledgedWriteLost(SimulationReport r) {
        assertTrue(r.figure("acked_writes") > 1000, r::describe);
        assertEquals(0, r.figure("lost_acked_writes"), r::describe);
        assertEquals(0, r.figure("under_replicated_keys"), r::describe);
        assertEquals(0, r.figure("resurrected_keys"), r::describe);
        assertEquals(0, r.figure("check_reads_failed"), r::describe);
    }

    @Test
    void crashesRestartsAndPausesLoseNoAcknowledgedWrite() {
        SimulationReport r = run(11, 0, DataSpec.DEFAULT);
        assertNoAcknowledgedWriteLost(r);
        assertEquals(0, r.figure("superseded_acked_writes"), r::describe); // no split: no two writes ever concurrent
        assertTrue(r.figure("hints_replayed") > 0, r::describe);
        assertTrue(r.figure("repair_entries") > 0, r::describe);
        assertTrue(r.figure("repair_bytes_min") <= r.figure("repair_bytes"), r::describe);
    }

    @Test
    void fivePercentLossLosesNoAcknowledgedWrite() {
        assertNoAcknowledgedWriteLost(run(12, 5, DataSpec.DEFAULT));
    }

    @Test
    void splitsLoseNoAcknowledgedWriteButAvailableModeLetsBothSidesWrite() {
        SimulationReport r = run(13, 0, new DataSpec(50, true, false, PartitionMode.AVAILABLE));
        assertNoAcknowledgedWriteLost(r);
        assertTrue(r.figure("splits") > 0, r::describe);
        assertTrue(r.figure("superseded_acked_writes") > 0, r::describe); // what taking writes on both sides costs
        assertEquals(0, r.figure("writes_refused"), r::describe);
    }

    @Test
    void majorityModeRefusesWritesOnTheSmallerSideAndSupersedesFewer() {
        SimulationReport available = run(13, 0, new DataSpec(50, true, false, PartitionMode.AVAILABLE));
        SimulationReport majority = run(13, 0, new DataSpec(50, true, false, PartitionMode.MAJORITY));
        assertNoAcknowledgedWriteLost(majority);
        assertTrue(majority.figure("writes_refused") > 0, majority::describe);
        assertTrue(majority.figure("superseded_acked_writes") < available.figure("superseded_acked_writes"),
                () -> "majority " + majority.describe() + "\navailable " + available.describe());
    }

    @Test
    void leavesLoseNoAcknowledgedWrite() {
        SimulationReport r = run(14, 0, new DataSpec(50, false, true, PartitionMode.AVAILABLE));
        assertNoAcknowledgedWriteLost(r);
        assertTrue(r.figure("leaves") > 0, r::describe);
    }

    @Test
    void everyFaultAtOnceLosesNoAcknowledgedWrite() {
        assertNoAcknowledgedWriteLost(run(15, 5, new DataSpec(50, true, true, PartitionMode.MAJORITY)));
    }
}
