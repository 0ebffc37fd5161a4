package dev.grapevine.api;

import dev.grapevine.core.recovery.Ownership;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who owns which partition in one recovery epoch: the same on every node that settled on the same
 * live members. Owners are listed primary first. Immutable.
 */
public final class PartitionMap {
    private final Ownership ownership;
    private final Map<String, String> addresses;

    PartitionMap(Ownership ownership, Map<String, String> addresses) {
        this.ownership = ownership;
        this.addresses = Map.copyOf(addresses);
    }

    /** The partition {@code key} belongs to. */
    public int partitionOf(String key) {
        return Ownership.partitionOf(key, ownership.partitions());
    }

    /** The owners of {@code partition}, primary first: the replication factor of them, or all members if fewer. */
    public List<String> owners(int partition) {
        return ownership.owners(partition);
    }

    /** The owners of the partition of {@code key}. */
    public List<String> ownersOf(String key) {
        return owners(partitionOf(key));
    }

    /** How many partitions {@code member} owns, as primary or replica: 0 if it is not in this map. */
    public int partitionsOwnedBy(String member) {
        return ownership.members().contains(member) ? ownership.partitionsOf(member).size() : 0;
    }

    public int partitions() {
        return ownership.partitions();
    }

    public int replicationFactor() {
        return ownership.replicationFactor();
    }

    /** The live members this map was computed from, sorted by name. */
    public List<String> members() {
        return ownership.members();
    }

    /** A member's endpoint, {@code host:port}, as this node knew it when the epoch began. */
    public Optional<String> addressOf(String member) {
        return Optional.ofNullable(addresses.get(member));
    }
}
