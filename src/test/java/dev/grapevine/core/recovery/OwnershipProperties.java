package dev.grapevine.core.recovery;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;

import static dev.grapevine.core.recovery.OwnershipTest.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OwnershipProperties {

    /** Rendezvous hashing moves only what must move: the partitions the departed member held. */
    @Property(tries = 200)
    void aMemberLeavingMovesOnlyItsPartitions(@ForAll @IntRange(min = 2, max = 40) int n,
                                              @ForAll @IntRange(min = 0, max = 39) int leaving,
                                              @ForAll @IntRange(min = 1, max = 5) int rf) {
        List<String> before = names(n);
        String gone = before.get(leaving % n);
        List<String> after = new ArrayList<>(before);
        after.remove(gone);
        Ownership was = new Ownership(before, 256, rf);
        Ownership now = new Ownership(after, 256, rf);
        for (int p = 0; p < 256; p++) {
            List<String> kept = new ArrayList<>(was.owners(p));
            kept.remove(gone);
            assertTrue(now.owners(p).containsAll(kept), "partition " + p + " lost an owner that stayed");
            if (!was.owners(p).contains(gone)) {
                assertEquals(was.owners(p), now.owners(p), "partition " + p + " moved without reason");
            }
        }
    }

}
