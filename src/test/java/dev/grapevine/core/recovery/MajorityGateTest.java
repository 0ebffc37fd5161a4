package dev.grapevine.core.recovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MajorityGateTest {

    private static List<String> names(String spaced) {
        return spaced.isBlank() ? List.of() : Arrays.asList(spaced.trim().split(" +"));
    }

    @ParameterizedTest(name = "reference [{0}], live [{1}] -> {2}")
    @CsvSource({
            "'',          'a',          true",   // no reference yet: the first epoch is admitted
            "'a b c d e', 'a b c',      true",   // 3 of 5
            "'a b c d e', 'd e',        false",  // the other side of the same split
            "'a b c d',   'a b',        false",  // 2 of 4 is not a majority: neither half writes
            "'a b c d',   'a b c',      true",
            "'a',         'a',          true",
            "'a',         'b',          false",
            "'a b c',     'a b x y z',  true",   // newcomers do not count, but two of three old ones do
            "'a b c',     'a x y z',    false",  // newcomers cannot outvote the old majority
    })
    void aMajorityOfTheReferenceAdmits(String reference, String live, boolean admitted) {
        MajorityGate gate = new MajorityGate(names(reference));
        MajorityGate.Verdict v = gate.check(names(live));
        assertEquals(admitted, v.admitted(), String.valueOf(v.reason()));
        assertEquals(admitted, v.reason() == null);
    }

    @Test
    void aClusterThatShrinksOneCrashAtATimeKeepsWriting() {
        MajorityGate gate = new MajorityGate(names("a b c d e"));
        assertTrue(gate.onEpochComplete(names("a b c d")).admitted());
        assertTrue(gate.onEpochComplete(names("a b c")).admitted());
        assertTrue(gate.onEpochComplete(names("a b")).admitted());
        assertEquals(Set.of("a", "b"), gate.reference());
    }

    @Test
    void theMinoritySideKeepsTheOldReferenceSoItCanNeverAdmitItself() {
        MajorityGate minority = new MajorityGate(names("a b c d e"));
        MajorityGate.Verdict v = minority.onEpochComplete(names("d e"));
        assertFalse(v.admitted());
        assertTrue(v.reason().contains("sees 2 of the 5"), v.reason());
        // however many epochs the minority forms among itself, none is admitted
        assertFalse(minority.onEpochComplete(names("d e")).admitted());
        assertFalse(minority.onEpochComplete(names("e")).admitted());
        assertEquals(names("a b c d e"), List.copyOf(minority.reference()));
        // healed: the whole cluster's epoch is admitted again
        assertTrue(minority.onEpochComplete(names("a b c d e")).admitted());
    }

    @Test
    void aWriteIsCheckedAgainstWhatTheNodeSeesNowEvenBeforeTheNextEpoch() {
        MajorityGate gate = new MajorityGate(List.of());
        assertTrue(gate.onEpochComplete(names("a b c d e")).admitted());
        assertFalse(gate.check(names("a b")).admitted());
        assertTrue(gate.check(names("a b c")).admitted());
    }

    /**
     * After a split, failure detection spreads over seconds, so the smaller side forms a few epochs in
     * a row, each a majority of the one before. Those still list members of the other side, so they
     * never complete there, and the reference does not step down with them: the side alone holds no
     * majority of it.
     */
    @Test
    void epochsThatNeverCompleteDoNotWalkTheReferenceDownToTheMinority() {
        MajorityGate gate = new MajorityGate(List.of());
        List<String> all = names("a b c d e f g h i j");
        assertTrue(gate.onEpoch(all).admitted()); // the first epoch is the reference as it forms
        assertEquals(all, List.copyOf(gate.reference()));
        assertTrue(gate.onEpoch(names("a b c d e f g h")).admitted());   // 8 of 10: two of the others noticed gone
        assertTrue(gate.onEpoch(names("a b c d e f")).admitted());       // 6 of 10
        assertFalse(gate.onEpoch(names("a b c d")).admitted());          // the side alone: 4 of 10
        assertFalse(gate.onEpochComplete(names("a b c d")).admitted());  // and it completes: still refused
        assertFalse(gate.check(names("a b c d")).admitted());
        assertEquals(all, List.copyOf(gate.reference()));
    }
}
