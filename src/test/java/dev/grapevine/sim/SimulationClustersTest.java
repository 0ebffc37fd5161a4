package dev.grapevine.sim;

import dev.grapevine.core.config.Profile;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.wire.ClusterName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two clusters of different names that share their seeds never merge, however long they run. */
class SimulationClustersTest {

    @Test
    void twoClustersThatShareTheirSeedsNeverMergeInAnHour() {
        Simulation sim = new Simulation(10, Profile.LAN.settings(), 71);
        ClusterName blue = ClusterName.of("blue");
        ClusterName green = ClusterName.of("green");
        for (int i = 0; i < 10; i++) {
            sim.setCluster(i, i < 5 ? blue : green);
        }
        Address blueSeed = sim.address(0);
        Address greenSeed = sim.address(5);
        sim.startNode(0, List.of(greenSeed)); // each seed is pointed at the other cluster
        sim.startNode(5, List.of(blueSeed));
        for (int i = 1; i < 10; i++) {
            int node = i;
            // Both seed lists hold both seeds, in either order: one answers, the other refuses.
            List<Address> seeds = i % 2 == 0 ? List.of(blueSeed, greenSeed) : List.of(greenSeed, blueSeed);
            if (node != 5) {
                sim.at(1_000L * i, () -> sim.startNode(node, seeds));
            }
        }
        sim.runUntil(3_600_000);

        Set<String> blues = Set.of("node-0", "node-1", "node-2", "node-3", "node-4");
        Set<String> greens = Set.of("node-5", "node-6", "node-7", "node-8", "node-9");
        long refused = 0;
        long joinsRefused = 0;
        for (int i = 0; i < 10; i++) {
            Set<String> viewed = sim.core(i).members().stream().map(Member::name).collect(Collectors.toSet());
            assertEquals(i < 5 ? blues : greens, viewed, sim.name(i) + " views only its own cluster");
            assertEquals(5, sim.core(i).liveCount(), sim.name(i) + " sees its whole cluster alive");
            refused += sim.core(i).counters().foreignClusterRefused();
            joinsRefused += sim.core(i).counters().joinsRefusedByForeignCluster();
        }
        assertTrue(refused > 0, "the foreign joins were refused");
        assertTrue(joinsRefused > 0, "and the joiners heard it");
        assertTrue(sim.violations().isEmpty(), sim.violations().toString());
    }
}
