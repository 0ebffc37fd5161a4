package dev.grapevine.core.node;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a node's load is worth a rumor, and how the tag reads. */
class LoadTagTest {
    private static final long INTERVAL = LoadTag.PUBLISH_INTERVAL_MIN_MILLIS;

    @Test
    void theFirstLoadIsPublishedAtOnce() {
        assertTrue(new LoadTag().due(0, 8192, 5));
    }

    @Test
    void noMoreThanOneChangeAnIntervalHoweverLarge() {
        LoadTag tag = new LoadTag();
        assertTrue(tag.due(100, 1000, 0));
        assertFalse(tag.due(1_000_000, 1_000_000, INTERVAL - 1));
        assertTrue(tag.due(1_000_000, 1_000_000, INTERVAL));
    }

    @Test
    void smallChangesAreNotWorthARumor() {
        LoadTag tag = new LoadTag();
        assertTrue(tag.due(1000, 100_000, 0));
        assertFalse(tag.due(1000, 100_000, INTERVAL), "unchanged");
        assertFalse(tag.due(1040, 104_000, 2 * INTERVAL), "4 % is within the threshold");
        assertTrue(tag.due(1060, 100_000, 3 * INTERVAL), "6 % more keys");
        assertFalse(tag.due(1060, 100_000, 5 * INTERVAL), "measured against the last published, not the last seen");
    }

    @Test
    void fromNothingOrUnknownToSomethingIsAlwaysNews() {
        LoadTag tag = new LoadTag();
        assertTrue(tag.due(0, -1, 0));
        assertTrue(tag.due(1, -1, INTERVAL));
        assertTrue(tag.due(1, 10, 2 * INTERVAL), "bytes became known");
        assertTrue(tag.due(1, -1, 3 * INTERVAL), "bytes became unknown");
    }

    @Test
    void theTagReadsBackAndAnythingElseIsUnknown() {
        assertArrayEquals(new long[]{2000, 5_767_168}, LoadTag.parse(Map.of(LoadTag.KEY, LoadTag.format(2000, 5_767_168))));
        assertArrayEquals(new long[]{7, -1}, LoadTag.parse(Map.of(LoadTag.KEY, LoadTag.format(7, -1))));
        assertNull(LoadTag.parse(Map.of()));
        assertNull(LoadTag.parse(Map.of(LoadTag.KEY, "lots")));
        assertNull(LoadTag.parse(Map.of(LoadTag.KEY, "1,2,3")));
    }
}
