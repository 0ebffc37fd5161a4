package dev.grapevine.runtime;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The revoked certificates ({@code grapevine.tls.deny-file}): one entry a line, {@code #} starts a
 * comment. An entry denies a certificate whose node name equals it, or whose serial number it is
 * (hexadecimal, colons and a {@code 0x} prefix allowed, any case). The file is read again when its
 * modification time changes, looked at no more often than every {@code checkEveryMillis}, so a
 * revocation takes effect within that while the node runs. A missing file denies nothing; an
 * unreadable one keeps the last list (and the caller logs it). At most {@link #ENTRIES_MAX} entries.
 */
final class DenyList {
    static final int ENTRIES_MAX = 100_000;

    private final Path file;
    private final long checkEveryMillis;
    private volatile Set<String> entries = Set.of();
    /** The entries as serial numbers would print them ({@link #serialText}), read once per file change. */
    private volatile Set<String> serials = Set.of();
    private FileTime readAt;
    private long checkedAtMillis = Long.MIN_VALUE;

    DenyList(Path file, long checkEveryMillis) {
        this.file = file;
        this.checkEveryMillis = checkEveryMillis;
    }

    /** A list that denies nothing. */
    static DenyList none() {
        return new DenyList(null, Long.MAX_VALUE);
    }

    /**
     * Reads the file again if it is due and changed. @return a problem to log, or null
     */
    synchronized String refresh(long nowMillis) {
        if (file == null || (checkedAtMillis != Long.MIN_VALUE && nowMillis - checkedAtMillis < checkEveryMillis)) {
            return null;
        }
        checkedAtMillis = nowMillis;
        try {
            if (!Files.exists(file)) {
                entries = Set.of();
                serials = Set.of();
                readAt = null;
                return null;
            }
            FileTime mtime = Files.getLastModifiedTime(file);
            if (mtime.equals(readAt)) {
                return null;
            }
            Set<String> read = new HashSet<>();
            for (String line : Files.readAllLines(file)) {
                int hash = line.indexOf('#');
                String entry = (hash >= 0 ? line.substring(0, hash) : line).trim();
                if (!entry.isEmpty() && read.size() < ENTRIES_MAX) {
                    read.add(entry);
                }
            }
            Set<String> asSerials = new HashSet<>();
            read.forEach(e -> asSerials.add(serialText(e)));
            entries = Set.copyOf(read);
            serials = Set.copyOf(asSerials);
            readAt = mtime;
            return null;
        } catch (IOException e) {
            return "cannot read the deny file " + file + " (" + e.getMessage() + "); keeping the last list";
        }
    }

    /** Whether a certificate of node {@code name} with serial number {@code serial} is denied. */
    boolean denies(String name, BigInteger serial) {
        Set<String> now = entries;
        if (now.isEmpty()) {
            return false;
        }
        if (name != null && now.contains(name)) {
            return true;
        }
        if (serial == null) {
            return false;
        }
        return serials.contains(serial.toString(16));
    }

    /** An entry as {@link BigInteger#toString(int) toString(16)} prints a serial: lower case, no colons, 0x or leading zeros. */
    static String serialText(String entry) {
        String s = entry.toLowerCase(Locale.ROOT).replace(":", "");
        if (s.startsWith("0x")) {
            s = s.substring(2);
        }
        return s.replaceFirst("^0+(?=.)", "");
    }

    int size() {
        return entries.size();
    }
}
