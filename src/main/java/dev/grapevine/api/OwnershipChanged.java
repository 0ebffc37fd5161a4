package dev.grapevine.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A new recovery epoch, as a domain actor hears it: the partition map for the live members, and
 * what this node gained and lost. Grapevine itself repairs the gained partitions of every registered
 * {@link dev.grapevine.spi.Recoverable} (from {@code gained}'s sources and the other owners) and reports when the
 * whole cluster is done ({@link RecoveryStatus#complete()}).
 *
 * @param epoch  names the live set; the same on every node that settled on it
 * @param owned  every partition this node owns in this epoch
 * @param gained partitions owned now and not before (all of them after this node restarted), each
 *               with the previous owners still live to copy from
 * @param lost   partitions owned before and not now
 */
public record OwnershipChanged(String epoch, PartitionMap map, Set<Integer> owned, Map<Integer, List<String>> gained,
                               List<Integer> lost) {
    public OwnershipChanged {
        owned = Set.copyOf(owned);
        gained = Map.copyOf(gained);
        lost = List.copyOf(lost);
    }
}
