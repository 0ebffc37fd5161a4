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

    KvRecoverable(KvStore store) {
        this.store = store;
    }

    /** Cheap: map sizes and the file's length, no scan of the records. */
    @Override
    public dev.grapevine.spi.StoreLoad load() {
        return new dev.grapevine.spi.StoreLoad(store.keyCount(), store.fileBytes());
    }

    @Override
    public SortedMap<String, Long> digests(int partition) {
        return store.digests(partition);
    }

    @Override
    public List<RecoveryEntry> entries(int partition, Predicate<String> keys) {
        List<RecoveryEntry> out = new ArrayList<>();
        for (KvStore.Entry e : store.entries(partition, keys)) {
            out.add(new RecoveryEntry(e.key(), e.record().encode()));
        }
        return out;
    }

    /** A range scan of the partition's map from {@code afterKey}. */
    @Override
    public SortedMap<String, Long> digests(int partition, String afterKey, int maxKeys) {
        return store.digests(partition, afterKey, maxKeys);
    }

    /** A range scan of the partition's map from {@code afterKey}, stopped at {@code maxBytes}. */
    @Override
    public List<RecoveryEntry> entries(int partition, String afterKey, int maxBytes) {
        List<RecoveryEntry> out = new ArrayList<>();
        for (KvStore.Entry e : store.entries(partition, afterKey, maxBytes)) {
            out.add(new RecoveryEntry(e.key(), e.record().encode()));
        }
        return out;
    }

    /** Point reads: no scan. */
    @Override
    public List<RecoveryEntry> entriesOf(int partition, List<String> keys) {
        List<RecoveryEntry> out = new ArrayList<>();
        for (String key : new java.util.TreeSet<>(keys)) {
            KvRecord r = store.get(partition, key);
            if (r != null) {
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

    @Override
    public void drop(int partition, java.util.Map<String, Long> delivered) {
        store.removeIfUnchanged(partition, delivered);
        store.commit();
    }
}
