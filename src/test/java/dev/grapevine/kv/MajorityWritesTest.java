package dev.grapevine.kv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The majority rule's reference survives a restart: a restarted node on the minority side does not admit itself. */
class MajorityWritesTest {

    @TempDir
    Path dir;

    @Test
    void aRestartedMinorityNodeCountsAgainstTheReferenceItSavedBefore() {
        Path file = dir.resolve(MajorityWrites.FILE);
        MajorityWrites before = MajorityWrites.load(file);
        assertNull(before.onEpoch(List.of("a", "b", "c", "d", "e")), "a new cluster's first epoch is admitted");
        assertTrue(before.onEpoch(List.of("d", "e")) != null, "the minority's epoch is not");

        MajorityWrites restarted = MajorityWrites.load(file); // a new process on the minority side
        String refused = restarted.onEpoch(List.of("d", "e"));
        assertTrue(refused != null && refused.contains("sees 2 of the 5"), refused);
        assertTrue(restarted.refusal(List.of("d", "e")) != null);
        assertNull(restarted.refusal(List.of("c", "d", "e")), "once it sees a majority again, it writes");
    }

    @Test
    void onlyAnEpochCompleteEverywhereMovesTheSavedReference() {
        Path file = dir.resolve(MajorityWrites.FILE);
        MajorityWrites node = MajorityWrites.load(file);
        assertNull(node.onEpoch(List.of("a", "b", "c", "d", "e")));
        assertNull(node.onEpoch(List.of("a", "b", "c")), "a majority of the reference: admitted");
        assertEquals(List.of("a", "b", "c", "d", "e"), List.copyOf(MajorityWrites.load(file).reference()),
                "formed, not complete: the reference stays");
        assertNull(node.onEpochComplete(List.of("a", "b", "c")));
        MajorityWrites restarted = MajorityWrites.load(file);
        assertEquals(List.of("a", "b", "c"), List.copyOf(restarted.reference()));
        assertTrue(restarted.refusal(List.of("c", "d", "e")) != null, "one of the three it now counts against");
    }

    @Test
    void withoutADataDirTheReferenceIsKeptInMemory() {
        MajorityWrites memory = MajorityWrites.load(null);
        assertNull(memory.onEpoch(List.of("a", "b", "c")));
        assertTrue(memory.refusal(List.of("c")) != null);
    }

    @Test
    void anUnreadableReferenceIsOneLineNamingTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve(MajorityWrites.FILE), "{not json");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> MajorityWrites.load(file));
        assertTrue(e.getMessage().contains("cannot read the majority reference " + file), e.getMessage());
        assertEquals(List.of(), MajorityWrites.read(dir.resolve("absent.json")));
    }
}
