package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A data dir whose disk fills up (or turns read-only) while the node runs: a failed write leaves the
 * old file whole and no half-written copy, is counted, and is refused or reported, not thrown at the
 * node; the next write after space is freed works.
 */
class DataDirFullDiskTest {

    /** Writes half of the bytes, then fails as a full disk does. */
    private static DataDir.TempWriter fillsUpWhen(AtomicBoolean full) {
        return (tmp, bytes) -> {
            if (full.get()) {
                Files.write(tmp, java.util.Arrays.copyOf(bytes, bytes.length / 2));
                throw new FileSystemException(tmp.toString(), null, "No space left on device");
            }
            Files.write(tmp, bytes);
        };
    }

    @Test
    void aFailedWriteLeavesTheOldFileWholeAndIsCounted(@TempDir Path dir) throws IOException {
        AtomicBoolean full = new AtomicBoolean();
        DataDir d = new DataDir(dir, fillsUpWhen(full));
        d.saveRuntimeTags(RuntimeTags.NONE.then(Map.of("role", "db"), java.util.Set.of()));
        d.savePeers(List.of(new Address("10.0.0.1", 7946)));
        String tagsBefore = Files.readString(dir.resolve("tags"));

        full.set(true);
        UncheckedIOException refused = assertThrows(UncheckedIOException.class,
                () -> d.saveRuntimeTags(RuntimeTags.NONE.then(Map.of("role", "cache"), java.util.Set.of())));
        assertEquals("cannot write " + dir.resolve("tags") + ": No space left on device", refused.getMessage());
        assertThrows(UncheckedIOException.class, () -> d.savePeers(List.of(new Address("10.0.0.2", 7946))));
        d.recordEpoch(5_000); // reported, not thrown: membership goes on
        d.saveRecoveryEpoch(Map.of("n1", 1L));

        assertEquals(tagsBefore, Files.readString(dir.resolve("tags")), "the old file is untouched");
        assertEquals(List.of(new Address("10.0.0.1", 7946)), new DataDir(dir).peers());
        assertEquals(Map.of("role", "db"), new DataDir(dir).runtimeTags().over(Map.of()));
        assertFalse(Files.exists(dir.resolve("recovery")), "no half-written file where there was none");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no half-written copy left behind");
        }
        assertEquals(4, d.writeFailures());

        full.set(false); // space freed: the next write works, no restart
        d.savePeers(List.of(new Address("10.0.0.3", 7946)));
        assertEquals(List.of(new Address("10.0.0.3", 7946)), new DataDir(dir).peers());
        assertEquals(4, d.writeFailures());
    }

    @Test
    void anEpochThatCannotBeRecordedStopsTheStart(@TempDir Path dir) {
        DataDir d = new DataDir(dir, fillsUpWhen(new AtomicBoolean(true)));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> d.nextEpoch(1_000));
        assertTrue(e.getMessage().endsWith("epoch: No space left on device"), e.getMessage());
    }
}
