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
