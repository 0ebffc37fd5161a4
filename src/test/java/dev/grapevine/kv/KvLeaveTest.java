package dev.grapevine.kv;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store's part in a leave: hints fold into the partitions, and a drop spares what changed since the hand-off began. */
class KvLeaveTest {

    private static KvRecord put(long hlc, String value) {
        return KvRecord.put(hlc, "w", value.getBytes(StandardCharsets.UTF_8));
    }

    private static String valueOf(KvRecord r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    @Test
    void hintsFoldIntoThePartitionsLastWriteWins() {
        try (KvStore store = KvStore.open(null, 100)) {
            store.apply(1, "kept-newer", put(20, "stored"));
            store.apply(1, "hint-newer", put(10, "stored"));
            assertTrue(store.addHint("b", 1, "kept-newer", put(15, "hinted")));
            assertTrue(store.addHint("b", 1, "hint-newer", put(30, "hinted")));
            assertTrue(store.addHint("c", 7, "only-hinted", put(5, "hinted")));
            store.commit();

            KvRecoverable domain = new KvRecoverable(store);
            assertEquals(3, domain.prepareToLeave());

            assertEquals(0, store.hintCount(), "the hints moved");
            assertEquals("stored", valueOf(store.get(1, "kept-newer")), "an older hint does not overwrite");
            assertEquals("hinted", valueOf(store.get(1, "hint-newer")));
            assertEquals("hinted", valueOf(store.get(7, "only-hinted")));
            assertTrue(domain.partitions().contains(7), "the hint's partition is now held, so it is handed off");
            assertEquals(0, domain.prepareToLeave(), "nothing left to move");
        }
    }

    @Test
    void hintsFoldInBatchesBeyondOne() {
        try (KvStore store = KvStore.open(null, HintFold.BATCH * 2 + 10)) {
            int hints = HintFold.BATCH + 5;
            for (int i = 0; i < hints; i++) {
                assertTrue(store.addHint("b", i % 4, "k" + i, put(i + 1, "v" + i)));
            }
            store.commit();
            assertEquals(hints, HintFold.fold(store));
            assertEquals(0, store.hintCount());
            assertEquals("v" + (hints - 1), valueOf(store.get((hints - 1) % 4, "k" + (hints - 1))));
        }
    }

    /** What the hand-off read is dropped; a write that landed after the read, new key or newer version, stays. */
    @Test
    void aLateWriteSurvivesTheDrop() {
        try (KvStore store = KvStore.open(null, 10)) {
            KvRecoverable domain = new KvRecoverable(store);
            store.apply(2, "delivered", put(1, "old"));
            store.apply(2, "overwritten", put(1, "old"));
            store.commit();
            Map<String, Long> delivered = domain.digests(2); // the hand-off begins

            store.apply(2, "late", put(5, "late"));
            store.apply(2, "overwritten", put(6, "newer"));
            store.commit();
            domain.drop(2, delivered);

            assertNull(store.get(2, "delivered"));
            assertEquals("late", valueOf(store.get(2, "late")));
            assertEquals("newer", valueOf(store.get(2, "overwritten")));
            assertTrue(domain.partitions().contains(2), "kept for the next hand-off");

            domain.drop(2, domain.digests(2));
            assertFalse(domain.partitions().contains(2), "an emptied partition is gone");
        }
    }
}
