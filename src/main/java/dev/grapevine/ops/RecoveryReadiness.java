package dev.grapevine.ops;

import dev.grapevine.api.PartitionMap;
import dev.grapevine.api.RecoveryStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether the recovery of a node's own partitions is complete, for {@code /health/ready}: an epoch
 * with the other members has settled, none of this node's own repair tasks is pending, and none of
 * its partners' either.
 *
 * <p>Of two owners of a partition, the one with the smaller name starts their exchange
 * (docs/recovery.md), so a node's own pending count leaves out the exchanges that peers run with it:
 * a node restarted after missing writes has nothing pending itself while its peers still push it
 * what it missed. Its partners are the co-owners of its partitions whose names sort before its own;
 * each must report the current epoch with nothing pending. A partner's count covers all of its tasks,
 * not only those with this node, so this errs on the side of waiting, and only for co-owners.
 */
final class RecoveryReadiness {
    /** Partners named in a reason at most; the rest are counted. */
    static final int NAMED_MAX = 3;

    private RecoveryReadiness() {
    }

    /** Why the recovery of {@code self}'s partitions is not complete: empty once it is. */
    static List<String> reasons(RecoveryStatus recovery, String self) {
        List<String> reasons = new ArrayList<>();
        if (recovery.domain() == null) {
            return reasons; // runs no recoverable domain: owns no partition, so it has nothing to recover
        }
        if (recovery.epoch() == null) {
            reasons.add("recovery: no epoch has settled yet");
            return reasons;
        }
        if (settledAlone(recovery, self)) {
            reasons.add("recovery: the epoch this node settled on alone is not yet replaced"
                    + " by one with the members it sees now");
            return reasons;
        }
        long pending = recovery.local().getOrDefault("pending", 0L);
        if (pending > 0) {
            reasons.add("recovery of epoch " + recovery.epoch() + ": " + pending + " partitions pending");
        }
        Map<String, String> partners = partnersNotDone(recovery, self);
        if (!partners.isEmpty()) {
            List<String> named = new ArrayList<>();
            partners.forEach((name, state) -> {
                if (named.size() < NAMED_MAX) {
                    named.add(name + " (" + state + ")");
                }
            });
            reasons.add("recovery of epoch " + recovery.epoch() + ": waiting for " + String.join(", ", named)
                    + (partners.size() > NAMED_MAX ? " and " + (partners.size() - NAMED_MAX) + " more" : "")
                    + " to finish repairing the partitions this node shares with them");
        }
        return reasons;
    }

    /**
     * Whether the current epoch is one of this node alone while other members run the domain: a node
     * whose seeds answered after its first epoch settled (stable-after), or the first node of a
     * cluster as the others join it, owns the whole ring of that epoch, and its store cannot reach
     * a write quorum, until the next one settles. Only this case: an epoch that lags a change
     * elsewhere in the cluster (a death) keeps every node ready, or every node would leave its load
     * balancer at once.
     */
    private static boolean settledAlone(RecoveryStatus recovery, String self) {
        PartitionMap map = recovery.map();
        return map != null && map.members().equals(List.of(self)) && recovery.nodes() != null
                && recovery.nodes().keySet().stream().anyMatch(n -> !n.equals(self));
    }

    /** The partners that have not reported the current epoch done, by name, with what they reported. */
    private static Map<String, String> partnersNotDone(RecoveryStatus recovery, String self) {
        Map<String, String> notDone = new TreeMap<>();
        PartitionMap map = recovery.map();
        if (map == null || !map.members().contains(self)) {
            return notDone;
        }
        for (int p = 0; p < map.partitions(); p++) {
            List<String> owners = map.owners(p);
            if (!owners.contains(self)) {
                continue;
            }
            for (String owner : owners) {
                if (owner.compareTo(self) >= 0 || notDone.containsKey(owner)) {
                    continue;
                }
                RecoveryStatus.NodeProgress progress = recovery.nodes() == null ? null : recovery.nodes().get(owner);
                if (progress == null || !recovery.epoch().equals(progress.epoch())) {
                    notDone.put(owner, "no progress reported in this epoch yet");
                } else if (progress.pending() > 0) {
                    notDone.put(owner, progress.pending() + " pending");
                }
            }
        }
        return notDone;
    }
}
