package dev.grapevine.spi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What a domain implements so that Grapevine can repair its data between the owners of a
 * partition: a digest per entry, its entries, and a merge. Grapevine compares digests as Merkle trees
 * (root first) with each co-owner, so only the entries of differing key ranges travel, and hands
 * what arrives to {@link #apply}.
 *
 * <p>Repair reads a partition a page at a time, in key order, after the last key of the previous
 * page: {@link #digests(int, String, int)}, {@link #entries(int, String, int)} and
 * {@link #entriesOf}. Their default implementations page over {@link #digests(int)} and
 * {@link #entries(int, Predicate)}, which reads the whole partition for every page; a domain with
 * large partitions should override them with a range scan from the key (a sorted map's tail, a
 * B-tree cursor) and point reads.
 *
 * <p>Register with {@link dev.grapevine.api.Grapevine#registerRecoverable}. Grapevine calls these methods from its
 * repair actor, one call at a time per node but concurrently with the domain's own work: they must be
 * thread-safe, and should return in time proportional to one partition.
 */
public interface Recoverable {

    /**
     * Every entry of {@code partition} held here: key to a 64-bit digest of its current version,
     * deletion markers included. The digest must change whenever the entry does, and must be the
     * same on every node for the same version.
     */
    SortedMap<String, Long> digests(int partition);

    /** The entries of {@code partition} whose keys pass {@code keys}, in key order, as the domain encodes them. */
    List<RecoveryEntry> entries(int partition, Predicate<String> keys);

    /**
     * At most {@code maxKeys} digests (as {@link #digests(int)} gives them) of the keys of
     * {@code partition} after {@code afterKey} (null: from the first), in key order; fewer than
     * {@code maxKeys} means there are no more.
     */
    default SortedMap<String, Long> digests(int partition, String afterKey, int maxKeys) {
        SortedMap<String, Long> all = digests(partition);
        SortedMap<String, Long> page = new TreeMap<>();
        for (Map.Entry<String, Long> e : (afterKey == null ? all : all.tailMap(afterKey)).entrySet()) {
            if (page.size() >= maxKeys) {
                break;
            }
            if (afterKey == null || !e.getKey().equals(afterKey)) {
                page.put(e.getKey(), e.getValue());
            }
        }
        return page;
    }

    /**
     * The entries of {@code partition} after {@code afterKey} (null: from the first), in key order,
     * together at most {@code maxBytes} ({@link RecoveryEntry#sizeBytes()}) but at least one if any
     * remain; an empty list means there are no more.
     */
    default List<RecoveryEntry> entries(int partition, String afterKey, int maxBytes) {
        List<RecoveryEntry> page = new ArrayList<>();
        long bytes = 0;
        for (RecoveryEntry e : entries(partition, k -> afterKey == null || k.compareTo(afterKey) > 0)) {
            if (!page.isEmpty() && bytes + e.sizeBytes() > maxBytes) {
                break;
            }
            page.add(e);
            bytes += e.sizeBytes();
        }
        return page;
    }

    /** The entries of {@code partition} for those of {@code keys} (ascending, a page of them) held here, in key order. */
    default List<RecoveryEntry> entriesOf(int partition, List<String> keys) {
        Set<String> wanted = new HashSet<>(keys);
        return entries(partition, wanted::contains);
    }

    /**
     * Merges entries from another owner. Must be idempotent and order-free (last-write-wins, say), and
     * durable when it returns. Returns how many entries changed this node's state.
     *
     * @throws IllegalArgumentException if an entry cannot be decoded; the exchange then fails and is retried
     */
    int apply(int partition, List<RecoveryEntry> entries);

    /** The partitions with data on this node. */
    Set<Integer> partitions();

    /**
     * Deletes the entries of a partition this node no longer owns that still have the given
     * digests: those every current owner has received. Entries changed since (a late write) stay,
     * for the next hand-off. Called only when every live member reports the epoch's recovery complete.
     */
    void drop(int partition, java.util.Map<String, Long> delivered);

    /**
     * This node is leaving the cluster: move whatever the domain keeps outside its partitions (a KV
     * store's hints for owners that missed a write, say) into its partitions, merged as {@link #apply}
     * would, so that handing the partitions to their owners hands that on too. Durable when it
     * returns; called before each round of the leaving node's hand-off, so it may find little or
     * nothing the next time. Returns how many entries moved (0 when nothing is kept outside).
     */
    default int prepareToLeave() {
        return 0;
    }

    /**
     * How much data this domain holds here, for status pages ({@code grapevine status}); null if it
     * does not know. Called every few seconds from the node's own actors, so it must be cheap
     * (no scan of the data) and thread-safe.
     */
    default StoreLoad load() {
        return null;
    }

    /** {@link #repairedEverywhere}'s argument when no repair is proven. */
    long NOT_REPAIRED = Long.MIN_VALUE;

    /**
     * Recovery proved that every partition of this domain was repaired everywhere since
     * {@code sinceWallMillis} (wall clock, ms since 1970): in the current membership, every owner
     * exchanged each partition with every other owner, and every node holding a partition it no
     * longer owns with its owners, in exchanges that all started at or after that time. Called when
     * the proof advances (about once per anti-entropy round), and with {@link #NOT_REPAIRED} as soon
     * as the live members change: a member that comes back may hold versions the proof did not cover.
     *
     * <p>This is what a domain needs to purge deletion markers safely: see
     * {@code dev.grapevine.core.recovery.TombstoneGc} for the rule, which also asks the marker to be
     * older than a grace period. Called from the recovery actor, concurrently with the domain's own
     * work: it must be cheap and thread-safe. The default ignores it (markers kept for ever).
     */
    default void repairedEverywhere(long sinceWallMillis) {
    }
}
