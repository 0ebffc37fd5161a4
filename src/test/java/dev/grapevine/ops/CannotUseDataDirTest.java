package dev.grapevine.ops;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reason a data dir cannot be used, in the operating system's words and without the path twice. */
class CannotUseDataDirTest {

    @Test
    void reasonsAreTheOperatingSystemsWords() {
        assertEquals("read-only file system",
                CannotUseDataDir.reason(new FileSystemException("/d/x.tmp", null, "Read-only file system")));
        assertEquals("no space left on device",
                CannotUseDataDir.reason(new FileSystemException("/d/x.tmp", null, "No space left on device")));
        assertEquals("permission denied (not writable by this user)",
                CannotUseDataDir.reason(new AccessDeniedException("/d/x.tmp")));
        assertEquals("IOException", CannotUseDataDir.reason(new IOException()));
        // mkdir under /proc, say: the exception's message is only the path, which the line names already.
        assertEquals("cannot create /proc/x (no such file or directory)",
                CannotUseDataDir.reason(new java.nio.file.NoSuchFileException("/proc/x")));
    }
}
