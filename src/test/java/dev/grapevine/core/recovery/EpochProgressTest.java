package dev.grapevine.core.recovery;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The merge rule of one epoch's progress, and what a value accepts. */
class EpochProgressTest {
    private static final long EPOCH = 0xe1;

    @Test
    void eachMembersNewerWordWinsAndAnUnchangedMergeIsTheSameInstance() {
        EpochProgress a = EpochProgress.empty(EPOCH, 3).with(0, 2, 1, 0).with(1, 1, 0, 0);
        EpochProgress b = EpochProgress.empty(EPOCH, 3).with(0, 1, 5, 5).with(2, 4, 0, 0);

        EpochProgress merged = a.merge(b);

        assertAll(
                () -> assertEquals(new Progress("00000000000000e1", 1, 0), merged.progress(0)),
                () -> assertTrue(merged.done(1)),
                () -> assertTrue(merged.done(2)),
                () -> assertSame(merged, merged.merge(a), "nothing newer in a"),
                () -> assertSame(merged, a.merge(merged), "a holds nothing newer: the other instance itself"),
                () -> assertSame(a, a.with(0, 2, 0, 0), "a word that is not newer changes nothing"),
                () -> assertNull(EpochProgress.empty(EPOCH, 1).progress(0), "no word heard"),
                () -> assertFalse(EpochProgress.empty(EPOCH, 1).done(0)));
    }

    @Test
    void valuesOfAnotherEpochOrMemberCountDoNotMergeAndBadWordsAreRefused() {
        EpochProgress a = EpochProgress.empty(EPOCH, 3);
        assertAll(
                () -> assertThrows(IllegalArgumentException.class, () -> a.merge(EpochProgress.empty(EPOCH + 1, 3))),
                () -> assertThrows(IllegalArgumentException.class, () -> a.merge(EpochProgress.empty(EPOCH, 4))),
                () -> assertThrows(IllegalArgumentException.class, () -> EpochProgress.empty(EPOCH, 0)),
                () -> assertThrows(IllegalArgumentException.class, () -> EpochProgress.empty(EPOCH, EpochProgress.MEMBERS_MAX + 1)),
                () -> assertThrows(IllegalArgumentException.class, () -> a.with(0, -1, 0, 0)),
                () -> assertThrows(IllegalArgumentException.class, () -> a.with(0, EpochProgress.SEQ_MAX + 1, 0, 0)),
                () -> assertThrows(IllegalArgumentException.class, () -> a.with(0, 1, -1, 0)),
                () -> assertThrows(IllegalArgumentException.class,
                        () -> EpochProgress.of(EPOCH, new long[] {0}, new int[] {1}, new int[] {0}), "counts without a word"),
                () -> assertThrows(IllegalArgumentException.class,
                        () -> EpochProgress.of(EPOCH, new long[] {1, 1}, new int[] {0}, new int[] {0, 0})));
    }

    @Property
    void mergeIsCommutativeAssociativeAndIdempotent(@ForAll("values") EpochProgress a, @ForAll("values") EpochProgress b,
                                                   @ForAll("values") EpochProgress c) {
        assertEquals(a.merge(b), b.merge(a));
        assertEquals(a.merge(b).merge(c), a.merge(b.merge(c)));
        assertEquals(a, a.merge(a));
    }

    /**
     * Values of one epoch of 4 members whose words are each drawn from a member's own history (its
     * n-th publication always says the same), as gossip would have them.
     */
    @Provide
    Arbitrary<EpochProgress> values() {
        Arbitrary<Integer> seq = Arbitraries.integers().between(0, 5);
        return Combinators.combine(seq, seq, seq, seq).as((s0, s1, s2, s3) -> {
            int[] seqs = {s0, s1, s2, s3};
            EpochProgress p = EpochProgress.empty(EPOCH, 4);
            for (int i = 0; i < 4; i++) {
                if (seqs[i] > 0) {
                    p = p.with(i, seqs[i], 5 - seqs[i], i); // the same word for the same (member, seq)
                }
            }
            return p;
        });
    }
}
