package dev.grapevine.kv;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HlcTest {
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void packsPhysicalMillisAboveA16BitLogicalCounter() {
        long ts = Hlc.of(T0, 7);
        assertEquals(T0, Hlc.physicalMillis(ts));
        assertEquals(7, Hlc.logical(ts));
        assertEquals((T0 << 16) | 7, ts);
        assertEquals("2023-11-14T22:13:20Z#7", Hlc.toString(ts));
    }

    @Test
    void followsTheWallClockWhenItMovesForward() {
        Hlc clock = new Hlc(60_000);
        assertEquals(Hlc.of(T0, 0), clock.now(T0));
        assertEquals(Hlc.of(T0, 1), clock.now(T0));
        assertEquals(Hlc.of(T0 + 5, 0), clock.now(T0 + 5));
    }

    @Test
    void staysMonotonicWhenTheWallClockGoesBackwards() {
        Hlc clock = new Hlc(60_000);
        long previous = clock.now(T0);
        long[] walls = {T0 - 1, T0 - 10_000, T0, T0 + 1, T0 - 3, 0};
        for (long wall : walls) {
            long ts = clock.now(wall);
            assertTrue(ts > previous, Hlc.toString(ts) + " after " + Hlc.toString(previous));
            previous = ts;
        }
        assertEquals(T0 + 1, Hlc.physicalMillis(previous)); // the clock did not follow the wall back
    }

    @Test
    void sortsAfterAnObservedLaterRemoteTimestamp() {
        Hlc clock = new Hlc(60_000);
        clock.now(T0);
        long remote = Hlc.of(T0 + 2_000, 41); // a peer whose clock is 2 s ahead, within the limit
        clock.observe(remote, T0);
        assertEquals(remote, clock.last());
        assertEquals(remote + 1, clock.now(T0 + 1));
        assertEquals(Hlc.of(T0 + 2_001, 0), clock.now(T0 + 2_001)); // wall clock catches up
    }

    @Test
    void ignoresAnObservedEarlierRemoteTimestamp() {
        Hlc clock = new Hlc(60_000);
        long mine = clock.now(T0);
        clock.observe(Hlc.of(T0 - 500, 3), T0);
        assertEquals(mine, clock.last());
        assertEquals(mine + 1, clock.now(T0));
    }

    @Test
    void refusesARemoteTimestampTooFarAhead() {
        Hlc clock = new Hlc(60_000);
        long mine = clock.now(T0);
        clock.observe(Hlc.of(T0 + 60_000, 0), T0); // exactly at the limit: accepted
        long forged = Hlc.of(T0 + 60_001, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> clock.observe(forged, T0));
        assertTrue(e.getMessage().contains(Hlc.toString(forged)), e.getMessage());
        assertTrue(e.getMessage().contains(Long.toString(T0)), e.getMessage());
        assertTrue(e.getMessage().contains("60000 ms"), e.getMessage());
        assertEquals(Hlc.of(T0 + 60_000, 0), clock.last()); // unchanged by the refusal
        assertTrue(clock.now(T0) > mine);
    }

    @Test
    void aFullLogicalCounterCarriesIntoThePhysicalPart() {
        Hlc clock = new Hlc(60_000);
        clock.observe(Hlc.of(T0, Hlc.LOGICAL_MAX - 1), T0);
        assertEquals(Hlc.of(T0, Hlc.LOGICAL_MAX), clock.now(T0));
        long carried = clock.now(T0);
        assertEquals(Hlc.of(T0 + 1, 0), carried);
        assertEquals(Hlc.of(T0 + 1, 1), clock.now(T0));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new Hlc(-1));
        Hlc clock = new Hlc(1_000);
        assertThrows(IllegalArgumentException.class, () -> clock.now(-1));
        assertThrows(IllegalArgumentException.class, () -> clock.now(Hlc.PHYSICAL_MILLIS_MAX + 1));
        assertThrows(IllegalArgumentException.class, () -> clock.observe(-5, T0));
        assertThrows(IllegalArgumentException.class, () -> Hlc.of(T0, Hlc.LOGICAL_MAX + 1));
        assertEquals(0, clock.last()); // refusals changed nothing
    }
}
