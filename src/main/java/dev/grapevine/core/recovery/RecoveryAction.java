package dev.grapevine.core.recovery;

import java.util.Map;
import java.util.Set;

/** What the recovery coordinator decided, for its actor to carry out. */
public sealed interface RecoveryAction {

    /**
     * A new epoch: ownership for a live set that has been stable. {@code task} is what this node
     * gained (with sources) and lost; {@code owned} is every partition it now owns.
     */
    record EpochStarted(String epoch, Ownership ownership, RecoveryPlan.Task task, Set<Integer> owned)
            implements RecoveryAction {
    }

    /** Run one Merkle exchange with a peer; report back with {@link RecoveryCoordinator#onSyncFinished}. */
    record StartSync(SyncTask task) implements RecoveryAction {
    }

    /**
     * Gossip this node's progress (membership sends it as its word in the epoch's {@link EpochProgress}).
     *
     * @param index   this node's position among the epoch's members, in ascending order of name
     * @param members how many members the epoch has
     */
    record PublishProgress(Progress progress, int index, int members) implements RecoveryAction {
    }

    /** This node's own work for an epoch is done: remember its live set (name to life) across restarts. */
    record SaveEpoch(Map<String, Long> lives) implements RecoveryAction {
    }

    /** Every live member reports the epoch done: partitions this node holds but no longer owns may go. */
    record CompleteEverywhere(String epoch, Ownership ownership) implements RecoveryAction {
    }
}
