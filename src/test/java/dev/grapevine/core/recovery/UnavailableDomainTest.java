package dev.grapevine.core.recovery;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose domain cannot hold its data (a store whose disk refuses writes): nobody counts the epoch
 * complete while it says so, it starts no exchange, and once it can again it exchanges every partition
 * it owns with every co-owner before the epoch is complete again.
 */
class UnavailableDomainTest {
    private static final RecoveryCoordinator.Settings SETTINGS =
            new RecoveryCoordinator.Settings(16, 3, 1_000, 4, 3, 500, 600_000, 0);
    private static final List<String> NAMES = List.of("a", "b", "c", "d");

    private final Map<String, RecoveryCoordinator> nodes = new LinkedHashMap<>();
    private final Map<Long, EpochProgress> board = new HashMap<>();
    /** Exchanges started and not yet finished, with who started each (two nodes may start equal tasks). */
    private final List<Map.Entry<String, SyncTask>> started = new ArrayList<>();
    private long publications;
    private long now;

    private void tick(long millis) {
        now += millis;
        for (int round = 0; round < 3; round++) {
            for (Map.Entry<String, RecoveryCoordinator> e : nodes.entrySet()) {
                NAMES.forEach(m -> e.getValue().onMember(m, 1L, true, now));
                String epoch = e.getValue().epoch();
                EpochProgress progress = epoch == null ? null : board.get(Progress.epochBits(epoch));
                if (progress != null) {
                    e.getValue().onProgress(progress);
                }
                e.getValue().onTick(now, Set::of).forEach(a -> apply(e.getKey(), a));
            }
        }
    }

    private void apply(String node, RecoveryAction a) {
        if (a instanceof RecoveryAction.StartSync s) {
            started.add(Map.entry(node, s.task()));
        } else if (a instanceof RecoveryAction.PublishProgress p) {
            long epoch = Progress.epochBits(p.progress().epoch());
            EpochProgress held = board.getOrDefault(epoch, EpochProgress.empty(epoch, p.members()));
            board.put(epoch, held.with(p.index(), ++publications, p.progress().pending(), p.progress().failed()));
        }
    }

    private List<Map.Entry<String, SyncTask>> finishAll() {
        List<Map.Entry<String, SyncTask>> done = new ArrayList<>();
        while (!started.isEmpty()) {
            List<Map.Entry<String, SyncTask>> batch = new ArrayList<>(started);
            started.clear();
            for (Map.Entry<String, SyncTask> e : batch) {
                done.add(e);
                nodes.get(e.getKey()).onSyncFinished(e.getValue(), true, now).forEach(a -> apply(e.getKey(), a));
            }
            tick(0);
        }
        return done;
    }

    private boolean completeEverywhere() {
        return nodes.values().stream().allMatch(RecoveryCoordinator::completeEverywhere);
    }

    @Test
    void aNodeThatCannotHoldItsDataHoldsUpTheEpochThenRepairsEveryPartitionItOwns() {
        NAMES.forEach(n -> nodes.put(n, new RecoveryCoordinator(n, SETTINGS, null)));
        tick(0);
        tick(1_000);
        finishAll();
        tick(0);
        assertTrue(completeEverywhere(), nodes.values().stream().map(c -> c.status().toString()).toList().toString());

        RecoveryCoordinator d = nodes.get("d");
        int owned = d.status().partitionsOwned();
        assertTrue(owned > 0);
        d.onUnavailable("the key-value store cannot write to its disk: No space left on device");
        tick(0);
        assertEquals(owned, d.status().local().pending(), "all it owns counts as pending");
        assertEquals(Map.of("d", owned), d.catchingUpFrom(), "and it is catching up on all of it");
        assertFalse(d.status().completeEverywhere());
        for (RecoveryCoordinator c : nodes.values()) {
            assertFalse(c.completeEverywhere(), "every node hears it: " + c.status());
            assertTrue(c.status().partitionsPending() >= owned, c.status().toString());
        }
        d.repairNow(now); // a routine round, say: queued, but nothing starts while it cannot apply
        tick(0);
        assertTrue(started.stream().noneMatch(e -> e.getKey().equals("d")), "d starts no exchange: " + started);

        int added = d.onAvailable(now);
        assertEquals(2 * owned, added, "one exchange with each of two co-owners of every partition it owns");
        tick(0);
        assertEquals(Map.of("d", owned), d.catchingUpFrom(), "until those exchanges end");
        List<Map.Entry<String, SyncTask>> done = finishAll();
        for (int p = 0; p < 16; p++) {
            if (d.ownership().owners(p).contains("d")) {
                for (String peer : d.ownership().owners(p)) {
                    int partition = p;
                    assertTrue(peer.equals("d") || done.stream().anyMatch(e -> e.getValue().partition() == partition
                            && e.getValue().peer().equals(peer) && e.getKey().equals("d") && !e.getValue().routine()),
                            "d exchanged partition " + p + " with " + peer + ", whoever usually starts");
                }
            }
        }
        tick(0);
        assertEquals(0, d.status().local().pending());
        assertTrue(completeEverywhere(), d.status().toString());
        assertEquals(Map.of(), d.catchingUpFrom());
    }

    @Test
    void saidAgainAfterARestartOfTheCoordinatorItStillHoldsUpTheEpoch() {
        RecoveryCoordinator fresh = new RecoveryCoordinator("a", SETTINGS, null);
        fresh.onUnavailable("disk full");
        assertEquals("disk full", fresh.unavailable());
        assertEquals(0, fresh.onAvailable(0), "no epoch yet: nothing to repair");
        assertEquals(null, fresh.unavailable());
    }
}
