package dev.grapevine.api;

import java.util.Map;

/**
 * The cluster's recovery as this node sees it.
 *
 * @param epoch             the current epoch, or null before the first one settled
 * @param members           live members
 * @param complete          every live member reports this epoch's repairs done
 * @param partitionsPending repair tasks still pending across the members that report this epoch
 * @param nodes             by member: its reported progress in the current epoch, or null if it reported
 *                          none yet (or is not in the epoch: it joined or restarted since)
 * @param local             this node's counters (syncs done and failed, bytes and entries exchanged, ...)
 * @param map               who owns which partition in this epoch, or null before the first
 * @param domain            the recoverable domain these are of: its partitions are owned by the live members
 *                          that run it, and {@code members} counts those; null if this node runs no domain
 *                          (it owns nothing, so it has nothing to recover: complete)
 * @param catchingUpFrom    who this node still waits on for the data of the partitions it gained (all it
 *                          owns, after a restart): itself with its pending exchanges of them, and each
 *                          member that pushes it some of them with the pending that member reports, or -1
 *                          if it reported nothing in this epoch yet; empty once this node holds all it owns
 */
public record RecoveryStatus(String epoch, int members, boolean complete, int partitionsPending,
                             Map<String, NodeProgress> nodes, Map<String, Long> local, PartitionMap map, String domain,
                             Map<String, Integer> catchingUpFrom) {

    public RecoveryStatus {
        catchingUpFrom = catchingUpFrom == null ? Map.of() : Map.copyOf(catchingUpFrom);
    }

    public RecoveryStatus(String epoch, int members, boolean complete, int partitionsPending,
                          Map<String, NodeProgress> nodes, Map<String, Long> local, PartitionMap map, String domain) {
        this(epoch, members, complete, partitionsPending, nodes, local, map, domain, Map.of());
    }

    public RecoveryStatus(String epoch, int members, boolean complete, int partitionsPending,
                          Map<String, NodeProgress> nodes, Map<String, Long> local) {
        this(epoch, members, complete, partitionsPending, nodes, local, null, null);
    }

    public RecoveryStatus(String epoch, int members, boolean complete, int partitionsPending,
                          Map<String, NodeProgress> nodes, Map<String, Long> local, PartitionMap map) {
        this(epoch, members, complete, partitionsPending, nodes, local, map, null);
    }

    /** One member's progress: the epoch, its pending and failed repair tasks there. */
    public record NodeProgress(String epoch, int pending, int failed) {
    }
}
