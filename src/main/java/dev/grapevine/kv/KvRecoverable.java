package dev.grapevine.kv;

import dev.grapevine.spi.Recoverable;
import dev.grapevine.spi.RecoveryEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Predicate;

/** The store as recovery sees it: each key's record digest, its encoded records, and a last-write-wins merge. */
final class KvRecoverable implements Recoverable {
    static final String DOMAIN = "kv";

    private final KvStore store;
    /** Told recovery's repair proof; null: tombstones are kept. */
    private final TombstonePurge purge;

    KvRecoverable(KvStore store) {
        this(store, null);
    }

    KvRecoverable(KvStore store, TombstonePurge purge) {
        this.store = store;
        this.purge = purge;
    }

    @Override
    public void repairedEverywhere(long sinceWallMillis) {
        if (purge != null) {
            purge.repairedEverywhere(sinceWallMillis);
        }
    }

    /** Cheap: map sizes and the file's length, no scan of the records. */
    @Override
    public dev.grapevine.spi.StoreLoad load() {
        return new dev.grapevine.spi.StoreLoad(store.keyCount(), store.fileBytes());
    }

    /** Every record, tombstones included, but for those tombstone GC may purge (see {@link TombstonePurge#purgeBeforeHlc}). */
    @Override
    public SortedMap<String, Long> digests(int partition) {
        long purgeBefore = purgeBeforeHlc();
        if (purgeBefore == 0) {
            return store.digests(partition);
        }
        SortedMap<String, Long> digests = new java.util.TreeMap<>();
        for (KvStore.Entry e : store.entries(partition, k -> true)) {
            if (offered(e.record(), purgeBefore)) {
                digests.put(e.key(), e.record().digest());
            }
        }
        return digests;
    }

    @Override
    public List<RecoveryEntry> entries(int partition, Predicate<String> keys) {
        long purgeBefore = purgeBeforeHlc();
        List<RecoveryEntry> out = new ArrayList<>();
        for (KvStore.Entry e : store.entries(partition, keys)) {
            if (offered(e.record(), purgeBefore)) {
                out.add(new RecoveryEntry(e.key(), e.record().encode()));
            }
        }
        return out;
    }

    private long purgeBeforeHlc() {
        return purge == null ? 0 : purge.purgeBeforeHlc(System.currentTimeMillis());
    }

    private static boolean offered(KvRecord r, long purgeBeforeHlc) {
        return !(r.tombstone() && r.hlc() < purgeBeforeHlc);
    }

    /** Keys read from the store at a time while skipping tombstones GC may purge. */
    private static final int SCAN_KEYS = 256;

    /** A range scan of the partition's map from {@code afterKey}, leaving out purgeable tombstones. */
    @Override
    public SortedMap<String, Long> digests(int partition, String afterKey, int maxKeys) {
        long purgeBefore = purgeBeforeHlc();
        if (purgeBefore == 0) {
            return store.digests(partition, afterKey, maxKeys);
        }
        // Left-out tombstones must not make a short page look like the end: read on until maxKeys or the end.
        SortedMap<String, Long> out = new java.util.TreeMap<>();
        String after = afterKey;
        while (out.size() < maxKeys) {
            int want = maxKeys - out.size();
            List<KvStore.Entry> page = store.page(partition, after, want, Integer.MAX_VALUE);
            for (KvStore.Entry e : page) {
                after = e.key();
                if (offered(e.record(), purgeBefore)) {
                    out.put(e.key(), e.record().digest());
                }
            }
            if (page.size() < want) {
                break;
            }
        }
        return out;
    }

    /** A range scan of the partition's map from {@code afterKey}, stopped at {@code maxBytes}, leaving out purgeable tombstones. */
    @Override
    public List<RecoveryEntry> entries(int partition, String afterKey, int maxBytes) {
        long purgeBefore = purgeBeforeHlc();
        List<RecoveryEntry> out = new ArrayList<>();
        if (purgeBefore == 0) {
            for (KvStore.Entry e : store.entries(partition, afterKey, maxBytes)) {
                out.add(new RecoveryEntry(e.key(), e.record().encode()));
            }
            return out;
        }
        long bytes = 0;
        String after = afterKey;
        while (true) {
            List<KvStore.Entry> page = store.page(partition, after, SCAN_KEYS, Math.max(1, maxBytes));
            for (KvStore.Entry e : page) {
                after = e.key();
                if (!offered(e.record(), purgeBefore)) {
                    continue;
                }
                RecoveryEntry entry = new RecoveryEntry(e.key(), e.record().encode());
                if (!out.isEmpty() && bytes + entry.sizeBytes() > maxBytes) {
                    return out;
                }
                out.add(entry);
                bytes += entry.sizeBytes();
            }
            if (page.isEmpty()) {
                return out;
            }
        }
    }

    /** Point reads: no scan; purgeable tombstones left out. */
    @Override
    public List<RecoveryEntry> entriesOf(int partition, List<String> keys) {
        long purgeBefore = purgeBeforeHlc();
        List<RecoveryEntry> out = new ArrayList<>();
        for (String key : new java.util.TreeSet<>(keys)) {
            KvRecord r = store.get(partition, key);
            if (r != null && offered(r, purgeBefore)) {
                out.add(new RecoveryEntry(key, r.encode()));
            }
        }
        return out;
    }

    @Override
    public int apply(int partition, List<RecoveryEntry> entries) {
        List<KvRecord> decoded = new ArrayList<>(entries.size());
        for (RecoveryEntry e : entries) {
            decoded.add(KvRecord.decode(e.value())); // all or nothing: a bad entry fails the exchange before any write
        }
        int changed = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (store.apply(partition, entries.get(i).key(), decoded.get(i))) {
                changed++;
            }
        }
        store.commit();
        return changed;
    }

    @Override
    public Set<Integer> partitions() {
        return store.partitions();
    }

    /** Moves the hints into the partitions, so the leaving node's hand-off delivers them (see {@link HintFold}). */
    @Override
    public int prepareToLeave() {
        return HintFold.fold(store);
    }

    @Override
    public void drop(int partition, java.util.Map<String, Long> delivered) {
        store.removeIfUnchanged(partition, delivered);
        store.commit();
    }
}
