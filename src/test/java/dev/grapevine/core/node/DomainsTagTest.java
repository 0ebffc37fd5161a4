package dev.grapevine.core.node;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberTable;
import dev.grapevine.core.member.NameIndex;
import dev.grapevine.core.recovery.Progress;
import dev.grapevine.core.recovery.RecoveryCoordinator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DomainsTagTest {

    @Test
    void theTagListsTheDomainsSortedAndReadsBack() {
        assertEquals("index,kv", DomainsTag.format(List.of("kv", "index")));
        assertEquals("", DomainsTag.format(List.of()));
        assertEquals(Set.of("index", "kv"), DomainsTag.parse(Map.of(DomainsTag.KEY, "index,kv")));
        assertEquals(Set.of(), DomainsTag.parse(Map.of()), "no tag: runs no domain");
        assertEquals(Set.of(), DomainsTag.parse(Map.of(DomainsTag.KEY, "")));
        assertEquals(Set.of("kv"), DomainsTag.parse(Map.of(DomainsTag.KEY, ",kv,")));
        assertTrue(DomainsTag.KEY.startsWith(Membership.RESERVED_TAG_PREFIX), "reserved: hidden from users, set by the node");
    }

    @Test
    void domainsThatCannotBeAdvertisedAreNamedWithTheLimit() {
        assertNull(DomainsTag.problem(List.of("kv", "index")));
        assertEquals("a domain name cannot hold a comma, but was 'a,b'", DomainsTag.problem(List.of("a,b")));
        String long60 = "d".repeat(60);
        assertEquals("the domain names of one node take at most 56 bytes joined by commas, but [" + long60 + "] take 60",
                DomainsTag.problem(List.of(long60)));
    }

    @Test
    void theLiveEpochsHoldOnePerDomainOfItsRunnersAndTheOneOfAllMembers() {
        MemberTable view = new MemberTable(new NameIndex());
        view.merge(Member.alive("a", new Address("10.0.0.1", 7946), 1, 0, Map.of(DomainsTag.KEY, "kv")));
        view.merge(Member.alive("b", new Address("10.0.0.2", 7946), 2, 0, Map.of(DomainsTag.KEY, "index,kv")));
        view.merge(Member.alive("r", new Address("10.0.0.3", 7946), 3, 0, Map.of()));
        Set<Long> epochs = new dev.grapevine.core.recovery.ProgressBoard(new Counters()).liveEpochs(view);
        assertEquals(Set.of(bits(RecoveryCoordinator.epochOf(Map.of("a", 1L, "b", 2L, "r", 3L))),
                bits(RecoveryCoordinator.epochOf("kv", Map.of("a", 1L, "b", 2L))),
                bits(RecoveryCoordinator.epochOf("index", Map.of("b", 2L)))), epochs);
    }

    private static long bits(String epoch) {
        return Progress.epochBits(epoch);
    }
}
