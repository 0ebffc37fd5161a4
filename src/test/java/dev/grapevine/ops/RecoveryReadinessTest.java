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
 * The recovery part of /health/ready, as the core reports it: who this node still waits on for the
 * partitions it gained (RecoveryCoordinatorTest covers who that is).
 */
class RecoveryReadinessTest {
    private static final String EPOCH = "5978867f1e8d56cd";
    private static final PartitionMap THREE = PartitionMaps.of(List.of("n1", "n2", "n3"), 64, 3, Map.of());

    private static RecoveryStatus status(Map<String, NodeProgress> nodes, PartitionMap map, Map<String, Integer> catchingUpFrom) {
        return new RecoveryStatus(EPOCH, map.members().size(), false, 0, nodes, Map.of(), map, "kv", catchingUpFrom);
    }

    private static RecoveryStatus status(Map<String, NodeProgress> nodes, PartitionMap map) {
        return status(nodes, map, Map.of());
    }

    private static Map<String, NodeProgress> progress(int n1, int n2, int n3) {
        Map<String, NodeProgress> nodes = new HashMap<>();
        nodes.put("n1", new NodeProgress(EPOCH, n1, 0));
        nodes.put("n2", new NodeProgress(EPOCH, n2, 0));
        nodes.put("n3", new NodeProgress(EPOCH, n3, 0));
        return nodes;
    }

    @Test
    void aNodeCatchingUpSaysWhoItWaitsOn() {
        assertEquals(List.of("recovery of epoch " + EPOCH + ": waiting for n1 (12 pending), n2 (no progress reported"
                        + " in this epoch yet) to finish repairing the partitions this node gained"),
                RecoveryReadiness.reasons(status(progress(12, 3, 0), THREE, Map.of("n1", 12, "n2", -1)), "n3"));
        assertEquals(List.of("recovery of epoch " + EPOCH + ": 4 partitions pending"),
                RecoveryReadiness.reasons(status(progress(4, 0, 0), THREE, Map.of("n1", 4)), "n1"));
    }

    @Test
    void aNodeThatHoldsAllItOwnsIsReadyWhilePeersStillWork() {
        // n1 pushes a restarted n3 what it missed: n1 has work, but nothing to catch up on.
        assertEquals(List.of(), RecoveryReadiness.reasons(status(progress(7, 9, 0), THREE), "n1"));
    }

    @Test
    void longListsAreCut() {
        List<String> names = List.of("a", "b", "c", "d", "e", "f");
        Map<String, Integer> from = new HashMap<>();
        names.forEach(n -> from.put(n, n.equals("f") ? 0 : 1));
        from.remove("f");
        assertEquals(List.of("recovery of epoch " + EPOCH + ": waiting for a (1 pending), b (1 pending), c (1 pending)"
                        + " and 2 more to finish repairing the partitions this node gained"),
                RecoveryReadiness.reasons(status(Map.of(), PartitionMaps.of(names, 64, 6, Map.of()), from), "f"));
    }

    @Test
    void anEpochOfThisNodeAloneDoesNotCountOnceOthersAreLive() {
        PartitionMap alone = PartitionMaps.of(List.of("n2"), 64, 3, Map.of());
        Map<String, NodeProgress> nodes = new HashMap<>();
        nodes.put("n2", new NodeProgress(EPOCH, 0, 0));
        assertEquals(List.of(), RecoveryReadiness.reasons(status(nodes, alone), "n2"), "the first node of a cluster");
        nodes.put("n1", null); // joined: n1 is live, the next epoch has not settled yet
        assertEquals(List.of("recovery: the epoch this node settled on alone is not yet replaced"
                        + " by one with the members it sees now"),
                RecoveryReadiness.reasons(status(nodes, alone), "n2"));
        // An epoch that lags a change elsewhere (n3 died, n4 joined) keeps the node ready.
        Map<String, NodeProgress> lagging = progress(0, 0, 0);
        lagging.put("n4", null);
        assertEquals(List.of(), RecoveryReadiness.reasons(status(lagging, THREE), "n3"));
    }

    @Test
    void noDomainOrNoEpochYet() {
        assertEquals(List.of(), RecoveryReadiness.reasons(
                new RecoveryStatus(null, 1, true, 0, Map.of(), Map.of(), null, null), "n1"));
        assertEquals(List.of("recovery: no epoch has settled yet"), RecoveryReadiness.reasons(
                new RecoveryStatus(null, 1, false, 0, Map.of(), Map.of(), null, "kv"), "n1"));
    }
}
