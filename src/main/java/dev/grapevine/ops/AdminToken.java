package dev.grapevine.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * The admin API's bearer token, read from a file: one line, trimmed, at least {@link #LENGTH_MIN}
 * characters. A file others may read is refused; one the owner's group may read is accepted with a
 * warning, because Kubernetes makes a mounted Secret group-readable whenever the pod sets fsGroup.
 */
final class AdminToken {
    /** Shorter is guessable; 16 random characters are far beyond a brute force over HTTP. */
    static final int LENGTH_MIN = 16;
    /** A token file is one line; a larger file is not one. */
    static final int FILE_BYTES_MAX = 4096;
    private static final Logger log = LoggerFactory.getLogger(AdminToken.class);

    private final byte[] digest;

    private AdminToken(String token) {
        this.digest = sha256(token);
    }

    /** @throws IllegalArgumentException with one line naming the file and the problem */
    static AdminToken read(Path file, String what) {
        String token = readToken(file, what);
        if (token.length() < LENGTH_MIN) {
            throw new IllegalArgumentException(what + " " + file + " holds " + token.length()
                    + " characters; a token needs at least " + LENGTH_MIN + " (e.g. `openssl rand -hex 32 > " + file + "`)");
        }
        checkPermissions(file, what);
        return new AdminToken(token);
    }

    /** The token a client sends: the file's trimmed text (the CLI side; no length or permission rules). */
    static String readToken(Path file, String what) {
        try {
            if (Files.size(file) > FILE_BYTES_MAX) {
                throw new IllegalArgumentException(what + " " + file + " takes more than " + FILE_BYTES_MAX
                        + " bytes; it should hold one token");
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new IllegalArgumentException(what + " " + file + " is empty; it should hold one token");
            }
            return token;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** True if {@code presented} is this token; the time taken does not depend on where they differ, nor on its length. */
    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    private static void checkPermissions(Path file, String what) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException notPosix) {
            return;
        }
        if (perms.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IllegalArgumentException(what + " " + file + " can be read by any user; `chmod 600 " + file + "`");
        }
        if (perms.contains(PosixFilePermission.GROUP_READ)) {
            log.warn("{} {} can be read by its group; `chmod 600 {}` unless the group is this agent's alone", what, file, file);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }
}
