package dev.grapevine.core.swim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuspicionTest {

    /**
     * Hand-computed: timeout(c) = max(min, floor(max - (max - min) * log(c + 1) / log(k + 1))). With
     * min = 4000, max = 24000, k = 2: c = 1 gives 24000 - 20000 * 0.6309297... = 11381.4 -> 11381.
     */
    @ParameterizedTest(name = "min={0} max={1} k={2} c={3} -> {4}")
    @CsvSource({
            "4000, 24000, 2, 0, 24000",
            "4000, 24000, 2, 1, 11381",
            "4000, 24000, 2, 2, 4000",
            "4000, 24000, 2, 3, 4000",
            "4000, 24000, 0, 0, 4000",
            "4000, 24000, 0, 5, 4000",
            // k = 1: one confirmation is all of them
            "4000, 24000, 1, 0, 24000",
            "4000, 24000, 1, 1, 4000",
            // k = 3: 24000 - 20000 * log 2 / log 4 = 14000; 24000 - 20000 * log 3 / log 4 = 8150.3...
            "4000, 24000, 3, 1, 14000",
            "4000, 24000, 3, 2, 8150",
            "4000, 24000, 3, 3, 4000",
    })
    void timeoutTable(long min, long max, int k, int c, long expected) {
        assertEquals(expected, Suspicion.timeoutMillis(min, max, k, c));
    }

    /** k = suspicionMult - 2 = 2, or 0 when n - 2 < k (too few members to confirm). */
    @ParameterizedTest(name = "suspicionMult=4, n={0} -> {1}")
    @CsvSource({"1, 0", "2, 0", "3, 0", "4, 2", "5, 2", "100, 2"})
    void expectedConfirmationsTable(int n, int expected) {
        assertEquals(expected, Suspicion.expectedConfirmations(4, n));
    }

    @Test
    void expectedConfirmationsIsNeverNegative() {
        assertEquals(0, Suspicion.expectedConfirmations(1, 10));
        assertEquals(0, Suspicion.expectedConfirmations(2, 10));
    }

    @Test
    void confirmIgnoresTheFirstAccuserAndDuplicatesAndStopsAtK() {
        Suspicion s = new Suspicion(1, 0, "A", 1_000, 4_000, 24_000, 2);
        assertEquals(1_000 + 24_000, s.deadlineMillis());

        assertFalse(s.confirm("A"), "the first accuser");
        assertEquals(0, s.confirmations());
        assertTrue(s.confirm("B"));
        assertEquals(1_000 + 11_381, s.deadlineMillis());
        assertFalse(s.confirm("B"), "a duplicate");
        assertTrue(s.confirm("C"));
        assertEquals(1_000 + 4_000, s.deadlineMillis());
        assertFalse(s.confirm("D"), "beyond k");

        assertEquals(2, s.confirmations());
        assertEquals(1_000 + 4_000, s.deadlineMillis());
        assertEquals("A", s.firstAccuser());
    }

    @Test
    void withNoExpectedConfirmationsTheDeadlineIsMinAtOnce() {
        Suspicion s = new Suspicion(1, 0, "A", 500, 4_000, 24_000, 0);

        assertEquals(500 + 4_000, s.deadlineMillis());
        assertFalse(s.confirm("B"));
    }

    @Test
    void suspicionIsAboutOneEpochAndIncarnation() {
        Suspicion s = new Suspicion(3, 7, "A", 0, 4_000, 24_000, 2);

        assertTrue(s.isAbout(3, 7));
        assertFalse(s.isAbout(3, 8));
        assertFalse(s.isAbout(4, 7));
    }

    /** With a quorum of 3 of 4 corroborators: none below 4 live members (the suspect and 3 possible accusers), none without corroborators. */
    @ParameterizedTest(name = "quorum 3, corroborators {0}, n={1} -> {2}")
    @CsvSource({"4, 3, 0", "4, 4, 3", "4, 50, 3", "0, 50, 0", "1, 5, 3"})
    void quorumForTable(int corroborators, int n, int expected) {
        assertEquals(expected, Suspicion.quorumFor(3, corroborators, n));
    }

    /** Accusers (the first included) against the deadline, from a start at 0, min 4000, max 24000, k 2, quorum 3, window 500. */
    @ParameterizedTest(name = "{0} accusers -> deadline {1}, quorum met {2}")
    @CsvSource({"1, 24000, false", "2, 11381, false", "3, 500, true", "4, 500, true"})
    void quorumDeadlineTable(int accusers, long deadline, boolean met) {
        Suspicion s = new Suspicion(1, 0, "a0", 0, 4_000, 24_000, 2, 3, 500);
        for (int i = 1; i < accusers; i++) {
            assertEquals(i < 3, s.confirm("a" + i), "counted only while either deadline can use it");
        }
        assertEquals(deadline, s.deadlineMillis());
        assertEquals(met, s.quorumMet());
    }

    @Test
    void aQuorumLargerThanKStillCountsItsAccusersButLifeguardStopsAtK() {
        Suspicion s = new Suspicion(1, 0, "a0", 0, 4_000, 24_000, 1, 4, 700);
        assertTrue(s.confirm("a1"));
        assertEquals(4_000, s.deadlineMillis(), "k = 1: one confirmation is all Lifeguard uses");
        assertTrue(s.confirm("a2"));
        assertTrue(s.confirm("a3"));
        assertFalse(s.confirm("a4"), "beyond what either deadline uses");
        assertEquals(700, s.deadlineMillis());
    }
}
