package dev.grapevine.log;

import org.slf4j.Logger;

import java.util.function.LongSupplier;

/**
 * WARN lines for inputs a node refused or dropped: one line per kind with a count, never one per
 * message. The first of a kind is written at once; the rest of its window are summed and written as
 * one line ("37 more ... in the last 60 s") by {@link #flush}, which the owner calls on a timer it
 * already has. Thread-safe.
 */
public final class CountedWarnings {
    /** What a summary line shows: what happened, why it matters, and the last case held. */
    private record Sample(String what, String why, String detail) {
        String note() {
            if (why == null && detail == null) {
                return "";
            }
            return " (" + (why == null ? "" : why) + (why != null && detail != null ? "; " : "")
                    + (detail == null ? "" : "last: " + detail) + ")";
        }
    }

    private final Logger log;
    private final String node;
    private final LongSupplier clockMillis;
    private final RateLimiter<Sample> limiter;
    /** Kinds written at INFO: refusals a healthy cluster also makes now and then (see {@link #routine}). */
    private final java.util.Set<String> routineKinds = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param node        the node's name, put in the MDC of every line
     * @param clockMillis a monotonic clock in milliseconds
     */
    public CountedWarnings(Logger log, String node, long windowMillis, LongSupplier clockMillis) {
        this.log = log;
        this.node = node;
        this.clockMillis = clockMillis;
        this.limiter = new RateLimiter<>(windowMillis, 64);
    }

    /**
     * {@code count} inputs of kind {@code kind} were refused or dropped.
     *
     * @param what   what happened, as a plural phrase ("ping-req relays refused")
     * @param why    the cause or what it means for the operator, or null
     * @param detail about the last of them (peer, key, reason), or null
     */
    public void count(String kind, long count, String what, String why, String detail) {
        if (count <= 0) {
            return;
        }
        Sample sample = new Sample(what, why, detail);
        if (limiter.admit(kind, count, sample, clockMillis.getAsLong())) {
            write(kind, count + " " + what + sample.note());
        }
    }

    /**
     * Writes {@code kind}'s lines at INFO rather than WARN: a refusal that a healthy cluster also
     * makes (gossip that reaches a node a moment after it joined, before it knows the sender), so
     * that WARN keeps meaning something to look at. It is counted the same.
     */
    public CountedWarnings routine(String kind) {
        routineKinds.add(kind);
        return this;
    }

    /** Writes a summary line for each kind whose window ended with counts held. */
    public void flush() {
        for (RateLimiter.Held<Sample> h : limiter.due(clockMillis.getAsLong())) {
            Sample s = h.last();
            write(h.key(), h.count() + " more " + s.what() + " in the last " + limiter.windowMillis() / 1000 + " s" + s.note());
        }
    }

    private void write(String kind, String line) {
        if (routineKinds.contains(kind)) {
            GrapevineLogs.asNode(node, () -> log.info(GrapevineLogs.UNTHROTTLED, "{}: {}", kind, line));
        } else {
            GrapevineLogs.asNode(node, () -> log.warn(GrapevineLogs.UNTHROTTLED, "{}: {}", kind, line));
        }
    }
}
