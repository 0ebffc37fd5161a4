package dev.grapevine.kv;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store on a disk that fills up: a commit the disk refuses fails with the disk's words (so the
 * writes it carried are not acknowledged), reads keep working, every committed key survives, and
 * after space is freed the same store takes writes again; reopening the file reads everything back.
 */
class KvStoreFullDiskTest {

    @TempDir
    Path dir;

    @AfterEach
    void freeTheDisk() {
        FullDiskFiles.FULL.set(false);
    }

    private static KvRecord put(long hlc, String value) {
        return KvRecord.put(hlc, "n1", value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRefusedCommitLosesNothingCommittedAndTheStoreRecoversWithoutARestart() {
        Path file = dir.resolve("kv.mv.db");
        try (KvStore store = KvStore.open(file, 10, FullDiskFiles.prefix())) {
            for (int i = 0; i < 50; i++) {
                store.apply(i % 4, "acked-" + i, put(1, "v" + i));
            }
            store.commit();
            assertNull(store.unwritable());

            FullDiskFiles.FULL.set(true);
            store.apply(0, "unacked", put(2, "never committed"));
            KvStore.Unwritable refused = assertThrows(KvStore.Unwritable.class, store::commit);
            assertTrue(refused.getMessage().startsWith("cannot write the key-value store " + file + ": "), refused.getMessage());
            assertEquals("No space left on device", store.unwritable());
            assertFalse(store.checkWritable(), "still full");

            assertEquals(put(1, "v7"), store.get(3, "acked-7"), "reads keep working");
            assertNull(store.get(0, "unacked"), "what was not committed was never acknowledged, and is gone");

            FullDiskFiles.FULL.set(false); // space freed
            assertTrue(store.checkWritable());
            assertNull(store.unwritable());
            store.apply(1, "after", put(3, "back"));
            store.commit();
        }
        try (KvStore reopened = KvStore.open(file, 10, FullDiskFiles.prefix())) {
            for (int i = 0; i < 50; i++) {
                assertEquals(put(1, "v" + i), reopened.get(i % 4, "acked-" + i));
            }
            assertEquals(put(3, "back"), reopened.get(1, "after"));
            assertEquals(51, reopened.keyCount());
        }
    }

    @Test
    void closingOnAFullDiskKeepsTheLastCommit() {
        Path file = dir.resolve("kv.mv.db");
        try (KvStore store = KvStore.open(file, 10, FullDiskFiles.prefix())) {
            store.apply(0, "k", put(1, "kept"));
            store.commit();
            store.apply(0, "k", put(2, "lost"));
            FullDiskFiles.FULL.set(true);
        } // close() cannot commit: it must not throw
        FullDiskFiles.FULL.set(false);
        try (KvStore reopened = KvStore.open(file, 10)) {
            assertEquals(put(1, "kept"), reopened.get(0, "k"));
        }
    }
}
