package dev.grapevine.ops;

import dev.grapevine.api.PartitionMap;
import dev.grapevine.api.PartitionMaps;
import dev.grapevine.api.RecoveryStatus;
import dev.grapevine.api.RecoveryStatus.NodeProgress;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The recovery part of /health/ready: a node's own partitions are recovered once neither it nor the
 * co-owners that start exchanges with it (smaller names) have repair tasks pending in the epoch.
 */
class RecoveryReadinessTest {
    private static final String EPOCH = "5978867f1e8d56cd";
    private static final PartitionMap THREE = PartitionMaps.of(List.of("n1", "n2", "n3"), 64, 3, Map.of());

    private static RecoveryStatus status(long localPending, Map<String, NodeProgress> nodes, PartitionMap map) {
        return new RecoveryStatus(EPOCH, map.members().size(), false, 0, nodes, Map.of("pending", localPending), map, "kv");
    }

    private static Map<String, NodeProgress> progress(int n1, int n2, int n3) {
        Map<String, NodeProgress> nodes = new HashMap<>();
        nodes.put("n1", new NodeProgress(EPOCH, n1, 0));
        nodes.put("n2", new NodeProgress(EPOCH, n2, 0));
        nodes.put("n3", new NodeProgress(EPOCH, n3, 0));
        return nodes;
    }

    @Test
    void aRestartedNodeWaitsForThePeersThatRepairIt() {
        // n3 sorts last: it starts no exchange, n1 and n2 push it what it missed.
        assertEquals(List.of("recovery of epoch " + EPOCH + ": waiting for n1 (12 pending), n2 (3 pending)"
                        + " to finish repairing the partitions this node shares with them"),
                RecoveryReadiness.reasons(status(0, progress(12, 3, 0), THREE), "n3"));
        assertEquals(List.of(), RecoveryReadiness.reasons(status(0, progress(0, 0, 0), THREE), "n3"));
    }

    @Test
    void aNodeDoesNotWaitForPeersThatItRepairsItself() {
        // n1 sorts first: it starts every exchange it is part of, so its own count says it all.
        assertEquals(List.of(), RecoveryReadiness.reasons(status(0, progress(0, 7, 9), THREE), "n1"));
        assertEquals(List.of("recovery of epoch " + EPOCH + ": 4 partitions pending"),
                RecoveryReadiness.reasons(status(4, progress(4, 7, 9), THREE), "n1"));
    }

    @Test
    void aPartnerThatReportedNothingInThisEpochIsWaitedFor() {
        Map<String, NodeProgress> nodes = progress(0, 0, 0);
        nodes.put("n1", new NodeProgress("0c2a5957ce466bf3", 0, 0)); // still in the epoch before
        nodes.put("n2", null);
        assertEquals(List.of("recovery of epoch " + EPOCH + ": waiting for n1 (no progress reported in this epoch yet), "
                        + "n2 (no progress reported in this epoch yet) to finish repairing the partitions this node shares with them"),
                RecoveryReadiness.reasons(status(0, nodes, THREE), "n3"));
    }

    @Test
    void onlyCoOwnersCountAndLongListsAreCut() {
        // At RF 1 no partition has two owners: nobody else repairs z.
        PartitionMap alone = PartitionMaps.of(List.of("a", "b", "z"), 64, 1, Map.of());
        Map<String, NodeProgress> busy = Map.of("a", new NodeProgress(EPOCH, 5, 0), "b", new NodeProgress(EPOCH, 5, 0),
                "z", new NodeProgress(EPOCH, 0, 0));
        assertEquals(List.of(), RecoveryReadiness.reasons(status(0, busy, alone), "z"));

        List<String> names = List.of("a", "b", "c", "d", "e", "f");
        PartitionMap all = PartitionMaps.of(names, 64, 6, Map.of());
        Map<String, NodeProgress> pending = new HashMap<>();
        names.forEach(n -> pending.put(n, new NodeProgress(EPOCH, n.equals("f") ? 0 : 1, 0)));
        assertEquals(List.of("recovery of epoch " + EPOCH + ": waiting for a (1 pending), b (1 pending), c (1 pending)"
                        + " and 2 more to finish repairing the partitions this node shares with them"),
                RecoveryReadiness.reasons(status(0, pending, all), "f"));
    }

    @Test
    void anEpochOfThisNodeAloneDoesNotCountOnceOthersAreLive() {
        PartitionMap alone = PartitionMaps.of(List.of("n2"), 64, 3, Map.of());
        Map<String, NodeProgress> nodes = new HashMap<>();
        nodes.put("n2", new NodeProgress(EPOCH, 0, 0));
        assertEquals(List.of(), RecoveryReadiness.reasons(status(0, nodes, alone), "n2"), "the first node of a cluster");
        nodes.put("n1", null); // joined: n1 is live, the next epoch has not settled yet
        assertEquals(List.of("recovery: the epoch this node settled on alone is not yet replaced"
                        + " by one with the members it sees now"),
                RecoveryReadiness.reasons(status(0, nodes, alone), "n2"));
        // An epoch that lags a change elsewhere (n3 died, n4 joined) keeps the node ready.
        Map<String, NodeProgress> lagging = progress(0, 0, 0);
        lagging.put("n4", null);
        assertEquals(List.of(), RecoveryReadiness.reasons(status(0, lagging, THREE), "n3"));
    }

    @Test
    void noDomainOrNoEpochYet() {
        assertEquals(List.of(), RecoveryReadiness.reasons(
                new RecoveryStatus(null, 1, true, 0, Map.of(), Map.of(), null, null), "n1"));
        assertEquals(List.of("recovery: no epoch has settled yet"), RecoveryReadiness.reasons(
                new RecoveryStatus(null, 1, false, 0, Map.of(), Map.of(), null, "kv"), "n1"));
    }
}
