package dev.grapevine.sim;

import dev.grapevine.core.config.Profile;
import dev.grapevine.core.config.Settings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every scenario at a size the default build can afford, with fixed seeds. Each run must pass
 * (converge, no safety violation); assertion messages carry the command that replays the run.
 */
class SimulationScenariosTest {

    static SimulationReport run(ScenarioSpec spec) {
        SimulationReport report = ScenarioRunner.run(spec, null);
        assertTrue(report.passed(), () -> "run failed: " + report.describe());
        return report;
    }

    /** The Pittel-style bound on push rounds with fanout f: log_{1+f} N + ln N / f + 2. */
    static double roundsBound(int n, int fanout) {
        return Math.log(n) / Math.log(1 + fanout) + Math.log(n) / fanout + 2;
    }

    @Test
    void broadcastReachesEveryNodeWithinTheRoundBound() {
        SimulationReport r = run(ScenarioSpec.of("broadcast", 300, 7, Profile.LAN));
        assertEquals(1.0, r.decimal("informed_fraction"), r::describe);
        assertTrue(r.decimal("all_informed_rounds") <= roundsBound(300, 3), r::describe);
        assertEquals(0, r.figure("false_positives"), r::describe);
    }

    @Test
    void broadcastSurvivesLossDuplicatesAndReordering() {
        ScenarioSpec spec = new ScenarioSpec("broadcast", 200, 11, Profile.LAN, null, 20.0, null, 1, null, false,
                null, 1, 5.0, 10.0, null);
        SimulationReport r = run(spec);
        assertEquals(1.0, r.decimal("informed_fraction"), r::describe);
    }

    /** A quorum of observers declares a crash in under half of memberlist's floor (1.6 probe periods + the suspicion minimum + dissemination). */
    @Test
    void crashIsDetectedByEverySurvivorInUnderHalfOfLifeguardsFloor() {
        int n = 100;
        Settings s = Profile.LAN.settings();
        SimulationReport r = run(ScenarioSpec.of("crash", n, 3, Profile.LAN));
        long disseminationMillis = Math.round(roundsBound(n, s.gossipFanout()) * s.gossipIntervalMillis());
        double floorMillis = 1.6 * s.probeIntervalMillis() + s.suspicionMinMillis(n) + disseminationMillis;
        assertTrue(r.figure("first_suspect_ms") > 0, r::describe);
        assertTrue(r.figure("all_dead_ms") >= r.figure("first_suspect_ms") + s.refutationWindowMillis(),
                "the suspect had its refutation window: " + r.describe());
        assertTrue(r.figure("all_dead_ms") <= 0.5 * floorMillis, r::describe);
        assertEquals(0, r.figure("false_positives"), r::describe);
    }

    /** With no corroborators, Lifeguard's timeout decides alone, as memberlist's does. */
    @Test
    void withoutCorroboratorsACrashWaitsForTheSuspicionMinimum() {
        int n = 100;
        Settings s = Profile.LAN.settings().toBuilder().corroborators(0).build();
        SimulationReport r = run(new ScenarioSpec("crash", n, 3, Profile.LAN, s, null, null, 1, null, false, null, 1, 1.0, 0, null));
        assertTrue(r.figure("all_dead_ms") >= s.suspicionMinMillis(n), r::describe);
    }

    @Test
    void severalSimultaneousCrashesAreAllDetected() {
        SimulationReport r = run(ScenarioSpec.of("crash", 60, 5, Profile.LAN).withCrashes(3));
        assertTrue(r.figure("all_dead_ms") > 0, r::describe);
        assertEquals(0, r.figure("false_positives"), r::describe);
    }

    @Test
    void partitionIsDetectedOnBothSidesAndHealsToOneView() {
        SimulationReport r = run(ScenarioSpec.of("partition", 60, 13, Profile.LAN)
                .withPartition(Duration.ofSeconds(60), false));
        assertTrue(r.figure("dead_across_at_heal") > 0, "the halves never noticed the split: " + r.describe());
        long boundMillis = Profile.LAN.settings().reconnectInterval().toMillis() + 30_000;
        assertTrue(r.figure("heal_converged_ms") <= boundMillis, r::describe);
        assertEquals(0, r.figure("false_positives"), r::describe);
    }

    @Test
    void oneWayPartitionHealsToo() {
        run(ScenarioSpec.of("partition", 40, 17, Profile.LAN).withPartition(Duration.ofSeconds(45), true));
    }

    @Test
    void longPartitionStillHeals() {
        // Serf gives up reconnecting after 24 h; reconnects here never stop, so any length heals.
        run(ScenarioSpec.of("partition", 30, 19, Profile.LOCAL).withPartition(Duration.ofHours(2), false));
    }

    @Test
    void lossOfTwentyPercentCausesNoFalsePositives() {
        SimulationReport r = run(ScenarioSpec.of("loss", 50, 23, Profile.LAN).withLoss(20).withDuration(Duration.ofMinutes(3)));
        assertEquals(0, r.figure("false_positives"), r::describe);
    }

    @Test
    void everyNodeRestartingReformsTheCluster() {
        SimulationReport r = run(ScenarioSpec.of("restart-all", 30, 29, Profile.LAN));
        assertTrue(r.figure("reformed_ms") > 0, r::describe);
    }

    @Test
    void everyProfileRunsTheCrashScenario() {
        for (Profile p : Profile.values()) {
            run(ScenarioSpec.of("crash", 20, 31, p));
        }
    }

    @Test
    void aSeedReplaysTheRunExactly() {
        ScenarioSpec spec = ScenarioSpec.of("partition", 30, 37, Profile.LAN).withPartition(Duration.ofSeconds(20), false).withLoss(5);
        Map<String, Object> first = new LinkedHashMap<>(ScenarioRunner.run(spec, null).figures());
        Map<String, Object> second = new LinkedHashMap<>(ScenarioRunner.run(spec, null).figures());
        assertEquals(first, second);
        Map<String, Object> other = ScenarioRunner.run(new ScenarioSpec("partition", 30, 38, Profile.LAN, null, 5.0, null, 1,
                Duration.ofSeconds(20), false, null, 1, 1.0, 0, null), null).figures();
        assertTrue(!first.equals(other), "a different seed gave the very same run");
    }

    @Test
    void randomSeedsPass() {
        long base = System.nanoTime();
        for (int i = 0; i < 2; i++) {
            long seed = base + i;
            System.out.println("SimulationScenariosTest.randomSeedsPass: seed " + seed);
            run(ScenarioSpec.of("crash", 50, seed, Profile.LAN));
            run(ScenarioSpec.of("partition", 40, seed, Profile.LAN).withPartition(Duration.ofSeconds(30), false).withLoss(5));
        }
    }
}
