package dev.grapevine.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What every node reported, stamped on arrival: verdicts about members and user events received.
 * Written by one tap thread per node, read by the scenario thread.
 */
final class Observations {
    /** The levels of a verdict, the same for all three systems; {@link SystemUnderTest} maps its own words. */
    enum Kind {
        ALIVE,
        /** Reversible: Grapevine and Serf's "suspect", Pekko's "unreachable". */
        SUSPECT,
        /** The irreversible verdict: Grapevine's "dead", Serf's "failed", Pekko's "down". */
        FAILED,
        /** Pekko only: the downed member removed from the cluster. */
        REMOVED
    }

    record Verdict(String observer, String subject, Kind kind, long ms) {}

    record Receipt(String observer, String event, long ms) {}

    /** Bounds the log: a 5-minute run at 30% loss yields a few thousand verdicts at most. */
    static final int MAX_ENTRIES = 1_000_000;

    private final List<Verdict> verdicts = new ArrayList<>();
    private final List<Receipt> receipts = new ArrayList<>();
    private long dropped;
    /** Set during cost windows: taps that poll their node (Pekko's) skip their polls meanwhile. */
    private volatile boolean pollsHeld;

    synchronized void verdict(String observer, String subject, Kind kind, long ms) {
        if (verdicts.size() >= MAX_ENTRIES) {
            dropped++;
            return;
        }
        verdicts.add(new Verdict(observer, subject, kind, ms));
    }

    synchronized void receipt(String observer, String event, long ms) {
        if (receipts.size() >= MAX_ENTRIES) {
            dropped++;
            return;
        }
        receipts.add(new Receipt(observer, event, ms));
    }

    synchronized List<Verdict> verdicts(Predicate<Verdict> which) {
        return verdicts.stream().filter(which).toList();
    }

    synchronized List<Receipt> receipts(Predicate<Receipt> which) {
        return receipts.stream().filter(which).toList();
    }

    void holdPolls(boolean held) {
        pollsHeld = held;
    }

    boolean pollsHeld() {
        return pollsHeld;
    }

    /** Entries refused once the log was full; a run reports it rather than undercounting silently. */
    synchronized long dropped() {
        return dropped;
    }
}
