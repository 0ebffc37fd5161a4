package dev.grapevine.core.recovery;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OwnershipTest {
    static List<String> names(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("node-" + i);
        }
        return names;
    }

    @Test
    void everyNodeComputesTheSameOwnersWhateverTheOrderItLearnedMembersIn() {
        List<String> view = names(12);
        Ownership a = new Ownership(view, 512, 3);
        List<String> shuffled = new ArrayList<>(view);
        Collections.shuffle(shuffled, new Random(7));
        Ownership b = new Ownership(shuffled, 512, 3);
        for (int p = 0; p < 512; p++) {
            assertEquals(a.owners(p), b.owners(p), "partition " + p);
        }
    }

    @Test
    void eachPartitionHasReplicationFactorDistinctOwnersAndLoadIsEven() {
        Ownership o = new Ownership(names(10), 1024, 3);
        int[] load = new int[10];
        for (int p = 0; p < 1024; p++) {
            List<String> owners = o.owners(p);
            assertEquals(3, new HashSet<>(owners).size(), "partition " + p + ": " + owners);
            for (String owner : owners) {
                load[Integer.parseInt(owner.substring(5))]++;
            }
        }
        double mean = 1024 * 3 / 10.0;
        for (int n : load) {
            assertTrue(Math.abs(n - mean) < 0.15 * mean, "uneven load " + n + " vs mean " + mean);
        }
    }

    @Test
    void fewerLiveMembersThanTheFactorOwnEverything() {
        Ownership o = new Ownership(List.of("a", "b"), 16, 3);
        for (int p = 0; p < 16; p++) {
            assertEquals(2, o.owners(p).size());
        }
        assertEquals(List.of(), new Ownership(List.of(), 4, 3).owners(0));
    }

    @Test
    void aJoiningMemberTakesAboutItsShareAndOnlyItGains() {
        Ownership was = new Ownership(names(10), 1024, 3);
        List<String> grown = names(11);
        Ownership now = new Ownership(grown, 1024, 3);
        RecoveryPlan plan = RecoveryPlan.between(2, was, now);
        assertEquals(List.of("node-10"), plan.tasks().entrySet().stream()
                .filter(e -> !e.getValue().gained().isEmpty()).map(java.util.Map.Entry::getKey).toList());
        double share = plan.partitionsMoved() / 1024.0;
        assertTrue(Math.abs(share - 3 / 11.0) < 0.05, "moved " + share + " of the partitions, expected about 3/11");
    }

    @Test
    void keysMapToPartitionsTheSameEverywhere() {
        assertEquals(Ownership.partitionOf("user:42", 1024), Ownership.partitionOf("user:42", 1024));
        int[] hits = new int[16];
        for (int i = 0; i < 16_000; i++) {
            hits[Ownership.partitionOf("key-" + i, 16)]++;
        }
        for (int h : hits) {
            assertTrue(h > 800 && h < 1200, "skewed: " + h);
        }
    }
}
