package dev.grapevine.core.recovery;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When coordinators prove a repair complete everywhere ({@link RecoveryCoordinator#repairedEverywhereSince()}),
 * with exchanges that finish when the test says and gossip merged on a shared board. Wall time is the
 * monotonic time plus {@link #WALL_OFFSET}, so the test also shows the proof is on the wall clock.
 */
class RepairProofTest {
    /** 16 partitions, RF 3, stable after 1 s, anti-entropy every 60 s, progress published at once. */
    private static final RecoveryCoordinator.Settings SETTINGS =
            new RecoveryCoordinator.Settings(16, 3, 1_000, 64, 3, 500, 60_000, 0);
    private static final long WALL_OFFSET = 1_700_000_000_000L;

    private final Map<String, RecoveryCoordinator> nodes = new LinkedHashMap<>();
    private final Map<String, Long> lives = new TreeMap<>();
    private final Map<Long, EpochProgress> board = new HashMap<>();
    /** Exchanges running, with the node that started each (two nodes may start equal tasks: same partition and peer). */
    private final List<Map.Entry<String, SyncTask>> started = new ArrayList<>();
    private long publications;
    private long now;

    private void start(String... names) {
        for (String n : names) {
            lives.put(n, 1L);
            nodes.put(n, new RecoveryCoordinator(n, SETTINGS, null));
        }
        tick(0);
    }

    private void tick(long millis) {
        now += millis;
        for (int round = 0; round < 3; round++) {
            for (Map.Entry<String, RecoveryCoordinator> e : nodes.entrySet()) {
                RecoveryCoordinator c = e.getValue();
                for (String m : Set.copyOf(nodes.keySet())) {
                    c.onMember(m, lives.getOrDefault(m, 1L), lives.containsKey(m), now);
                }
                if (c.epoch() != null && board.containsKey(Progress.epochBits(c.epoch()))) {
                    c.onProgress(board.get(Progress.epochBits(c.epoch())));
                }
                c.onWallClock(now, now + WALL_OFFSET);
                c.onTick(now, Set::of).forEach(a -> apply(e.getKey(), a));
            }
        }
    }

    private void apply(String node, RecoveryAction a) {
        if (a instanceof RecoveryAction.StartSync s) {
            started.add(Map.entry(node, s.task()));
        } else if (a instanceof RecoveryAction.PublishProgress p) {
            long epoch = Progress.epochBits(p.progress().epoch());
            EpochProgress held = board.getOrDefault(epoch, EpochProgress.empty(epoch, p.members()));
            board.put(epoch, held.with(p.index(), ++publications, p.progress().pending(), p.progress().failed(),
                    p.progress().repairedSinceSeconds()));
        }
    }

    /** Finishes every exchange started so far (and those they start), with {@code ok}. */
    private void finishAll(boolean ok) {
        while (!started.isEmpty()) {
            List<Map.Entry<String, SyncTask>> batch = new ArrayList<>(started);
            started.clear();
            for (Map.Entry<String, SyncTask> t : batch) {
                finish(t, ok);
            }
            if (!ok) {
                return; // retries wait for retry-after
            }
        }
        tick(0);
    }

    private void finish(Map.Entry<String, SyncTask> t, boolean ok) {
        RecoveryCoordinator by = nodes.get(t.getKey());
        if (by != null) {
            by.onSyncFinished(t.getValue(), ok, now).forEach(a -> apply(t.getKey(), a));
        }
    }

    private long provenEverywhere() {
        long since = nodes.get("a").repairedEverywhereSince();
        for (RecoveryCoordinator c : nodes.values()) {
            assertEquals(since, c.repairedEverywhereSince(), "every node reads the same proof from the same gossip");
        }
        return since;
    }

    private static long wallSecond(long monotonicMillis) {
        return Math.floorDiv(monotonicMillis + WALL_OFFSET, 1000) * 1000;
    }

    @Test
    void an_epochs_exchanges_prove_a_repair_since_the_epoch_began_on_the_wall_clock() {
        start("a", "b", "c", "d");
        assertEquals(TombstoneGc.NO_PROOF, provenEverywhere(), "no epoch yet");
        tick(1_500);
        long epochStart = now;
        assertTrue(nodes.get("a").epoch() != null);
        assertEquals(TombstoneGc.NO_PROOF, provenEverywhere(), "exchanges still running");
        tick(2_000);
        finishAll(true);
        assertTrue(nodes.get("a").completeEverywhere());
        assertEquals(wallSecond(epochStart), provenEverywhere());
    }

    @Test
    void routine_rounds_advance_the_proof_in_a_stable_cluster() {
        start("a", "b", "c", "d");
        tick(1_500);
        finishAll(true);
        long first = provenEverywhere();
        tick(60_000); // the routine round starts
        long roundStart = now;
        assertEquals(first, provenEverywhere(), "the round's exchanges have not finished");
        finishAll(true);
        assertEquals(wallSecond(roundStart), provenEverywhere());
        assertTrue(provenEverywhere() > first);
    }

    @Test
    void a_failed_exchange_proves_nothing_until_it_succeeds() {
        start("a", "b", "c");
        tick(1_500);
        long epochStart = now;
        finishAll(false);
        assertEquals(TombstoneGc.NO_PROOF, provenEverywhere());
        tick(600); // retries start
        finishAll(true);
        assertEquals(wallSecond(epochStart), provenEverywhere());
    }

    @Test
    void an_exchange_that_began_before_a_round_counts_only_for_the_round_it_began_in() {
        start("a", "b", "c");
        tick(1_500);
        finishAll(true);
        long first = provenEverywhere();
        tick(60_000); // routine round 1
        long round1 = now;
        Map.Entry<String, SyncTask> slow = started.remove(0); // still running when round 2 begins
        finishAll(true);
        assertEquals(first, provenEverywhere(), "one exchange of round 1 has not finished");
        tick(60_000); // routine round 2: the slow exchange is still running, so it is not queued again
        finish(slow, true);
        finishAll(true);
        assertEquals(wallSecond(round1), provenEverywhere(), "round 1's start: the slow exchange began before round 2");
        tick(60_000); // routine round 3
        long round3 = now;
        finishAll(true);
        assertEquals(wallSecond(round3), provenEverywhere());
    }

    @Test
    void a_change_of_the_live_members_withdraws_the_proof_at_once() {
        start("a", "b", "c", "d");
        tick(1_500);
        finishAll(true);
        assertTrue(provenEverywhere() != TombstoneGc.NO_PROOF);
        lives.remove("d");
        tick(0);
        assertEquals(TombstoneGc.NO_PROOF, provenEverywhere(), "d is gone: the epoch no longer matches the live members");
        lives.put("d", 2L); // d restarts with its old data
        nodes.put("d", new RecoveryCoordinator("d", SETTINGS, null));
        tick(0);
        assertEquals(TombstoneGc.NO_PROOF, provenEverywhere());
        tick(1_500);
        long epochStart = now;
        assertEquals(TombstoneGc.NO_PROOF, provenEverywhere(), "a new epoch proves nothing until its own exchanges are done");
        finishAll(true);
        assertEquals(wallSecond(epochStart), provenEverywhere());
    }
}
