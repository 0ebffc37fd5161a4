package dev.grapevine.core.recovery;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DomainOwnershipProperties {
    private static final List<String> DOMAINS = List.of("kv", "index", "queue");

    /**
     * Every node computes the same owners from the same members, whatever order it learnt them in;
     * owners are runners only, RF of them (or all runners if fewer), and non-runners own nothing.
     */
    @Property(tries = 300)
    void ownershipPerDomainIsDeterministicAndKeptToRunners(@ForAll @IntRange(min = 1, max = 30) int n,
                                                           @ForAll @IntRange(min = 1, max = 5) int rf,
                                                           @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) {
        Random rng = new Random(seed); // a seeded generator: the members and their domains, reproducibly
        Map<String, Set<String>> live = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Set<String> runs = new TreeSet<>();
            for (String d : DOMAINS) {
                if (rng.nextInt(3) > 0) {
                    runs.add(d);
                }
            }
            live.put("node-" + i, runs);
        }
        List<Map.Entry<String, Set<String>>> shuffled = new ArrayList<>(live.entrySet());
        Collections.shuffle(shuffled, rng);
        Map<String, Set<String>> otherNode = new HashMap<>();
        shuffled.forEach(e -> otherNode.put(e.getKey(), e.getValue()));

        for (String d : DOMAINS) {
            Ownership here = DomainOwnership.of(live, d, 128, rf);
            Ownership there = DomainOwnership.of(otherNode, d, 128, rf);
            Set<String> runners = DomainOwnership.runners(live, d);
            for (int p = 0; p < 128; p++) {
                assertEquals(here.owners(p), there.owners(p), d + " partition " + p);
                assertTrue(runners.containsAll(here.owners(p)), d + " partition " + p + " owned by a non-runner");
                assertEquals(Math.min(rf, runners.size()), here.owners(p).size());
            }
            live.forEach((member, runs) -> {
                if (!runs.contains(d)) {
                    assertEquals(List.of(), here.partitionsOf(member), member + " runs no " + d);
                }
            });
        }
    }
}
