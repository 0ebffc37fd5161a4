package dev.grapevine.core.recovery;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A leaving node's view: the others' epoch without it, and whether they all report it done. */
class LeavingViewTest {
    private static final RecoveryCoordinator.Settings SETTINGS =
            new RecoveryCoordinator.Settings(16, 2, 1_000, 4, 3, 500, 600_000, 0);

    @Test
    void theOthersEpochWithoutThisNodeCompleteOnceEachOfThemSaysDone() {
        RecoveryCoordinator x = new RecoveryCoordinator("x", "kv", SETTINGS, null);
        for (String m : List.of("a", "b", "c", "x")) {
            x.onMember(m, 1, true, List.of("kv"), 0);
        }
        x.onMember("x", 1, true, List.of(), 0); // x stopped advertising the domain: it is leaving

        HandOffPlanner.View view = x.leavingView();
        Map<String, Long> others = Map.of("a", 1L, "b", 1L, "c", 1L);
        assertEquals(RecoveryCoordinator.epochOf("kv", others), view.epoch(), "the epoch the others start");
        assertEquals(List.of("a", "b", "c"), view.ownership().members());
        assertFalse(view.completeEverywhere());

        long epoch = Progress.epochBits(view.epoch());
        x.onProgress(EpochProgress.of(epoch, new long[] {1, 1, 1}, new int[] {0, 2, 0}, new int[] {0, 0, 0}));
        assertFalse(x.leavingView().completeEverywhere(), "b still works");
        x.onProgress(EpochProgress.of(epoch, new long[] {1, 2, 1}, new int[] {0, 0, 0}, new int[] {0, 0, 0}));
        assertTrue(x.leavingView().completeEverywhere());

        x.onMember("d", 1, true, List.of("kv"), 0); // a new runner: a new epoch, not yet done
        assertFalse(x.leavingView().completeEverywhere());
    }

    @Test
    void theLastRunnerHasNoOneLeft() {
        RecoveryCoordinator x = new RecoveryCoordinator("x", "kv", SETTINGS, null);
        x.onMember("x", 1, true, List.of("kv"), 0);
        HandOffPlanner.View view = x.leavingView();
        assertTrue(view.ownership().members().isEmpty());
        assertFalse(view.completeEverywhere());
    }
}
