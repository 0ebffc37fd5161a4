package dev.grapevine.bench;

import java.time.Duration;

/**
 * How the gray-failure scenarios ({@link GrayFailureScenario}) run: each fault's length and shape, the
 * share of nodes mass-crash kills, and how long verdicts still count after a fault ends.
 */
record GraySettings(Duration flakyWindow, int flakyDropPercent,
                    Duration flipCut, Duration flipRestore, int flipCycles,
                    Duration slowWindow, Duration slowStop, Duration slowPeriod,
                    int massCrashPercent, Duration isolatedWindow, Duration settle) {

    /** At least 2 nodes, and never all: someone must stay to observe. */
    int massCrashCount(int n) {
        return Math.min(n - 1, Math.max(2, (int) Math.round(n * massCrashPercent / 100.0)));
    }
}
