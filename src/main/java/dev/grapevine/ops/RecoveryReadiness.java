package dev.grapevine.ops;

import dev.grapevine.api.PartitionMap;
import dev.grapevine.api.RecoveryStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether the recovery of a node's own partitions is complete, for {@code /health/ready}: an epoch
 * with the other members has settled, and this node holds the data of every partition it owns. What
 * it gained (all it owns, after a restart) is complete once its own exchanges of those partitions are
 * done, and the members that start exchanges of them with it (of two owners, the smaller name starts:
 * docs/recovery.md) report the epoch done: the core says who it still waits on
 * ({@link RecoveryStatus#catchingUpFrom}). A member that only passes data on to a newcomer or a
 * restarted peer holds all of its own and stays ready, or one restart would take the restarted node's
 * co-owners out of their load balancer too.
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
        Map<String, Integer> from = new TreeMap<>(recovery.catchingUpFrom());
        Integer own = from.remove(self);
        if (own != null) {
            reasons.add("recovery of epoch " + recovery.epoch() + ": " + own + " partitions pending");
        }
        if (!from.isEmpty()) {
            List<String> named = new ArrayList<>();
            from.forEach((name, pending) -> {
                if (named.size() < NAMED_MAX) {
                    named.add(name + " (" + (pending < 0 ? "no progress reported in this epoch yet" : pending + " pending") + ")");
                }
            });
            reasons.add("recovery of epoch " + recovery.epoch() + ": waiting for " + String.join(", ", named)
                    + (from.size() > NAMED_MAX ? " and " + (from.size() - NAMED_MAX) + " more" : "")
                    + " to finish repairing the partitions this node gained");
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
}
