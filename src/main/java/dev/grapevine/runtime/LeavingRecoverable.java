package dev.grapevine.runtime;

import dev.grapevine.spi.Recoverable;
import dev.grapevine.spi.RecoveryEntry;
import dev.grapevine.spi.StoreLoad;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Predicate;

/**
 * A domain as a leaving node's repair sees it: everything as the domain says, except that entries
 * arriving by repair are not taken. A Merkle exchange runs both ways; the hand-off of a leaving
 * node wants only the push. Taking what the owners send back would refill the partitions it drops,
 * so they would never empty and the leave could never be known complete; and the owners that sent
 * those entries keep them. Writes the node's own domain makes (a replica write, a hint) still land:
 * they are the late writes the next round hands off.
 */
final class LeavingRecoverable implements Recoverable {
    private final Recoverable domain;

    LeavingRecoverable(Recoverable domain) {
        this.domain = domain;
    }

    static Recoverable wrap(Recoverable domain) {
        return domain instanceof LeavingRecoverable ? domain : new LeavingRecoverable(domain);
    }

    @Override
    public SortedMap<String, Long> digests(int partition) {
        return domain.digests(partition);
    }

    @Override
    public List<RecoveryEntry> entries(int partition, Predicate<String> keys) {
        return domain.entries(partition, keys);
    }

    /** Not taken: the sender keeps them, and this node is going (see the class comment). */
    @Override
    public int apply(int partition, List<RecoveryEntry> entries) {
        return 0;
    }

    @Override
    public SortedMap<String, Long> digests(int partition, String afterKey, int maxKeys) {
        return domain.digests(partition, afterKey, maxKeys);
    }

    @Override
    public List<RecoveryEntry> entries(int partition, String afterKey, int maxBytes) {
        return domain.entries(partition, afterKey, maxBytes);
    }

    @Override
    public List<RecoveryEntry> entriesOf(int partition, List<String> keys) {
        return domain.entriesOf(partition, keys);
    }

    @Override
    public void repairedEverywhere(long sinceWallMillis) {
        domain.repairedEverywhere(sinceWallMillis);
    }

    @Override
    public Set<Integer> partitions() {
        return domain.partitions();
    }

    @Override
    public void drop(int partition, Map<String, Long> delivered) {
        domain.drop(partition, delivered);
    }

    @Override
    public int prepareToLeave() {
        return domain.prepareToLeave();
    }

    @Override
    public StoreLoad load() {
        return domain.load();
    }
}
