package dev.grapevine.core.recovery;

import dev.grapevine.core.member.MemberEvent;

import java.util.List;
import java.util.TreeSet;

/**
 * The set of live members (alive or suspect) as a versioned value, built from membership events:
 * what recovery computes ownership from. A suspect still counts as live, so a member that is only
 * late to answer causes no churn; it leaves the set when it is declared failed, leaves or is reaped.
 */
public final class LiveView {

    /** One version of the view: the names of the live members, sorted (the same order on every node). */
    public record Snapshot(long version, List<String> live) {
        public Snapshot {
            live = List.copyOf(live);
        }
    }

    private final TreeSet<String> live = new TreeSet<>();
    private long version;

    /** Applies a membership event; returns the new snapshot if the set of live members changed, else null. */
    public Snapshot apply(MemberEvent event) {
        String name = event.member().name();
        boolean isLive = event.kind() != MemberEvent.Kind.REAPED && event.member().status().isLive();
        boolean changed = isLive ? live.add(name) : live.remove(name);
        if (!changed) {
            return null;
        }
        version++;
        return snapshot();
    }

    public Snapshot snapshot() {
        return new Snapshot(version, List.copyOf(live));
    }
}
