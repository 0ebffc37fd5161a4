package dev.grapevine.sim;

import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * What the healthy nodes make of the faulty ones in a gray-failure run, and what anyone makes of the
 * healthy ones:
 * <ul>
 * <li>false positives: healthy nodes some node declared dead itself (its own FAILED event names it
 * as source). Unlike {@link FalsePositiveTracker} there is no reachability exemption: every healthy
 * pair can reach each other here, and a verdict by the faulty node counts too;</li>
 * <li>when every healthy node holds every faulty node out (dead or left) at once, first;</li>
 * <li>per healthy observer, how often a faulty node went in (alive or suspect) ↔ out, and
 * alive → suspect, until {@code countUntilMillis}.</li>
 * </ul>
 */
final class GrayFailureWatch implements SimObserver {
    private final Simulation sim;
    private final int[] faulty;
    private final boolean[] isFaulty;
    /** Per faulty node, its slot in the per-observer arrays; -1 for the others. */
    private final int[] slotOf;
    private final long faultStartMillis;
    private final long countUntilMillis;
    private final TreeSet<Integer> wronglyDeclared = new TreeSet<>();
    private final TreeSet<Integer> wronglyDeclaredByFaulty = new TreeSet<>();
    private final TreeSet<Integer> wronglyDeclaredByHealthy = new TreeSet<>();
    private long deathsOfHealthy;
    private long suspicionsOfHealthy;
    /** [observer · k + slot]: the observer holds that faulty node out now. */
    private final boolean[] out;
    private final int[] flips;
    private final int[] suspicions;
    private long outCount;
    private final long outCountWanted;
    private long allOutAtMillis = -1;

    GrayFailureWatch(Simulation sim, int[] faulty, long faultStartMillis, long countUntilMillis) {
        this.sim = sim;
        this.faulty = faulty.clone();
        this.faultStartMillis = faultStartMillis;
        this.countUntilMillis = countUntilMillis;
        int n = sim.size();
        isFaulty = new boolean[n];
        slotOf = new int[n];
        Arrays.fill(slotOf, -1);
        for (int s = 0; s < faulty.length; s++) {
            isFaulty[faulty[s]] = true;
            slotOf[faulty[s]] = s;
        }
        out = new boolean[n * faulty.length];
        flips = new int[n * faulty.length];
        suspicions = new int[n * faulty.length];
        outCountWanted = (long) (n - faulty.length) * faulty.length;
    }

    @Override
    public void onMemberEvent(int node, MemberEvent event, long nowMillis) {
        int subject = sim.indexOf(event.member().name());
        if (subject < 0 || subject == node) {
            return;
        }
        if (!isFaulty[subject]) {
            countVerdictOnHealthy(node, subject, event);
            return;
        }
        if (isFaulty[node] || nowMillis < faultStartMillis) {
            return;
        }
        int key = node * faulty.length + slotOf[subject];
        boolean nowOut = event.kind() == MemberEvent.Kind.REAPED || !event.member().status().isLive();
        boolean counting = nowMillis <= countUntilMillis;
        if (nowOut != out[key]) {
            out[key] = nowOut;
            outCount += nowOut ? 1 : -1;
            if (counting) {
                flips[key]++;
            }
            if (outCount == outCountWanted && allOutAtMillis < 0) {
                allOutAtMillis = nowMillis;
            }
        }
        MemberStatus was = event.previous() == null ? null : event.previous().status();
        if (counting && event.kind() == MemberEvent.Kind.SUSPECTED && was == MemberStatus.ALIVE) {
            suspicions[key]++;
        }
    }

    private void countVerdictOnHealthy(int node, int subject, MemberEvent event) {
        if (!sim.name(node).equals(event.source())) {
            return; // hearsay: counted where the verdict was reached
        }
        if (event.kind() == MemberEvent.Kind.SUSPECTED) {
            suspicionsOfHealthy++;
        } else if (event.kind() == MemberEvent.Kind.FAILED) {
            deathsOfHealthy++;
            wronglyDeclared.add(subject);
            (isFaulty[node] ? wronglyDeclaredByFaulty : wronglyDeclaredByHealthy).add(subject);
        }
    }

    /** Healthy nodes declared dead by anyone. */
    int falsePositives() {
        return wronglyDeclared.size();
    }

    /** Healthy nodes the faulty node(s) declared dead. */
    int falsePositivesByFaulty() {
        return wronglyDeclaredByFaulty.size();
    }

    /** Healthy nodes a healthy node declared dead. */
    int falsePositivesByHealthy() {
        return wronglyDeclaredByHealthy.size();
    }

    /** Declarations of a healthy node's death, each declarer's own. */
    long deathsOfHealthy() {
        return deathsOfHealthy;
    }

    long suspicionsOfHealthy() {
        return suspicionsOfHealthy;
    }

    /** When every healthy node first held every faulty node out, since the fault began; -1 if never. */
    long allDeclaredDeadAfterMillis() {
        return allOutAtMillis < 0 ? -1 : allOutAtMillis - faultStartMillis;
    }

    /** Median over healthy observers of the in ↔ out transitions of the faulty node(s), summed per observer. */
    double medianFlips() {
        return medianPerObserver(flips);
    }

    /** Median over healthy observers of the alive → suspect transitions of the faulty node(s). */
    double medianSuspicions() {
        return medianPerObserver(suspicions);
    }

    private double medianPerObserver(int[] counts) {
        int[] perObserver = new int[sim.size() - faulty.length];
        int o = 0;
        for (int node = 0; node < sim.size(); node++) {
            if (isFaulty[node]) {
                continue;
            }
            int sum = 0;
            for (int s = 0; s < faulty.length; s++) {
                sum += counts[node * faulty.length + s];
            }
            perObserver[o++] = sum;
        }
        return median(perObserver);
    }

    /** The median of {@code values} (the mean of the middle two when their count is even); 0 when empty. */
    static double median(int[] values) {
        if (values.length == 0) {
            return 0;
        }
        int[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
