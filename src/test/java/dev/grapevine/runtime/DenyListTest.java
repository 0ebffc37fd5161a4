package dev.grapevine.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DenyListTest {
    private static final BigInteger SERIAL = new BigInteger("0a1b2c", 16);

    @Test
    void namesAndSerialsWithCommentsAreReadAgainWhenTheFileChanges(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("deny");
        DenyList deny = new DenyList(file, 1000);
        assertNull(deny.refresh(0));
        assertFalse(deny.denies("n3", SERIAL), "a missing file denies nothing");

        Files.writeString(file, "# revoked\nn3   # lost laptop\n\n0A:1B:2C\n");
        assertNull(deny.refresh(500));
        assertFalse(deny.denies("n3", null), "not looked at again before its interval");
        assertNull(deny.refresh(1000));
        assertTrue(deny.denies("n3", null));
        assertTrue(deny.denies("n1", SERIAL));
        assertFalse(deny.denies("n1", BigInteger.TEN));
        assertEquals(2, deny.size());

        Files.writeString(file, "0x0a1b2c\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
        assertNull(deny.refresh(2000));
        assertFalse(deny.denies("n3", null));
        assertTrue(deny.denies("n1", SERIAL));
    }
}
