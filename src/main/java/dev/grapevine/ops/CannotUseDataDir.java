package dev.grapevine.ops;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The agent cannot write its data dir (read-only file system, no permission, a file where the
 * directory should be, a full disk): one line naming the directory, the flag and key that set it,
 * and why. A node that cannot record its epoch could reuse one after a restart, so it does not start.
 * Its own exit code, 73 (sysexits' EX_CANTCREAT), so a supervisor or an operator tells it from bad
 * flags (2) and from a port in use (1): the flags are right, the disk is not.
 */
final class CannotUseDataDir extends RuntimeException {
    static final int EXIT_CODE = 73;

    CannotUseDataDir(Path dir, String reason) {
        super("cannot use the data dir " + dir + " (--data-dir / grapevine.node.data-dir): " + reason, null, false, false);
    }

    /**
     * Fails unless {@code dir} is (or can be made) a directory this process can create, write, flush
     * and remove a file in: what the node does first, before its actor system starts and logs.
     */
    static void probe(Path dir) {
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new CannotUseDataDir(dir, "it is a file, not a directory");
            }
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-probe", ".tmp");
            try (var ch = java.nio.channels.FileChannel.open(probe, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}));
                ch.force(true);
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            throw new CannotUseDataDir(dir, reason(e));
        }
    }

    /** "read-only file system", "permission denied", "no space left on device": the OS's words, not the path again. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied (not writable by this user)";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " is a file, not a directory";
        }
        if (e instanceof java.nio.file.NoSuchFileException f && f.getReason() == null) { // its message is only the path
            return "cannot create " + f.getFile() + " (no such file or directory)";
        }
        String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        if (why == null || why.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return Character.toLowerCase(why.charAt(0)) + why.substring(1);
    }
}
