package dev.grapevine.core.recovery;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who owns a domain's partitions, from the live members and the domains each runs. */
class DomainOwnershipTest {
    private static final int PARTITIONS = 64;

    private static Map<String, Set<String>> cluster(Object... nameThenDomains) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (int i = 0; i < nameThenDomains.length; i += 2) {
            out.put((String) nameThenDomains[i], (Set<String>) nameThenDomains[i + 1]);
        }
        return out;
    }

    @Test
    void aMemberThatRunsNoDomainOwnsNothingAndEveryPartitionKeepsItsCopiesOnRunners() {
        Map<String, Set<String>> live = cluster("a", Set.of("kv"), "b", Set.of("kv"), "c", Set.of("kv"), "reporter", Set.of());
        Ownership kv = DomainOwnership.of(live, "kv", PARTITIONS, 3);
        assertEquals(List.of("a", "b", "c"), kv.members());
        assertEquals(List.of(), kv.partitionsOf("reporter"));
        for (int p = 0; p < PARTITIONS; p++) {
            assertEquals(Set.of("a", "b", "c"), Set.copyOf(kv.owners(p)), "partition " + p + " has 3 copies on runners");
        }
    }

    @Test
    void membersRunningDifferentDomainsOwnOnlyTheirDomainsPartitions() {
        Map<String, Set<String>> live = cluster("a", Set.of("kv"), "b", Set.of("kv", "index"), "c", Set.of("index"),
                "d", Set.of("kv"), "e", Set.of());
        assertEquals(Set.of("index", "kv"), DomainOwnership.domains(live));
        assertEquals(Set.of("a", "b", "d"), DomainOwnership.runners(live, "kv"));
        assertEquals(Set.of("b", "c"), DomainOwnership.runners(live, "index"));
        assertEquals(Set.of(), DomainOwnership.runners(live, "absent"));
        Ownership index = DomainOwnership.of(live, "index", PARTITIONS, 3);
        for (int p = 0; p < PARTITIONS; p++) {
            assertEquals(Set.of("b", "c"), Set.copyOf(index.owners(p)), "fewer runners than RF: all of them own it");
        }
        Ownership kv = DomainOwnership.of(live, "kv", PARTITIONS, 2);
        for (int p = 0; p < PARTITIONS; p++) {
            assertEquals(2, kv.owners(p).size());
            assertTrue(Set.of("a", "b", "d").containsAll(kv.owners(p)), "partition " + p + ": " + kv.owners(p));
        }
        assertEquals(List.of(), DomainOwnership.of(live, "absent", PARTITIONS, 3).owners(0), "a domain nobody runs has no owners");
    }

    @Test
    void theOwnersOfADomainAreThoseOfItsRunnersAloneWhateverElseIsLive() {
        Map<String, Set<String>> live = cluster("a", Set.of("kv"), "b", Set.of("kv"), "c", Set.of("kv"),
                "r1", Set.of(), "r2", Set.of("other"));
        Ownership withOthers = DomainOwnership.of(live, "kv", PARTITIONS, 2);
        Ownership runnersOnly = new Ownership(List.of("a", "b", "c"), PARTITIONS, 2);
        for (int p = 0; p < PARTITIONS; p++) {
            assertEquals(runnersOnly.owners(p), withOthers.owners(p), "partition " + p);
        }
    }

    @Test
    void aNullDomainTakesEveryLiveMember() {
        Map<String, Set<String>> live = cluster("a", Set.of("kv"), "r", Set.of());
        assertEquals(Set.of("a", "r"), DomainOwnership.runners(live, null));
        assertTrue(DomainOwnership.runs(Set.of(), null));
        assertTrue(DomainOwnership.runs(Set.of("kv"), "kv"));
        assertTrue(!DomainOwnership.runs(Set.of(), "kv"));
    }
}
