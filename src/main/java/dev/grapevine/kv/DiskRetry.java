package dev.grapevine.kv;

import java.time.Duration;

/**
 * When a store whose disk refused a commit tries again: after {@link #FIRST}, then twice as long each
 * time, at most {@link #MAX}. Requests do not wait for it: a write refused meanwhile is refused at once.
 */
final class DiskRetry {
    static final Duration FIRST = Duration.ofMillis(500);
    /** A freed disk is noticed within this long, without any request. */
    static final Duration MAX = Duration.ofSeconds(30);

    private Duration next = FIRST;

    /** The delay before the next try; doubles up to {@link #MAX}. */
    Duration next() {
        Duration d = next;
        next = next.multipliedBy(2).compareTo(MAX) > 0 ? MAX : next.multipliedBy(2);
        return d;
    }

    void reset() {
        next = FIRST;
    }
}
