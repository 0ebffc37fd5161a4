package dev.grapevine.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The figures of one gray-failure incident, from the taps' verdicts in [t0, t1] (fault start to the end
 * of the settle period). "Failed" is each system's irreversible verdict: Grapevine dead, Serf failed,
 * Pekko down or removed. A flip is a change of an observer's verdict on a faulty node between live and
 * failed; for Pekko, whose down is final, live is "up"/"reachable" and failed is unreachable, down or
 * removed, so a flip is unreachable↔reachable or a removal (and "up" again after a restart).
 */
final class GrayFigures {
    private GrayFigures() {}

    static boolean failed(Observations.Kind k) {
        return k == Observations.Kind.FAILED || k == Observations.Kind.REMOVED;
    }

    private static boolean failedForFlips(Observations.Kind k, boolean pekko) {
        return pekko ? k != Observations.Kind.ALIVE : failed(k);
    }

    /**
     * An observer's verdict after {@code next}: only an alive verdict ends a failed one. Serf logs a
     * suspicion at every probe it misses, also of a member it has already marked failed, and Pekko may
     * report a downed member unreachable; neither brings it back.
     */
    private static Observations.Kind after(Observations.Kind before, Observations.Kind next) {
        return before != null && failed(before) && next == Observations.Kind.SUSPECT ? before : next;
    }

    /**
     * Puts false_positives, false_positives_by_faulty (null when {@code faultyObserve} is false: killed
     * nodes observe nothing), faulty_declared_dead_ms and faulty_status_flips.
     */
    static void put(Cluster c, List<Integer> faulty, long t0, long t1, boolean faultyObserve, ObjectNode out) {
        Set<String> faultyNames = names(faulty);
        Set<String> healthy = new HashSet<>();
        for (int i : c.nodes()) if (!faulty.contains(i)) healthy.add(SystemUnderTest.nodeName(i));
        List<Observations.Verdict> window = c.observations().verdicts(v -> v.ms() >= t0 && v.ms() <= t1
                && !v.observer().equals(v.subject()) && failed(v.kind()) && healthy.contains(v.subject()));
        Set<String> byHealthy = new HashSet<>();
        Set<String> byFaulty = new HashSet<>();
        for (Observations.Verdict v : window) {
            if (healthy.contains(v.observer())) byHealthy.add(v.subject());
            else if (faultyNames.contains(v.observer())) byFaulty.add(v.subject());
        }
        out.put("false_positives", byHealthy.size());
        if (faultyObserve) out.put("false_positives_by_faulty", byFaulty.size());
        else out.putNull("false_positives_by_faulty");
        if (!byHealthy.isEmpty()) out.set("false_positive_nodes", Http.JSON.valueToTree(new java.util.TreeSet<>(byHealthy)));
        Long dead = declaredDeadMs(c, healthy, faultyNames, t0, t1);
        Stats.put(out, "faulty_declared_dead_ms", dead == null ? null : dead.doubleValue());
        Stats.put(out, "faulty_status_flips", flipsMedian(c, healthy, faultyNames, t0, t1));
    }

    /** Fault start until every healthy observer holds every faulty node failed at once; null if never in [t0, t1]. */
    static Long declaredDeadMs(Cluster c, Set<String> observers, Set<String> subjects, long t0, long t1) {
        Map<String, Observations.Kind> state = new HashMap<>();
        for (Observations.Verdict v : sorted(c, observers, subjects, t1)) {
            state.merge(v.observer() + ">" + v.subject(), v.kind(), GrayFigures::after);
            if (v.ms() >= t0 && allFailed(state, observers, subjects)) return v.ms() - t0;
        }
        return null;
    }

    private static boolean allFailed(Map<String, Observations.Kind> state, Set<String> observers, Set<String> subjects) {
        for (String o : observers) {
            for (String s : subjects) {
                Observations.Kind k = state.get(o + ">" + s);
                if (k == null || !failed(k)) return false;
            }
        }
        return true;
    }

    /** Per (healthy observer, faulty node), the flips in [t0, t1]; the median over the pairs. */
    private static Double flipsMedian(Cluster c, Set<String> observers, Set<String> subjects, long t0, long t1) {
        boolean pekko = c.system() instanceof PekkoSystem;
        Map<String, Observations.Kind> state = new HashMap<>();
        Map<String, Integer> flips = new HashMap<>();
        for (Observations.Verdict v : sorted(c, observers, subjects, t1)) {
            String key = v.observer() + ">" + v.subject();
            Observations.Kind before = state.get(key);
            Observations.Kind now = after(before, v.kind());
            state.put(key, now);
            boolean wasFailed = before != null && failedForFlips(before, pekko);
            if (v.ms() >= t0 && failedForFlips(now, pekko) != wasFailed) flips.merge(key, 1, Integer::sum);
        }
        List<Integer> perPair = new ArrayList<>();
        for (String o : observers) for (String s : subjects) perPair.add(flips.getOrDefault(o + ">" + s, 0));
        return Stats.median(perPair);
    }

    private static List<Observations.Verdict> sorted(Cluster c, Set<String> observers, Set<String> subjects, long t1) {
        return c.observations().verdicts(v -> v.ms() <= t1 && observers.contains(v.observer()) && subjects.contains(v.subject()))
                .stream().sorted(Comparator.comparingLong(Observations.Verdict::ms)).toList();
    }

    static Set<String> names(List<Integer> nodes) {
        Set<String> out = new HashSet<>();
        for (int i : nodes) out.add(SystemUnderTest.nodeName(i));
        return out;
    }
}
