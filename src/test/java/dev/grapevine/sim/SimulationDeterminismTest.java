package dev.grapevine.sim;

import dev.grapevine.core.config.Profile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A seed replays a run: the same seed gives the same figures, to the event, and these figures are
 * pinned, so that a change meant only to make the simulator (or the core it runs) faster shows it
 * changed behaviour. A failing run prints its seed; that seed must reproduce it.
 */
class SimulationDeterminismTest {

    /** The figures a run reports, but for the wall time, the only one that depends on the machine. */
    private static Map<String, Object> figures(ScenarioSpec spec) {
        SimulationReport report = SimulationScenariosTest.run(spec);
        Map<String, Object> figures = new java.util.TreeMap<>(report.figures());
        figures.remove("wall_ms");
        return figures;
    }

    @Test
    void lossRunGivesTheSameFiguresForTheSameSeed() {
        ScenarioSpec spec = ScenarioSpec.of("loss", 200, 5, Profile.LAN).withLoss(10).withDuration(Duration.ofSeconds(60));
        Map<String, Object> first = figures(spec);
        assertEquals(first, figures(spec));
        assertEquals(PINNED_LOSS_EVENTS, ((Number) first.get("events_processed")).longValue(), first::toString);
        assertEquals(PINNED_LOSS_REFUTATIONS, ((Number) first.get("refutations")).longValue(), first::toString);
        assertEquals(PINNED_LOSS_BYTES, ((Number) first.get("bytes_per_node_per_second")).doubleValue(), first::toString);
    }

    @Test
    void partitionRunGivesTheSameFiguresForTheSameSeed() {
        ScenarioSpec spec = ScenarioSpec.of("partition", 60, 13, Profile.LAN).withPartition(Duration.ofSeconds(60), false);
        Map<String, Object> first = figures(spec);
        assertEquals(first, figures(spec));
        assertEquals(PINNED_PARTITION_EVENTS, ((Number) first.get("events_processed")).longValue(), first::toString);
        assertEquals(PINNED_PARTITION_HEAL_MS, ((Number) first.get("heal_converged_ms")).longValue(), first::toString);
    }

    @Test
    void recoveryRunAmongNodesThatRunNoDomainGivesTheSameFiguresForTheSameSeed() {
        ScenarioSpec spec = ScenarioSpec.of("recovery-mixed", 40, 3, Profile.LAN);
        Map<String, Object> first = figures(spec);
        assertEquals(first, figures(spec));
        assertEquals(PINNED_RECOVERY_EVENTS, ((Number) first.get("events_processed")).longValue(), first::toString);
        assertEquals(PINNED_RECOVERY_EXCHANGES, ((Number) first.get("exchanges")).longValue(), first::toString);
        assertEquals(PINNED_RECOVERY_COMPLETE_MS, ((Number) first.get("complete_after_last_change_ms")).longValue(), first::toString);
    }

    // The figures of the runs above as `grapevine simulate` gives them with corroborated suspicion (a
    // quorum of accusers, local health gating accusations, relays' nacks in time for the prober) and
    // recovery epochs that wait while a member is suspect.
    private static final long PINNED_LOSS_EVENTS = 329_332;
    private static final long PINNED_LOSS_REFUTATIONS = 79;
    private static final double PINNED_LOSS_BYTES = 1276.08;
    private static final long PINNED_PARTITION_EVENTS = 40_804;
    private static final long PINNED_PARTITION_HEAL_MS = 2145;
    // The recovery run carries data since: client writes and reads, Merkle exchanges (the production
    // machines) and hand-offs (the production planner)
    // are events of their own, and the faults end with every crashed node restarted.
    private static final long PINNED_RECOVERY_EVENTS = 178_404;
    private static final long PINNED_RECOVERY_EXCHANGES = 3179;
    private static final long PINNED_RECOVERY_COMPLETE_MS = 3106;
}
