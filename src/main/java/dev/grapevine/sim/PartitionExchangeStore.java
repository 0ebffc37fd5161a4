package dev.grapevine.sim;

import dev.grapevine.core.repair.ExchangeEntry;
import dev.grapevine.core.repair.ExchangeStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** One partition of a simulated replica as the production exchange machines read and merge it. */
final class PartitionExchangeStore implements ExchangeStore {
    private final ReplicaStore store;
    private final int partition;
    /** Bytes of merged entries that changed this replica, added up across every exchange. */
    private final long[] bytesThatChanged;
    /** False on a leaving node: its exchanges only push, what the owners send back is not taken (they keep it). */
    private final boolean takes;

    PartitionExchangeStore(ReplicaStore store, int partition, long[] bytesThatChanged) {
        this(store, partition, bytesThatChanged, true);
    }

    PartitionExchangeStore(ReplicaStore store, int partition, long[] bytesThatChanged, boolean takes) {
        this.takes = takes;
        this.store = store;
        this.partition = partition;
        this.bytesThatChanged = bytesThatChanged;
    }

    private SortedMap<String, SimRecord> after(String afterKey) {
        SortedMap<String, SimRecord> all = store.entries(partition);
        return afterKey == null ? all : all.tailMap(afterKey + "\0");
    }

    @Override
    public SortedMap<String, Long> digests(String afterKey, int maxKeys) {
        SortedMap<String, Long> out = new TreeMap<>();
        for (Map.Entry<String, SimRecord> e : after(afterKey).entrySet()) {
            if (out.size() == maxKeys) {
                break;
            }
            out.put(e.getKey(), e.getValue().digest());
        }
        return out;
    }

    @Override
    public List<ExchangeEntry> entries(String afterKey, int maxBytes) {
        List<ExchangeEntry> out = new ArrayList<>();
        int bytes = 0;
        for (Map.Entry<String, SimRecord> e : after(afterKey).entrySet()) {
            ExchangeEntry entry = new ExchangeEntry(e.getKey(), e.getValue().encode());
            if (!out.isEmpty() && bytes + entry.sizeBytes() > maxBytes) {
                break;
            }
            out.add(entry);
            bytes += entry.sizeBytes();
        }
        return out;
    }

    @Override
    public List<ExchangeEntry> entriesOf(List<String> keys) {
        List<ExchangeEntry> out = new ArrayList<>();
        for (String k : keys) {
            SimRecord r = store.get(partition, k);
            if (r != null) {
                out.add(new ExchangeEntry(k, r.encode()));
            }
        }
        return out;
    }

    @Override
    public int apply(List<ExchangeEntry> entries) {
        int changed = 0;
        if (!takes) {
            return 0;
        }
        for (ExchangeEntry e : entries) {
            if (store.apply(partition, e.key(), SimRecord.decode(e.value()))) {
                changed++;
                bytesThatChanged[0] += e.sizeBytes();
            }
        }
        return changed;
    }
}
