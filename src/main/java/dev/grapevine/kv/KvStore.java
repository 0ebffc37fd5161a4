package dev.grapevine.kv;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * One node's replicas of the key-value store, durable in an H2 MVStore file (an embedded
 * copy-on-write B-tree; no SQL engine): one map per partition ({@code "p<partition>"}) from key to
 * {@link KvRecord#encode() encoded} record, plus one map of hints (hinted handoff).
 *
 * <p><b>Durability is explicit.</b> MVStore's background auto-commit is disabled, so nothing reaches
 * the file until {@link #commit()} (or {@link #close()}). {@code commit()} writes every change applied
 * before it was called to the file and returns when the write has been handed to the OS; it does not
 * fsync. That survives {@code kill -9} of the JVM (the OS page cache still holds the bytes) but not a
 * kernel crash or power loss: replicas on other nodes cover that, and an fsync per commit would cost
 * far more. The caller chooses the commit rate (batching many applies per commit is much cheaper).
 *
 * <p><b>Thread-safe.</b> MVStore maps are concurrent (readers see a consistent snapshot, writers
 * compare-and-swap the map's root), and {@link #apply} decides inside MVStore's atomic
 * {@code operate}, so concurrent applies to one key keep the winning version (MVStore makes the
 * whole map's update atomic: writers to one partition retry, and lock its root after three tries,
 * which is cheap next to encoding a record). A read-write lock
 * keeps {@link #drop} (which closes a partition's map) from pulling a map out from under a reader or
 * writer; everything else shares the lock. Hints are bounded with a small monitor.
 *
 * <p>Tombstones are what stops anti-entropy from resurrecting a deleted key, so they stay until
 * {@link TombstonePurge} proves every replica has them ({@link #purgeTombstones}).
 */
public final class KvStore implements AutoCloseable {
    /** Largest key, in UTF-8 bytes: keys are B-tree keys, repeated in every page that holds them. */
    public static final int KEY_BYTES_MAX = 1024;
    /** Largest partition number; matches {@code Ownership}'s limit of 65536 partitions. */
    public static final int PARTITION_MAX = 65_535;
    /** Largest hint target (a node name), in UTF-8 bytes. */
    public static final int TARGET_BYTES_MAX = KvRecord.WRITER_BYTES_MAX;

    private static final String PARTITION_PREFIX = "p";
    private static final String HINTS_MAP = "hints";
    /** Small facts about the store itself: when it was last proven repaired (tombstone GC). */
    private static final String META_MAP = "meta";
    private static final String REPAIRED_SINCE = "repaired-since-wall-millis";
    /**
     * Free space a disk that filled up needs before writes resume: a few of the chunks group commits
     * write (about 20 KB each) for the retention time, so that writes do not start and fail by turns.
     */
    static final long RESUME_FREE_BYTES_MIN = 1L << 20;
    /** What {@link #checkWritable()} writes to learn whether the disk takes a commit again. */
    private static final String DISK_CHECK_MAP = "disk-check";
    /** Separates target and sequence in a hint's key; sorts below every other char, so "a" < "ab". */
    private static final char HINT_KEY_SEPARATOR = '\0';
    /** First byte of a stored hint; a new layout gets a new number. */
    private static final byte HINT_FORMAT_V1 = 1;

    /** Null for a store kept in memory. */
    private final Path file;
    private final String fileSystem;
    /**
     * Replaced when a failed write closed it: MVStore closes itself on any failed write (a full disk),
     * and the file it leaves holds every commit that succeeded, so opening it again loses nothing
     * acknowledged. Swapped under both locks.
     */
    private volatile MVStore store;
    /** Why the last commit failed (the disk's words), or null once a commit succeeds. */
    private volatile String unwritable;
    private final int hintsMax;
    private final ReadWriteLock partitionsLock = new ReentrantReadWriteLock();
    private final ConcurrentHashMap<Integer, MVMap<String, byte[]>> partitionMaps = new ConcurrentHashMap<>();
    private volatile MVMap<String, byte[]> hints;
    private final Object hintsLock = new Object();
    private long nextHintId; // guarded by hintsLock
    private final AtomicLong hintsDropped = new AtomicLong();

    /** One key's current version. */
    public record Entry(String key, KvRecord record) {}

    /** A write kept for {@code target}, an owner that did not answer, to be handed off later. */
    public record Hint(long id, String target, int partition, String key, KvRecord record) {}

    private KvStore(Path file, String fileSystem, MVStore store, int hintsMax) {
        this.file = file;
        this.fileSystem = fileSystem;
        this.store = store;
        this.hintsMax = hintsMax;
        openHints();
    }

    private void openHints() {
        this.hints = openMap(HINTS_MAP);
        // Hints sort by target first, so the last id needs a scan (of at most hintsMax keys).
        long maxId = -1;
        for (String k : hints.keySet()) {
            maxId = Math.max(maxId, hintId(k));
        }
        this.nextHintId = maxId + 1;
    }

    /** A write or commit the disk refused (full, read-only, failing); its message names the file and the reason. */
    public static final class Unwritable extends IllegalStateException {
        Unwritable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Opens (or creates) the store in {@code fileOrNull}, e.g. {@code <data-dir>/kv.mv.db}, creating
     * missing parent directories; {@code null} keeps everything in memory (tests, nodes without a
     * data directory). A file can be open in only one store at a time (MVStore locks it).
     *
     * @param hintsMax most hints kept at once; further ones are refused and counted
     */
    static final int RETENTION_MILLIS = 5_000;

    public static KvStore open(Path fileOrNull, int hintsMax) {
        return open(fileOrNull, hintsMax, "");
    }

    /** @param fileSystem an H2 file system prefix ("scheme:"), for tests that make the disk fail; "" for the disk */
    static KvStore open(Path fileOrNull, int hintsMax, String fileSystem) {
        if (hintsMax < 0) {
            throw new IllegalArgumentException("hintsMax must be >= 0, but was " + hintsMax);
        }
        if (fileOrNull != null) {
            Path parent = fileOrNull.toAbsolutePath().getParent();
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create directory " + parent + " for " + fileOrNull, e);
            }
        }
        return new KvStore(fileOrNull, fileSystem, openFile(fileOrNull, fileSystem), hintsMax);
    }

    private static MVStore openFile(Path fileOrNull, String fileSystem) {
        MVStore.Builder builder = new MVStore.Builder().autoCommitDisabled();
        if (fileOrNull != null) {
            builder.fileName(fileSystem + fileOrNull);
        }
        MVStore store = builder.open();
        // Replaced chunks are kept this long before their space is reused (MVStore's default is 45 s):
        // with group commits every few milliseconds, the file then holds seconds, not minutes, of them.
        store.setRetentionTime(RETENTION_MILLIS);
        return store;
    }

    /**
     * Why the disk refused the last commit ("No space left on device"), or null if the last commit
     * succeeded. While it is set the node should refuse writes it coordinates: they would not be durable here.
     */
    public String unwritable() {
        return unwritable;
    }

    /**
     * Opens the file again if a failed write closed it. Its uncommitted changes are gone, which is
     * right: nothing uncommitted was acknowledged.
     *
     * @throws Unwritable if the file cannot be opened
     */
    private void reopenIfClosed() {
        if (!store.isClosed() || file == null) {
            return;
        }
        partitionsLock.writeLock().lock();
        try {
            synchronized (hintsLock) {
                if (!store.isClosed()) {
                    return;
                }
                try {
                    store = openFile(file, fileSystem);
                } catch (RuntimeException e) {
                    throw new Unwritable("cannot open the key-value store " + file + " again: " + diskReason(e), e);
                }
                partitionMaps.clear();
                openHints();
            }
        } finally {
            partitionsLock.writeLock().unlock();
        }
    }

    /** The innermost cause's message: "No space left on device", "Read-only file system". */
    static String diskReason(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /**
     * Stores {@code r} under {@code key} if the key has no record yet or {@code r}
     * {@link KvRecord#supersedes supersedes} the stored one.
     *
     * @return whether the store changed
     */
    public boolean apply(int partition, String key, KvRecord r) {
        reopenIfClosed();
        checkPartition(partition);
        checkKey(key);
        if (r == null) {
            throw new IllegalArgumentException("record must not be null");
        }
        partitionsLock.readLock().lock();
        try {
            IfSupersedes decision = new IfSupersedes(r);
            writable(partition).operate(key, r.encode(), decision);
            return decision.stored;
        } finally {
            partitionsLock.readLock().unlock();
        }
    }

    /**
     * Removes each key of {@code digests} whose record still has that digest (a newer write stays),
     * then the partition's map if nothing is left in it. Returns how many were removed.
     */
    public int removeIfUnchanged(int partition, java.util.Map<String, Long> digests) {
        reopenIfClosed();
        checkPartition(partition);
        int removed = 0;
        partitionsLock.readLock().lock();
        try {
            MVMap<String, byte[]> map = writable(partition);
            for (java.util.Map.Entry<String, Long> e : digests.entrySet()) {
                long expected = e.getValue();
                boolean[] gone = {false};
                map.operate(e.getKey(), null, new MVMap.DecisionMaker<byte[]>() {
                    @Override
                    public MVMap.Decision decide(byte[] existing, byte[] provided) {
                        gone[0] = existing != null && KvRecord.decode(existing).digest() == expected;
                        return gone[0] ? MVMap.Decision.REMOVE : MVMap.Decision.ABORT;
                    }

                    @Override
                    public void reset() {
                        gone[0] = false;
                    }
                });
                removed += gone[0] ? 1 : 0;
            }
        } finally {
            partitionsLock.readLock().unlock();
        }
        if (count(partition) == 0) {
            drop(partition);
        }
        return removed;
    }

    /**
     * Decides inside MVMap.operate, against the value actually in the map at that instant: the map
     * retries (calling {@link #reset()}) if another writer changed it meanwhile, so the outcome of
     * the last call to {@code decide} is the one that happened.
     */
    private static final class IfSupersedes extends MVMap.DecisionMaker<byte[]> {
        private final KvRecord candidate;
        boolean stored;

        IfSupersedes(KvRecord candidate) {
            this.candidate = candidate;
        }

        @Override
        public MVMap.Decision decide(byte[] existing, byte[] provided) {
            stored = existing == null || candidate.supersedes(KvRecord.decode(existing));
            return stored ? MVMap.Decision.PUT : MVMap.Decision.ABORT;
        }

        @Override
        public void reset() {
            stored = false;
        }
    }

    /** The current version of {@code key}, possibly a tombstone; null if the key was never written. */
    public KvRecord get(int partition, String key) {
        reopenIfClosed();
        checkPartition(partition);
        checkKey(key);
        partitionsLock.readLock().lock();
        try {
            MVMap<String, byte[]> map = readable(partition);
            byte[] bytes = map == null ? null : map.get(key);
            return bytes == null ? null : KvRecord.decode(bytes);
        } finally {
            partitionsLock.readLock().unlock();
        }
    }

    /** Key → {@link KvRecord#digest()} for every key in the partition, tombstones included. */
    public SortedMap<String, Long> digests(int partition) {
        reopenIfClosed();
        SortedMap<String, Long> digests = new TreeMap<>();
        for (Entry e : entries(partition, k -> true)) {
            digests.put(e.key(), e.record().digest());
        }
        return digests;
    }

    /** The partition's records whose key passes {@code keyFilter} (tested before decoding), in key order. */
    public List<Entry> entries(int partition, Predicate<String> keyFilter) {
        reopenIfClosed();
        checkPartition(partition);
        if (keyFilter == null) {
            throw new IllegalArgumentException("keyFilter must not be null");
        }
        List<Entry> entries = new ArrayList<>();
        partitionsLock.readLock().lock();
        try {
            MVMap<String, byte[]> map = readable(partition);
            if (map == null) {
                return entries;
            }
            Cursor<String, byte[]> c = map.cursor(null); // iterates one snapshot of the map
            while (c.hasNext()) {
                String key = c.next();
                if (keyFilter.test(key)) {
                    entries.add(new Entry(key, KvRecord.decode(c.getValue())));
                }
            }
            return entries;
        } finally {
            partitionsLock.readLock().unlock();
        }
    }

    /**
     * Key → {@link KvRecord#digest()} for at most {@code maxKeys} keys of the partition after
     * {@code afterKey} (null: from the first), in key order: a range scan from that key, not from the start.
     */
    public SortedMap<String, Long> digests(int partition, String afterKey, int maxKeys) {
        SortedMap<String, Long> digests = new TreeMap<>();
        for (Entry e : range(partition, afterKey, maxKeys, Integer.MAX_VALUE)) {
            digests.put(e.key(), e.record().digest());
        }
        return digests;
    }

    /**
     * The partition's records after {@code afterKey} (null: from the first) in key order, together at
     * most {@code maxBytes} of key and encoded record but at least one if any remain.
     */
    public List<Entry> entries(int partition, String afterKey, int maxBytes) {
        return range(partition, afterKey, Integer.MAX_VALUE, maxBytes);
    }

    /**
     * The partition's records after {@code afterKey} (null: from the first) in key order: at most
     * {@code maxKeys}, together at most {@code maxBytes} of key and encoded record but at least one if
     * any remain.
     */
    public List<Entry> page(int partition, String afterKey, int maxKeys, int maxBytes) {
        return range(partition, afterKey, maxKeys, maxBytes);
    }

    private List<Entry> range(int partition, String afterKey, int maxKeys, int maxBytes) {
        reopenIfClosed();
        checkPartition(partition);
        List<Entry> entries = new ArrayList<>();
        partitionsLock.readLock().lock();
        try {
            MVMap<String, byte[]> map = readable(partition);
            if (map == null || maxKeys <= 0) {
                return entries;
            }
            Cursor<String, byte[]> c = map.cursor(afterKey); // from afterKey on, in one snapshot of the map
            long bytes = 0;
            while (c.hasNext() && entries.size() < maxKeys) {
                String key = c.next();
                if (afterKey != null && key.equals(afterKey)) {
                    continue;
                }
                byte[] value = c.getValue();
                long size = key.getBytes(StandardCharsets.UTF_8).length + (long) value.length;
                if (!entries.isEmpty() && bytes + size > maxBytes) {
                    break;
                }
                entries.add(new Entry(key, KvRecord.decode(value)));
                bytes += size;
            }
            return entries;
        } finally {
            partitionsLock.readLock().unlock();
        }
    }

    /** How many keys the partition holds, tombstones included. */
    public long count(int partition) {
        reopenIfClosed();
        checkPartition(partition);
        partitionsLock.readLock().lock();
        try {
            MVMap<String, byte[]> map = readable(partition);
            return map == null ? 0 : map.sizeAsLong();
        } finally {
            partitionsLock.readLock().unlock();
        }
    }

    /** Keys held in all partitions, tombstones included: one size read per partition's map, no scan. */
    public long keyCount() {
        long keys = 0;
        for (int p : partitions()) {
            keys += count(p);
        }
        return keys;
    }

    /** Bytes of the store's file on disk, or -1 for a store kept in memory. */
    public long fileBytes() {
        reopenIfClosed();
        org.h2.mvstore.FileStore<?> file = store.getFileStore();
        return file == null ? -1 : file.size();
    }

    /** The partitions holding at least one key, ascending. */
    public SortedSet<Integer> partitions() {
        reopenIfClosed();
        SortedSet<Integer> partitions = new TreeSet<>();
        partitionsLock.readLock().lock();
        try {
            for (String name : store.getMapNames()) {
                int p = partitionOf(name);
                if (p >= 0) {
                    MVMap<String, byte[]> map = readable(p);
                    if (map != null && !map.isEmpty()) {
                        partitions.add(p);
                    }
                }
            }
            return partitions;
        } finally {
            partitionsLock.readLock().unlock();
        }
    }

    /** What one call of {@link #purgeTombstones} did. @param nextKey where the next call goes on, or null: the partition is done */
    public record Purged(int scanned, int purged, String nextKey) {}

    /**
     * Removes the tombstones of {@code partition} stamped before {@code hlcBefore}, scanning at most
     * {@code scanMax} keys from {@code fromKey} (inclusive; null: the first). A key written again
     * meanwhile stays: each removal checks the record at that instant. Not committed.
     */
    public Purged purgeTombstones(int partition, String fromKey, int scanMax, long hlcBefore) {
        reopenIfClosed();
        checkPartition(partition);
        if (scanMax < 1) {
            throw new IllegalArgumentException("scanMax must be >= 1, but was " + scanMax);
        }
        partitionsLock.readLock().lock();
        try {
            MVMap<String, byte[]> map = readable(partition);
            if (map == null) {
                return new Purged(0, 0, null);
            }
            List<String> old = new ArrayList<>();
            int scanned = 0;
            String next = null;
            Cursor<String, byte[]> c = map.cursor(fromKey);
            while (c.hasNext()) {
                String key = c.next();
                if (scanned == scanMax) {
                    next = key;
                    break;
                }
                scanned++;
                if (isOldTombstone(c.getValue(), hlcBefore)) {
                    old.add(key);
                }
            }
            int purged = 0;
            for (String key : old) {
                boolean[] gone = {false};
                map.operate(key, null, new MVMap.DecisionMaker<byte[]>() {
                    @Override
                    public MVMap.Decision decide(byte[] existing, byte[] provided) {
                        gone[0] = existing != null && isOldTombstone(existing, hlcBefore);
                        return gone[0] ? MVMap.Decision.REMOVE : MVMap.Decision.ABORT;
                    }

                    @Override
                    public void reset() {
                        gone[0] = false;
                    }
                });
                purged += gone[0] ? 1 : 0;
            }
            return new Purged(scanned, purged, next);
        } finally {
            partitionsLock.readLock().unlock();
        }
    }

    private static boolean isOldTombstone(byte[] encoded, long hlcBefore) {
        KvRecord r = KvRecord.decode(encoded);
        return r.tombstone() && r.hlc() < hlcBefore;
    }

    /** The latest repair proof recorded ({@link #recordRepairedSince}), or {@code Long.MIN_VALUE} if none. */
    public long repairedSinceWallMillis() {
        reopenIfClosed();
        byte[] b = store.<String, byte[]>openMap(META_MAP).get(REPAIRED_SINCE);
        return b == null || b.length != Long.BYTES ? Long.MIN_VALUE : ByteBuffer.wrap(b).getLong();
    }

    /** Keeps the later of {@code wallMillis} and the one recorded (durable at the next commit). */
    public void recordRepairedSince(long wallMillis) {
        reopenIfClosed();
        synchronized (hintsLock) {
            if (wallMillis > repairedSinceWallMillis()) {
                store.<String, byte[]>openMap(META_MAP).put(REPAIRED_SINCE, ByteBuffer.allocate(Long.BYTES).putLong(wallMillis).array());
            }
        }
    }

    /** Removes the partition and all its records (e.g. after handing it to its new owners). */
    public void drop(int partition) {
        reopenIfClosed();
        checkPartition(partition);
        partitionsLock.writeLock().lock();
        try {
            partitionMaps.remove(partition);
            store.removeMap(mapName(partition));
        } finally {
            partitionsLock.writeLock().unlock();
        }
    }

    /**
     * Keeps a write for {@code target} to hand off when it answers again.
     *
     * @return false, counted in {@link #hintsDropped()}, if {@code hintsMax} hints are already kept
     */
    public boolean addHint(String target, int partition, String key, KvRecord r) {
        reopenIfClosed();
        checkTarget(target);
        checkPartition(partition);
        checkKey(key);
        if (r == null) {
            throw new IllegalArgumentException("record must not be null");
        }
        synchronized (hintsLock) { // the size check and the insert must be one step, or the bound leaks
            if (hints.sizeAsLong() >= hintsMax) {
                hintsDropped.incrementAndGet();
                return false;
            }
            hints.put(hintKey(target, nextHintId++), encodeHint(partition, key, r));
            return true;
        }
    }

    /** Up to {@code max} hints for {@code target}, oldest first. */
    public List<Hint> hintsFor(String target, int max) {
        reopenIfClosed();
        checkTarget(target);
        if (max < 0) {
            throw new IllegalArgumentException("max must be >= 0, but was " + max);
        }
        List<Hint> found = new ArrayList<>();
        String prefix = target + HINT_KEY_SEPARATOR;
        Cursor<String, byte[]> c = hints.cursor(prefix);
        while (found.size() < max && c.hasNext()) {
            String k = c.next();
            if (!k.startsWith(prefix)) {
                break;
            }
            found.add(decodeHint(hintId(k), target, c.getValue()));
        }
        return found;
    }

    /** Forgets hints (after they were handed off); ones already gone are ignored. */
    public void removeHints(Collection<Hint> handedOff) {
        reopenIfClosed();
        synchronized (hintsLock) {
            for (Hint h : handedOff) {
                hints.remove(hintKey(h.target(), h.id()));
            }
        }
    }

    public int hintCount() {
        reopenIfClosed();
        return hints.size();
    }

    /** Hints refused because {@code hintsMax} were kept, since this store was opened. */
    public long hintsDropped() {
        return hintsDropped.get();
    }

    /** The targets with at least one hint, ascending. */
    public SortedSet<String> hintTargets() {
        reopenIfClosed();
        SortedSet<String> targets = new TreeSet<>();
        String k = hints.ceilingKey("");
        while (k != null) { // one seek per target, not one step per hint
            String target = k.substring(0, k.indexOf(HINT_KEY_SEPARATOR));
            targets.add(target);
            k = hints.ceilingKey(target + (char) (HINT_KEY_SEPARATOR + 1));
        }
        return targets;
    }

    /**
     * Writes every change applied so far to the file (no fsync: see the class comment); no-op in memory.
     *
     * <p>Call it on a timer or per batch, not per write. Each commit appends a new chunk (about 20 KB
     * for one small change: the changed leaf, its path to the root, and the store's own metadata), and
     * MVStore keeps replaced chunks for its retention time ({@value #RETENTION_MILLIS} ms here) before
     * reusing their space, so the file holds about {@code commits per second x chunk size x retention}
     * of old chunks. A commit per
     * write at thousands of writes a second grows the file by gigabytes; ten commits a second costs
     * megabytes.
     */
    public void commit() {
        reopenIfClosed();
        try {
            store.commit();
            unwritable = null;
        } catch (RuntimeException e) {
            // MVStore closed itself; the file keeps the last commit that succeeded. The next call opens it again.
            unwritable = diskReason(e);
            throw new Unwritable("cannot write the key-value store " + file + ": " + unwritable, e);
        }
    }

    /**
     * Whether the disk takes a commit again, after {@link #unwritable()} was set: writes a small marker
     * and commits it (an empty commit would write nothing). Clears {@link #unwritable()} on success.
     */
    public boolean checkWritable() {
        try {
            if (file != null && Files.getFileStore(file.toAbsolutePath().getParent()).getUsableSpace() < RESUME_FREE_BYTES_MIN) {
                // The marker alone fits in space free inside the file; the next batch of writes would not.
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        try {
            reopenIfClosed();
            store.<String, byte[]>openMap(DISK_CHECK_MAP).put("checked", new byte[] {1});
            commit();
            return true;
        } catch (RuntimeException e) {
            unwritable = diskReason(e);
            return false;
        }
    }

    /** Commits, then closes the file. */
    @Override
    public void close() {
        if (!store.isClosed()) {
            try {
                store.commit();
                store.close();
            } catch (RuntimeException e) { // a full disk: the file keeps its last commit
                store.closeImmediately();
            }
        }
    }

    /**
     * For tests: closes the file without committing, as {@code kill -9} would leave it, so that a
     * reopen shows what was durable.
     */
    void closeWithoutCommit() {
        store.closeImmediately();
    }

    private MVMap<String, byte[]> writable(int partition) {
        return partitionMaps.computeIfAbsent(partition, p -> openMap(mapName(p)));
    }

    /** The partition's map, or null if it has none (reads must not create maps). */
    private MVMap<String, byte[]> readable(int partition) {
        MVMap<String, byte[]> map = partitionMaps.get(partition);
        if (map == null && store.hasMap(mapName(partition))) {
            map = writable(partition);
        }
        return map;
    }

    private MVMap<String, byte[]> openMap(String name) {
        return store.openMap(name, new MVMap.Builder<String, byte[]>()
                .keyType(StringDataType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE));
    }

    private static String mapName(int partition) {
        return PARTITION_PREFIX + partition;
    }

    /** The partition a map name stands for, or -1 if it is not a partition map. */
    private static int partitionOf(String mapName) {
        if (!mapName.startsWith(PARTITION_PREFIX)) {
            return -1;
        }
        try {
            int p = Integer.parseInt(mapName.substring(PARTITION_PREFIX.length()));
            return p >= 0 && p <= PARTITION_MAX && mapName.equals(mapName(p)) ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Target, separator, then the id as 16 hex digits, so that string order is id order. */
    private static String hintKey(String target, long id) {
        return target + HINT_KEY_SEPARATOR + String.format("%016x", id);
    }

    private static long hintId(String hintKey) {
        return Long.parseUnsignedLong(hintKey.substring(hintKey.indexOf(HINT_KEY_SEPARATOR) + 1), 16);
    }

    /** {@code [format=1][partition: 4][key length: 4][key: UTF-8][record: KvRecord.encode()]}. */
    private static byte[] encodeHint(int partition, String key, KvRecord r) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] rec = r.encode();
        return ByteBuffer.allocate(1 + 4 + 4 + k.length + rec.length)
                .put(HINT_FORMAT_V1).putInt(partition).putInt(k.length).put(k).put(rec).array();
    }

    private static Hint decodeHint(long id, String target, byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte format = buf.get();
        if (format != HINT_FORMAT_V1) {
            throw new IllegalStateException("hint " + id + " for " + target + ": expected format "
                    + HINT_FORMAT_V1 + ", but found " + format);
        }
        int partition = buf.getInt();
        byte[] k = new byte[buf.getInt()];
        buf.get(k);
        byte[] rec = Arrays.copyOfRange(bytes, buf.position(), bytes.length);
        return new Hint(id, target, partition, new String(k, StandardCharsets.UTF_8), KvRecord.decode(rec));
    }

    private static void checkPartition(int partition) {
        if (partition < 0 || partition > PARTITION_MAX) {
            throw new IllegalArgumentException("partition must be in 0.." + PARTITION_MAX + ", but was " + partition);
        }
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must be non-empty, but was " + (key == null ? "null" : "\"\""));
        }
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        if (!new String(utf8, StandardCharsets.UTF_8).equals(key)) {
            // an unpaired surrogate would not survive the UTF-8 copy kept in a hint
            throw new IllegalArgumentException("key must be valid Unicode, but was \"" + key + "\"");
        }
        int bytes = utf8.length;
        if (bytes > KEY_BYTES_MAX) {
            throw new IllegalArgumentException(
                    "key must be at most " + KEY_BYTES_MAX + " UTF-8 bytes, but was " + bytes);
        }
    }

    private static void checkTarget(String target) {
        if (target == null || target.isEmpty() || target.indexOf(HINT_KEY_SEPARATOR) >= 0) {
            throw new IllegalArgumentException("hint target must be a non-empty node name without NUL, but was "
                    + (target == null ? "null" : "\"" + target.replace("\0", "\\0") + "\""));
        }
        int bytes = target.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > TARGET_BYTES_MAX) {
            throw new IllegalArgumentException("hint target must be at most " + TARGET_BYTES_MAX
                    + " UTF-8 bytes, but was " + bytes);
        }
    }
}
