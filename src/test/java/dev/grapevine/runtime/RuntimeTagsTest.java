package dev.grapevine.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Run-time tag changes: their precedence over the configured tags, and their file in the data dir. */
class RuntimeTagsTest {

    @Test
    void changesWinOverTheConfigForTheKeysTheyNameOnly() {
        RuntimeTags changes = RuntimeTags.NONE.then(Map.of("role", "web"), List.of("zone"));

        assertEquals(Map.of("role", "web", "dc", "eu"), changes.over(Map.of("role", "db", "zone", "a", "dc", "eu")));
    }

    @Test
    void theLaterChangeWinsAndADeletionIsRemembered() {
        RuntimeTags changes = RuntimeTags.NONE.then(Map.of("zone", "a", "role", "web"), List.of())
                .then(Map.of(), List.of("zone"))
                .then(Map.of("rack", "r1"), List.of());

        assertEquals(Map.of("role", "web", "rack", "r1"), changes.set());
        assertEquals(Set.of("zone"), changes.deleted());
        assertEquals(Map.of("zone", "b"), RuntimeTags.NONE.then(Map.of(), List.of("zone")).then(Map.of("zone", "b"), List.of()).set());
    }

    @Test
    void theFileReadsBackAfterARestart(@TempDir Path dir) {
        RuntimeTags changes = RuntimeTags.NONE.then(Map.of("role", "web", "note", "a \"quoted\" = value"), List.of("zone"));
        new DataDir(dir).saveRuntimeTags(changes);

        assertEquals(changes, new DataDir(dir).runtimeTags());
        assertEquals(RuntimeTags.NONE, new DataDir(dir.resolve("fresh")).runtimeTags());
    }

    @Test
    void aDamagedFileStopsTheStartWithItsName(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tags"), "role=web");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DataDir(dir).runtimeTags());

        assertTrue(e.getMessage().contains("tags file") && e.getMessage().contains("damaged"), e.getMessage());
    }
}
