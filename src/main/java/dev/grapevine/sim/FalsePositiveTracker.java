package dev.grapevine.sim;

import dev.grapevine.core.member.MemberEvent;

import java.util.TreeSet;

/**
 * Counts false positives: healthy nodes (never crashed or paused) that some node declared dead
 * while the two could reach each other both ways. Counted where the declaration is made (the
 * declarer's own FAILED event names itself as source), so later hearsay is not counted again and a
 * verdict reached during a partition is not a false positive.
 */
final class FalsePositiveTracker implements SimObserver {
    private final Simulation sim;
    private final TreeSet<String> wronglyDeclared = new TreeSet<>();
    private long suspicionsOfHealthy;
    private long deathsOfHealthy;

    FalsePositiveTracker(Simulation sim) {
        this.sim = sim;
    }

    @Override
    public void onMemberEvent(int node, MemberEvent event, long nowMillis) {
        int target = sim.indexOf(event.member().name());
        if (target < 0 || !sim.isHealthy(target)) {
            return;
        }
        boolean connected = sim.network().canReach(node, target) && sim.network().canReach(target, node);
        if (event.kind() == MemberEvent.Kind.SUSPECTED && connected && sim.name(node).equals(event.source())) {
            suspicionsOfHealthy++;
        }
        if (event.kind() == MemberEvent.Kind.FAILED && connected && sim.name(node).equals(event.source())) {
            wronglyDeclared.add(event.member().name());
            deathsOfHealthy++;
        }
    }

    int falsePositives() {
        return wronglyDeclared.size();
    }

    long suspicionsOfHealthy() {
        return suspicionsOfHealthy;
    }

    /** Declarations of a healthy node's death, each declarer's own: the count a benchmark sees, not just whom. */
    long deathsOfHealthy() {
        return deathsOfHealthy;
    }
}
