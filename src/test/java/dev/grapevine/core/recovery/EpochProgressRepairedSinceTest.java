package dev.grapevine.core.recovery;

import dev.grapevine.core.wire.WireSize;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The repaired-since second a progress word may carry: kept, merged with its word, and sized on the wire. */
class EpochProgressRepairedSinceTest {

    @Test
    void travels_with_its_word_through_merges() {
        EpochProgress a = EpochProgress.empty(7, 3).with(0, 1, 0, 0, 1_700_000_000L);
        EpochProgress b = EpochProgress.empty(7, 3).with(1, 2, 4, 0).with(0, 2, 0, 0, 1_700_000_600L);
        EpochProgress merged = a.merge(b);
        assertEquals(1_700_000_600L, merged.repairedSinceSeconds(0), "the newer word's");
        assertEquals(Progress.NOT_REPAIRED, merged.repairedSinceSeconds(1));
        assertEquals(new Progress(Progress.epochName(7), 0, 0, 1_700_000_600L), merged.progress(0));
        assertEquals(merged, b.merge(a), "commutative");
        assertEquals(merged, merged.merge(a), "idempotent");
        assertEquals("EpochProgress[0000000000000007 2:0/0@1700000600, 2:4/0, -]", merged.toString());
    }

    @Test
    void costs_the_bytes_of_its_varint_and_only_when_present() {
        EpochProgress done = EpochProgress.empty(7, 20);
        EpochProgress repaired = done;
        for (int i = 0; i < 20; i++) {
            done = done.with(i, 1, 0, 0);
            repaired = repaired.with(i, 1, 0, 0, 1_765_000_000L);
        }
        assertEquals(29, WireSize.of(done));
        assertEquals(129, WireSize.of(repaired));
    }

    @Test
    void a_member_with_no_word_has_no_repaired_since() {
        assertThrows(IllegalArgumentException.class, () -> EpochProgress.of(7, new long[] {0}, new int[] {0}, new int[] {0},
                new long[] {5}));
        assertThrows(IllegalArgumentException.class, () -> new Progress(Progress.epochName(7), 0, 0, -2));
    }
}
