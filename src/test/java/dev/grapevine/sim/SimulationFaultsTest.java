package dev.grapevine.sim;

import dev.grapevine.core.config.Profile;
import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Faults driven directly through the {@link Simulation} API: pauses, leaves, duplicates. */
class SimulationFaultsTest {

    private static List<String> failures(Simulation sim, String subject) {
        List<String> seen = new ArrayList<>();
        sim.addObserver(new SimObserver() {
            @Override
            public void onMemberEvent(int node, MemberEvent event, long nowMillis) {
                if (event.kind() == MemberEvent.Kind.FAILED && event.member().name().equals(subject)) {
                    seen.add(sim.name(node) + "@" + nowMillis);
                }
            }
        });
        return seen;
    }

    /**
     * A pause shorter than a probe period plus a check (1 s + 500 ms) ends before any quorum could
     * form: the paused node answers the checks' pings when it resumes.
     */
    @Test
    void aNodePausedShorterThanAProbePeriodAndACheckIsNeverDeclaredDead() {
        Simulation sim = new Simulation(20, Profile.LAN.settings(), 41);
        List<String> failed = failures(sim, "node-5");
        sim.startConverged();
        sim.at(5_000, () -> sim.pause(5, 1_400));
        sim.runUntil(60_000);
        assertEquals(List.of(), failed, "seed 41");
        assertTrue(sim.viewsConverged(), "seed 41");
    }

    /**
     * A pause of 3 s looks like a crash to a detector that decides in about 2 s: the node is declared
     * dead, and, never unwell itself, refutes as soon as it resumes and hears it.
     */
    @Test
    void aNodePausedForThreeSecondsIsDeclaredDeadAndRefutesOnResuming() {
        Simulation sim = new Simulation(20, Profile.LAN.settings(), 41);
        List<String> failed = failures(sim, "node-5");
        sim.startConverged();
        sim.at(5_000, () -> sim.pause(5, 3_000));
        sim.runUntil(8_000);
        assertTrue(!failed.isEmpty(), "seed 41");
        assertTrue(sim.runUntil(12_000, sim::viewsConverged, 100, null), "back within 4 s of resuming (seed 41)");
        assertEquals(0, sim.core(5).counters().rejoinsHeld(), "it was never unwell: no wait before refuting");
    }

    @Test
    void aNodePausedForAMinuteIsDeclaredDeadThenComesBack() {
        Simulation sim = new Simulation(20, Profile.LAN.settings(), 43);
        List<String> failed = failures(sim, "node-5");
        sim.startConverged();
        sim.at(5_000, () -> sim.pause(5, 60_000));
        sim.runUntil(65_000);
        assertTrue(!failed.isEmpty(), "a node silent for 60 s was never declared dead (seed 43)");
        assertTrue(sim.runUntil(185_000, sim::viewsConverged, 100, null), "the paused node never came back (seed 43)");
        assertEquals(MemberStatus.ALIVE, sim.core(0).member("node-5").status());
        assertTrue(sim.core(5).self().incarnation() > 0, "it must have refuted its death");
        assertEquals(List.of(), sim.violations());
    }

    @Test
    void aGracefulLeaveIsRecordedAsLeftNotFailed() {
        Simulation sim = new Simulation(30, Profile.LAN.settings(), 47);
        List<String> failed = failures(sim, "node-7");
        sim.startConverged();
        sim.at(3_000, () -> sim.leave(7));
        sim.at(8_000, () -> sim.crash(7)); // the process exits after its leave went out
        sim.runUntil(30_000);
        assertEquals(List.of(), failed);
        assertEquals(29, sim.countViewing(7, MemberStatus.LEFT), "every other node records the leave");
    }

    @Test
    void duplicatedAndReorderedMessagesDeliverEachUserEventOnce() {
        Simulation sim = new Simulation(50, Profile.LAN.settings(), 53);
        sim.network().setDuplicates(0.3);
        sim.network().setLatency(1, 20);
        int[] deliveries = new int[50];
        sim.addObserver(new SimObserver() {
            @Override
            public void onUserEvent(int node, UserEvent event, long nowMillis) {
                deliveries[node]++;
            }
        });
        sim.startConverged();
        for (int k = 0; k < 5; k++) {
            int origin = k;
            sim.at(2_000 + k * 100, () -> sim.emit(origin, "e" + origin, "x".getBytes(StandardCharsets.UTF_8)));
        }
        sim.runUntil(20_000);
        for (int i = 0; i < 50; i++) {
            assertEquals(5, deliveries[i], "node-" + i + " deliveries (seed 53)");
        }
    }

    @Test
    void aNodeRestartedUnderANewEpochSupersedesItsDeadEntryEverywhere() {
        Simulation sim = new Simulation(20, Profile.LAN.settings(), 59);
        sim.startConverged();
        sim.at(2_000, () -> sim.crash(3));
        sim.runUntil(40_000);
        assertEquals(19, sim.countViewing(3, MemberStatus.DEAD), "the crash was detected");
        sim.at(40_000, () -> sim.startNode(3, List.of(sim.address(0))));
        sim.runUntil(40_000);
        assertTrue(sim.isUp(3));
        assertTrue(sim.runUntil(60_000, sim::viewsConverged, 50, null), "seed 59");
        assertEquals(2, sim.core(0).member("node-3").epoch());
        assertEquals(List.of(), sim.violations());
    }

    @Test
    void aNodeBackUnderANewAddressIsAliveThereEverywhere() {
        Simulation sim = new Simulation(20, Profile.LAN.settings(), 61);
        sim.startConverged();
        sim.at(2_000, () -> sim.crash(4));
        sim.at(3_000, () -> sim.startNodeAt(4, new dev.grapevine.core.member.Address("moved", 7946), List.of(sim.address(1))));
        sim.runUntil(3_000);
        assertTrue(sim.runUntil(30_000, sim::viewsConverged, 50, null), "seed 61");
        for (int i = 0; i < 20; i++) {
            assertEquals("moved:7946", sim.core(i).member("node-4").address().toString(), "view of node-" + i);
        }
        assertEquals(List.of(), sim.violations());
    }
}
