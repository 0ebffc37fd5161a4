package dev.grapevine.runtime;

import java.time.Duration;

/**
 * Rate limit for a warning that can repeat every few seconds (a DNS name that does not resolve):
 * the first occurrence is logged, then at most one per period, each saying how many were not. After
 * {@link #reset()} (the trouble is over) the next occurrence is logged at once again.
 */
final class WarnLimiter {
    private final long periodNanos;
    private boolean logged;
    private long lastLoggedNanos;
    private long suppressed;

    WarnLimiter(Duration period) {
        this.periodNanos = period.toNanos();
    }

    /**
     * Records an occurrence at {@code nowNanos} (a monotonic clock): returns -1 if it should not be
     * logged, else how many occurrences were not logged since the last one that was.
     */
    long occurrence(long nowNanos) {
        if (logged && nowNanos - lastLoggedNanos < periodNanos) {
            suppressed++;
            return -1;
        }
        long skipped = suppressed;
        logged = true;
        lastLoggedNanos = nowNanos;
        suppressed = 0;
        return skipped;
    }

    /** The trouble is over: the next occurrence is news and is logged. */
    void reset() {
        logged = false;
        suppressed = 0;
    }

    /** Whether an occurrence was recorded since the last {@link #reset()}. */
    boolean active() {
        return logged;
    }
}
