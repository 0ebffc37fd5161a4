package dev.grapevine.kv;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the store did on this node, readable from any thread (the admin API reads it). */
public final class KvMetrics {
    final LongAdder writes = new LongAdder();
    final LongAdder writesFailed = new LongAdder();
    final LongAdder writesUnstored = new LongAdder();
    final LongAdder writesRefusedMinority = new LongAdder();
    final LongAdder reads = new LongAdder();
    final LongAdder readsFailed = new LongAdder();
    final LongAdder readRepairs = new LongAdder();
    final LongAdder hintsStored = new LongAdder();
    final LongAdder hintsReplayed = new LongAdder();
    final LongAdder hintsExpired = new LongAdder();
    final LongAdder hintsDroppedLeft = new LongAdder();
    final LongAdder replicaMessagesFromStrangers = new LongAdder();
    final LongAdder tombstonesPurged = new LongAdder();
    final LongAdder staleKeysDropped = new LongAdder();

    /** Counters by name, with the hint store's own figures. */
    public Map<String, Long> snapshot(KvStore store) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("kv_writes", writes.sum());
        m.put("kv_writes_failed", writesFailed.sum());
        m.put("kv_writes_unstored", writesUnstored.sum());
        m.put("kv_writes_refused_minority", writesRefusedMinority.sum());
        m.put("kv_disk_unwritable", store.unwritable() == null ? 0L : 1L);
        m.put("kv_reads", reads.sum());
        m.put("kv_reads_failed", readsFailed.sum());
        m.put("kv_read_repairs", readRepairs.sum());
        m.put("kv_hints_stored", hintsStored.sum());
        m.put("kv_hints_replayed", hintsReplayed.sum());
        m.put("kv_hints_expired", hintsExpired.sum());
        m.put("kv_hints_dropped_left", hintsDroppedLeft.sum());
        m.put("kv_replica_messages_from_strangers", replicaMessagesFromStrangers.sum());
        m.put("kv_tombstones_purged", tombstonesPurged.sum());
        m.put("kv_stale_keys_dropped", staleKeysDropped.sum());
        m.put("kv_hints_pending", (long) store.hintCount());
        m.put("kv_hints_dropped", store.hintsDropped());
        return m;
    }
}
