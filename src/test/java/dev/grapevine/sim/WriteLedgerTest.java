package dev.grapevine.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What counts as a superseded acknowledged write: replaced by a write that could not have seen it. */
class WriteLedgerTest {

    /** Two writes of key k: the first acknowledged, the second (newer by last-write-wins) stored. */
    private static long[] superseded(int firstSplit, int firstSide, long firstIssued, long firstAcked, int ackSplit, int ackSide,
                                     boolean firstAcknowledged, int nextSplit, int nextSide, long nextIssued, boolean nextStored,
                                     boolean nextAcknowledged) {
        WriteLedger ledger = new WriteLedger();
        ledger.issue(1, "k", new SimRecord(100, "a", false, 1), firstIssued, firstSplit, firstSide);
        ledger.stored(1);
        if (firstAcknowledged) {
            ledger.acked(1, firstAcked, ackSplit, ackSide);
        }
        ledger.issue(2, "k", new SimRecord(200, "b", false, 2), nextIssued, nextSplit, nextSide);
        if (nextStored) {
            ledger.stored(2);
        }
        if (nextAcknowledged) {
            ledger.acked(2, nextIssued + 5, nextSplit, nextSide);
        }
        return new long[] {ledger.superseded(false), ledger.superseded(true)};
    }

    @Test
    void aWriteTakenAfterTheAckWithNoSplitReplacesItLegitimately() {
        assertEquals(0, superseded(0, 0, 0, 10, 0, 0, true, 0, 0, 20, true, true)[0]);
    }

    @Test
    void aWriteTakenBeforeTheAckIsConcurrent() {
        long[] n = superseded(0, 0, 0, 10, 0, 0, true, 0, 0, 5, true, false);
        assertEquals(1, n[0]);
        assertEquals(0, n[1]); // its replacement was not acknowledged
    }

    @Test
    void aWriteOfTheOtherSideOfTheSameSplitIsConcurrent() {
        long[] n = superseded(1, 1, 0, 10, 1, 1, true, 1, 0, 5_000, true, true);
        assertEquals(1, n[0]);
        assertEquals(1, n[1]);
    }

    @Test
    void aWriteInFlightAtTheSplitAndAcknowledgedOnOneSideIsConcurrentWithTheOtherSide() {
        assertEquals(1, superseded(0, 0, 0, 10, 1, 1, true, 1, 0, 5_000, true, true)[0]);
    }

    @Test
    void aWriteOfTheSameSideOrAfterTheHealIsNot() {
        assertEquals(0, superseded(1, 1, 0, 10, 1, 1, true, 1, 1, 5_000, true, true)[0]);
        assertEquals(0, superseded(1, 1, 0, 10, 1, 1, true, 0, 0, 50_000, true, true)[0]);
    }

    @Test
    void aWriteNeverAcknowledgedIsNotSupersededAndAReplacementNeverStoredSupersedesNothing() {
        assertEquals(0, superseded(1, 1, 0, 10, 1, 1, false, 1, 0, 5_000, true, true)[0]);
        assertEquals(0, superseded(1, 1, 0, 10, 1, 1, true, 1, 0, 5_000, false, false)[0]);
    }
}
