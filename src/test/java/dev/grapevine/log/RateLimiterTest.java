package dev.grapevine.log;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The windowed limiter, driven by hand: time is an argument. */
class RateLimiterTest {
    private static final long WINDOW = 60_000;

    @Test
    void theFirstOfAKindIsShownAndTheRestOfItsWindowAreCountedForOneSummary() {
        RateLimiter<String> limiter = new RateLimiter<>(WINDOW, 16);
        assertTrue(limiter.admit("handshake", 1, "first", 0));
        for (int i = 1; i <= 37; i++) {
            assertFalse(limiter.admit("handshake", 1, "copy " + i, i * 1000L));
        }
        assertEquals(List.of(), limiter.due(WINDOW - 1), "the window is still open");
        List<RateLimiter.Held<String>> due = limiter.due(WINDOW);
        assertEquals(List.of(new RateLimiter.Held<>("handshake", 37, "copy 37", 0)), due);
        assertEquals(List.of(), limiter.due(WINDOW + 1), "a summary is handed back once");
        assertTrue(limiter.admit("handshake", 1, "again", WINDOW + 2), "after the summary a new window opens");
    }

    @Test
    void kindsAreLimitedApart() {
        RateLimiter<String> limiter = new RateLimiter<>(WINDOW, 16);
        assertTrue(limiter.admit("a", 1, "a", 0));
        assertTrue(limiter.admit("b", 1, "b", 0));
        assertFalse(limiter.admit("a", 1, "a", 10));
        assertEquals(List.of(new RateLimiter.Held<>("a", 1, "a", 0)), limiter.due(WINDOW));
    }

    @Test
    void aWindowThatHeldNothingEndsQuietlyAndTheNextIsShownAtOnce() {
        RateLimiter<String> limiter = new RateLimiter<>(WINDOW, 16);
        assertTrue(limiter.admit("a", 1, "a", 0));
        assertTrue(limiter.admit("a", 1, "a", WINDOW), "no summary was due: shown without one");
        assertEquals(List.of(), limiter.due(2 * WINDOW));
    }

    @Test
    void anOccurrenceAfterTheWindowButBeforeItsSummaryIsCountedInTheSummary() {
        RateLimiter<String> limiter = new RateLimiter<>(WINDOW, 16);
        limiter.admit("a", 1, "first", 0);
        limiter.admit("a", 1, "second", 10);
        assertFalse(limiter.admit("a", 1, "late", WINDOW + 5), "held: the summary has not been written yet");
        assertEquals(List.of(new RateLimiter.Held<>("a", 2, "late", 0)), limiter.due(WINDOW + 10));
    }

    @Test
    void weightsAreSummed() {
        RateLimiter<String> limiter = new RateLimiter<>(WINDOW, 16);
        assertTrue(limiter.admit("relays_refused", 3, "3", 0));
        limiter.admit("relays_refused", 5, "5", 1000);
        limiter.admit("relays_refused", 7, "7", 2000);
        assertEquals(12, limiter.due(WINDOW).get(0).count());
    }

    @Test
    void pastKeysMaxNewKindsAreCountedTogetherSoTheStateStaysBounded() {
        RateLimiter<String> limiter = new RateLimiter<>(WINDOW, 2);
        assertTrue(limiter.admit("a", 1, "a", 0));
        assertTrue(limiter.admit("b", 1, "b", 0));
        for (int i = 0; i < 1000; i++) {
            assertFalse(limiter.admit("kind " + i, 1, "kind " + i, 1));
        }
        assertEquals(3, limiter.size(), "two kinds and the overflow");
        assertEquals(List.of(new RateLimiter.Held<>(RateLimiter.OVERFLOW_KEY, 1000, "kind 999", 1)), limiter.due(WINDOW + 1));
        assertTrue(limiter.admit("c", 1, "c", WINDOW + 2), "ended windows make room");
    }

    @Test
    void badBoundsAreRefusedWithTheirValues() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new RateLimiter<String>(0, 1));
        assertTrue(e.getMessage().contains("0 ms"), e.getMessage());
    }
}
