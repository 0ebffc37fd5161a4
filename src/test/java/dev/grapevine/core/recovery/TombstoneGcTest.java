package dev.grapevine.core.recovery;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tombstone GC rule as a table: gc-grace 10 000 ms, hint window 1 000 ms, clocks within 100 ms (landing bound 1 100 ms). */
class TombstoneGcTest {
    private static final TombstoneGc GC = new TombstoneGc(10_000, 1_000, 100);
    private static final long NO = TombstoneGc.NO_PROOF;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                                  | tombstone | repaired since        | now    | purge
            not old enough, repaired                                 | 1000      | 5000                 | 10999  | false
            exactly gc-grace old is not older than gc-grace          | 1000      | 5000                 | 11000  | false
            old enough and repaired after it                         | 1000      | 5000                 | 11001  | true
            old enough, no repair proven                             | 1000      | -9223372036854775808 | 99999  | false
            repair started before the delete                         | 1000      | 900                  | 99999  | false
            repair started at the delete                             | 1000      | 1000                 | 99999  | false
            repair within the hint window after the delete           | 1000      | 2000                 | 99999  | false
            repair started right at the landing bound                | 1000      | 2100                 | 99999  | false
            repair started just past the landing bound               | 1000      | 2101                 | 99999  | true
            clock skew: repair 50 ms past the hint window, on a fast clock | 1000 | 2050                | 99999  | false
            routine round long after the delete                      | 1000      | 600000               | 700000 | true
            tombstone stamped in the future (fast writer)             | 5000      | 6000                 | 99999  | false
            """)
    void purgeable(String what, long tombstoneWallMillis, long repairedSinceWallMillis, long nowWallMillis, boolean purge) {
        assertEquals(purge, GC.purgeable(tombstoneWallMillis, repairedSinceWallMillis, nowWallMillis), what);
    }

    @Test
    void the_scan_bound_is_the_same_rule() {
        for (long t = 0; t < 20_000; t += 250) {
            for (long since : new long[] {NO, 0, 1_000, 2_101, 7_000, 15_000}) {
                for (long now : new long[] {5_000, 11_001, 20_000, 40_000}) {
                    assertEquals(GC.purgeable(t, since, now), t < GC.purgeBeforeWallMillis(since, now), t + " " + since + " " + now);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                            | last proven | now    | drop
            restarted at once                                  | 50000       | 51000  | false
            away a little under gc-grace less the margins      | 50000       | 58800  | false
            away past gc-grace less the margins                | 50000       | 58801  | true
            away for days                                      | 50000       | 999999 | true
            """)
    void staleAfterRejoin(String what, long lastProvenWallMillis, long nowWallMillis, boolean drop) {
        // 10 000 - 1 100 (landing bound) - 100 (skew between the proof's clocks and this one) = 8 800
        assertEquals(drop, GC.staleAfterRejoin(lastProvenWallMillis, nowWallMillis), what);
    }

    /**
     * The argument behind {@link TombstoneGc#staleAfterRejoin}: a node that missed a tombstone was last
     * proven before the tombstone's landing bound; the others purge only after gc-grace. Whatever the
     * times, a node that can rejoin after a purge is one the rule drops.
     */
    @Test
    void a_node_that_missed_a_purged_tombstone_always_counts_as_stale() {
        for (long t = 0; t <= 5_000; t += 500) {
            long lastProvenMax = t + GC.landingBoundMillis(); // proven any later, it would hold the tombstone
            for (long purgeAt = t; purgeAt < t + 30_000; purgeAt += 100) {
                if (GC.purgeable(t, purgeAt, purgeAt)) { // the proof at its best: a repair that started at the purge
                    for (long skew = -100; skew <= 100; skew += 100) {
                        assertTrue(GC.staleAfterRejoin(lastProvenMax + skew, purgeAt), t + " purged at " + purgeAt);
                    }
                    break;
                }
            }
        }
    }

    @Test
    void gc_grace_must_outlast_the_hint_window_and_the_clock_skew() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TombstoneGc(1_200, 1_000, 100));
        assertTrue(e.getMessage().contains("gc-grace must exceed hint-window + 2 x max-clock-ahead (1200 ms)"), e.getMessage());
        assertFalse(new TombstoneGc(1_201, 1_000, 100).purgeable(0, TombstoneGc.NO_PROOF, 1_000_000));
    }
}
