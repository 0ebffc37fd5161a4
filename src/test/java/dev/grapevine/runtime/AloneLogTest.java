package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node's line while none of the addresses it was given to join answers: manual time, one line a minute. */
class AloneLogTest {
    private static final List<Address> SEEDS = List.of(new Address("localhost", 7946));

    @Test
    void warnsAfterTenSecondsAloneThenOnceAMinuteAndSaysWhenItJoins() {
        AloneLog log = new AloneLog("n4", SEEDS, 1_000);
        assertNull(log.check(10_999, 1, false));
        String first = log.check(11_000, 1, false);
        assertTrue(first.startsWith("alone after 10 s: none of [localhost:7946] answered; retrying."), first);
        assertNull(log.check(12_000, 1, false));
        assertNull(log.check(70_999, 1, false));
        String again = log.check(71_000, 1, false);
        assertTrue(again.startsWith("still alone after 70 s: none of [localhost:7946] answered"), again);
        assertEquals("joined the cluster after 74 s alone", log.check(75_000, 2, false));
        assertNull(log.check(200_000, 1, false), "alone again later: its peers' failures say why");
    }

    @Test
    void silentWhenItJoinsInTimeOrStartedAloneOrIsLeaving() {
        AloneLog joins = new AloneLog("n2", SEEDS, 0);
        assertNull(joins.check(3_000, 3, false));
        assertNull(joins.check(60_000, 1, false));

        AloneLog first = new AloneLog("n1", List.of(), 0);
        assertNull(first.check(60_000, 1, false), "the first node of a cluster has nothing to join");

        AloneLog leaving = new AloneLog("n3", SEEDS, 0);
        assertNull(leaving.check(60_000, 1, true));
    }
}
