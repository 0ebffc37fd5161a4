package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node keeps across restarts, in {@code grapevine.node.data-dir}: its last epoch, so the next
 * process takes a higher one, and the peers it last knew alive, so that it rejoins them unprompted
 * after a crash (as Serf's snapshot does). Files are written to disk and replaced atomically; a
 * damaged epoch file stops the start with a clear message, a bad peers line is skipped with a warning.
 */
final class DataDir {
    /** Peers remembered; a restarted node asks each of them to let it back in. */
    static final int PEERS_MAX = 64;
    private static final String EPOCH_FILE = "epoch";
    private static final String PEERS_FILE = "peers";
    private static final String RECOVERY_FILE = "recovery";
    private static final String TAGS_FILE = "tags";

    /** Writes and flushes a temporary file: the step a full or read-only disk fails. Replaced in tests. */
    @FunctionalInterface
    interface TempWriter {
        void write(Path tmp, byte[] bytes) throws IOException;
    }

    /** How often a data dir that keeps refusing writes is logged. */
    static final java.time.Duration WARN_EVERY = java.time.Duration.ofMinutes(1);

    private final Path dir;
    private final TempWriter tempWriter;
    private final java.util.concurrent.atomic.AtomicLong writeFailures = new java.util.concurrent.atomic.AtomicLong();
    private final WarnLimiter warnings = new WarnLimiter(WARN_EVERY); // guarded by itself

    DataDir(Path dir) {
        this(dir, DataDir::writeAndFlush);
    }

    DataDir(Path dir, TempWriter tempWriter) {
        this.dir = dir;
        this.tempWriter = tempWriter;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data dir " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes this process's epoch: above the last one recorded here and not below the wall clock, then
     * records it before the node says a word, so a crash right after cannot reuse it.
     */
    long nextEpoch(long nowEpochMillis) {
        Path file = dir.resolve(EPOCH_FILE);
        long last = 0;
        if (Files.exists(file)) {
            String text = read(file).trim();
            try {
                last = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the epoch file " + file + " holds '" + text
                        + "', not a number; remove it to start with the clock's epoch", e);
            }
        }
        long next = Math.max(last + 1, nowEpochMillis);
        write(file, Long.toString(next));
        return next;
    }

    /** Records a later life's epoch (membership restarted in this process); failures are reported, not thrown. */
    void recordEpoch(long epoch) {
        try {
            write(dir.resolve(EPOCH_FILE), Long.toString(epoch));
        } catch (UncheckedIOException e) {
            warnFailure("could not record epoch " + epoch + " (the next start takes the clock's epoch)", e);
        }
    }

    /** The peers recorded last, or none. Lines that are not {@code host:port} are skipped with a warning. */
    List<Address> peers() {
        Path file = dir.resolve(PEERS_FILE);
        List<Address> peers = new ArrayList<>();
        if (!Files.exists(file)) {
            return peers;
        }
        for (String line : read(file).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                peers.add(Address.parse(line.trim()));
            } catch (IllegalArgumentException e) {
                dev.grapevine.log.GrapevineLogs.logger(dev.grapevine.log.GrapevineLogs.NODE).warn("skipped a bad line of {}: {}", file, e.getMessage());
            }
        }
        return peers;
    }

    void savePeers(List<Address> peers) {
        StringBuilder text = new StringBuilder();
        for (Address a : peers.subList(0, Math.min(PEERS_MAX, peers.size()))) {
            text.append(a).append('\n');
        }
        write(dir.resolve(PEERS_FILE), text.toString());
    }

    /**
     * The live set (name to life) of the last recovery epoch this node finished, or null if none is
     * recorded or the file is damaged (then recovery syncs everything this node owns: safe, slower).
     */
    java.util.Map<String, Long> lastRecoveryEpoch() {
        Path file = dir.resolve(RECOVERY_FILE);
        if (!Files.exists(file)) {
            return null;
        }
        java.util.Map<String, Long> lives = new java.util.TreeMap<>();
        for (String line : read(file).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int at = line.lastIndexOf(' ');
            try {
                lives.put(line.substring(0, at), Long.parseLong(line.substring(at + 1).trim()));
            } catch (RuntimeException e) {
                dev.grapevine.log.GrapevineLogs.logger(dev.grapevine.log.GrapevineLogs.NODE).warn("ignored {}: bad line '{}'", file, line);
                return null;
            }
        }
        return lives;
    }

    /** Records a finished epoch's live set; failures are reported, not thrown (the cost is a larger repair). */
    void saveRecoveryEpoch(java.util.Map<String, Long> lives) {
        StringBuilder text = new StringBuilder();
        new java.util.TreeMap<>(lives).forEach((name, life) -> text.append(name).append(' ').append(life).append('\n'));
        try {
            write(dir.resolve(RECOVERY_FILE), text.toString());
        } catch (UncheckedIOException e) {
            warnFailure("could not record the recovery epoch", e);
        }
    }

    /**
     * The tag changes made at run time, or none. A damaged file stops the start with a clear message
     * rather than quietly bring back the configured tags an operator replaced.
     */
    RuntimeTags runtimeTags() {
        Path file = dir.resolve(TAGS_FILE);
        if (!Files.exists(file)) {
            return RuntimeTags.NONE;
        }
        try {
            return RuntimeTags.decode(read(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the tags file " + file + " is damaged (" + e.getMessage()
                    + "); fix or remove it", e);
        }
    }

    /** @throws UncheckedIOException if the file cannot be written (the change is then refused) */
    void saveRuntimeTags(RuntimeTags tags) {
        write(dir.resolve(TAGS_FILE), tags.encode());
    }

    Path path() {
        return dir;
    }

    /** Writes this data dir refused (full or read-only disk), since the start: {@code data_dir_write_failures}. */
    long writeFailures() {
        return writeFailures.get();
    }

    /**
     * Logs a write this data dir refused, at most once per {@link #WARN_EVERY} with the count of those
     * not logged: a full disk fails every save, and the log must not fill it further.
     */
    void warnFailure(String what, UncheckedIOException e) {
        long skipped;
        synchronized (warnings) {
            skipped = warnings.occurrence(System.nanoTime());
        }
        if (skipped >= 0) {
            dev.grapevine.log.GrapevineLogs.logger(dev.grapevine.log.GrapevineLogs.NODE).warn("{}: {}{}", what, e.getMessage(),
                    skipped == 0 ? "" : " (" + skipped + " more failed writes since the last warning; counted in data_dir_write_failures)");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(Path file, String text) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            // On disk before the rename, so that after a power loss the file is the old one or the new
            // one, never empty.
            tempWriter.write(tmp, text.getBytes(StandardCharsets.UTF_8));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                d.force(true); // the rename itself; not possible on every platform
            } catch (IOException notSupported) {
                // best effort
            }
        } catch (IOException e) {
            writeFailures.incrementAndGet();
            try {
                Files.deleteIfExists(tmp); // a half-written copy; the file itself is untouched
            } catch (IOException stillThere) {
                // a read-only disk: the next write truncates it
            }
            throw new UncheckedIOException("cannot write " + file + ": " + reason(e), e);
        }
        boolean wasFailing;
        synchronized (warnings) {
            wasFailing = warnings.active();
            warnings.reset();
        }
        if (wasFailing) {
            dev.grapevine.log.GrapevineLogs.logger(dev.grapevine.log.GrapevineLogs.NODE).info("the data dir {} takes writes again", dir);
        }
    }

    private static void writeAndFlush(Path tmp, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
    }

    /** "No space left on device", without the path the caller names already. */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage();
    }
}
