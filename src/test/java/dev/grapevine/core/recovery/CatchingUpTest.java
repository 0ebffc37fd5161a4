package dev.grapevine.core.recovery;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who one node waits on before it holds all it owns ({@link RecoveryCoordinator#catchingUpFrom}), in
 * the cases a cluster of coordinators (RecoveryCoordinatorTest) does not reach: exchanges that give
 * up, a store that stops writing mid-epoch, a restarted node that settles an epoch alone first, and
 * a co-owner whose own trouble lies elsewhere.
 */
class CatchingUpTest {
    private static final RecoveryCoordinator.Settings SETTINGS = new RecoveryCoordinator.Settings(8, 3, 1_000, 4, 1, 500, 600_000, 0);
    private final List<SyncTask> started = new ArrayList<>();
    private long now;

    private static RecoveryCoordinator node(String self, Map<String, Long> lastEpoch, Map<String, Long> lives) {
        RecoveryCoordinator c = new RecoveryCoordinator(self, SETTINGS, lastEpoch);
        lives.forEach((n, life) -> c.onMember(n, life, true, 0));
        return c;
    }

    private void tick(RecoveryCoordinator c, long atMillis) {
        now = atMillis;
        collect(c.onTick(now));
    }

    private void collect(List<RecoveryAction> actions) {
        for (RecoveryAction a : actions) {
            if (a instanceof RecoveryAction.StartSync s) {
                started.add(s.task());
            }
        }
    }

    /** Ends every exchange started, and those they start in turn, as {@code ok} says. */
    private void finishAll(RecoveryCoordinator c, boolean ok) {
        while (!started.isEmpty()) {
            List<SyncTask> batch = new ArrayList<>(started);
            started.clear();
            batch.forEach(t -> collect(c.onSyncFinished(t, ok, now)));
        }
    }

    @Test
    void exchangesOfWhatItGainedThatGaveUpStillCount() {
        // a restarted (life 1 -> 2) and sorts first: it starts every exchange of what it owns.
        RecoveryCoordinator a = node("a", Map.of("a", 1L, "b", 1L, "c", 1L), Map.of("a", 2L, "b", 1L, "c", 1L));
        tick(a, 2_000);
        assertEquals(Map.of("a", 8), a.catchingUpFrom());
        finishAll(a, false); // one attempt each (maxAttempts 1): every exchange gives up
        tick(a, now + 10);
        assertEquals(Map.of("a", 8), a.catchingUpFrom(), "it holds none of what it missed");
    }

    @Test
    void exchangesQueuedBeforeTheStoreStoppedWritingCountOnceItWritesAgain() {
        Map<String, Long> lives = Map.of("a", 1L, "b", 1L, "c", 1L);
        RecoveryCoordinator a = node("a", lives, lives); // not restarted: it gained nothing
        tick(a, 2_000);
        assertTrue(a.status().local().pending() > 0);
        assertEquals(Map.of(), a.catchingUpFrom());
        a.onUnavailable("disk full");
        assertEquals(Map.of("a", 8), a.catchingUpFrom());
        a.onAvailable(now);
        assertEquals(Map.of("a", 8), a.catchingUpFrom(), "what it missed meanwhile comes with the exchanges still to run");
        finishAll(a, true);
        tick(a, now + 10);
        assertEquals(Map.of(), a.catchingUpFrom());
    }

    @Test
    void aRestartedNodeThatSettlesAloneFirstStillCatchesUpOnceItsSeedsAnswer() {
        RecoveryCoordinator b = node("b", Map.of("a", 1L, "b", 1L, "c", 1L), Map.of("b", 2L));
        tick(b, 2_000);
        assertEquals(Map.of(), b.catchingUpFrom(), "alone: nobody to wait on");
        b.onMember("a", 1L, true, 3_000);
        b.onMember("c", 1L, true, 3_000);
        tick(b, 3_500);
        tick(b, 5_000);
        assertEquals(3, b.status().members());
        assertEquals(Map.of("a", -1, "b", 8), b.catchingUpFrom(),
                "its own exchanges with c, and a, the smaller name, which pushes it what it missed");
    }

    @Test
    void aCoOwnerWhoseFailedExchangeWasWithAnotherDoesNotHoldItBack() {
        RecoveryCoordinator b = node("b", Map.of("a", 1L, "b", 1L, "c", 1L), Map.of("a", 1L, "b", 2L, "c", 1L));
        tick(b, 2_000);
        finishAll(b, true);
        b.onProgress(EpochProgress.empty(Progress.epochBits(b.epoch()), 3).with(0, 5, 3, 0));
        tick(b, now + 10);
        assertEquals(Map.of("a", 3), b.catchingUpFrom(), "a still pushing is waited for");
        // a: nothing pending now, one exchange given up (with c, whose disk is full, say).
        b.onProgress(EpochProgress.empty(Progress.epochBits(b.epoch()), 3).with(0, 6, 0, 1));
        tick(b, now + 10);
        assertEquals(Map.of(), b.catchingUpFrom());
    }
}
