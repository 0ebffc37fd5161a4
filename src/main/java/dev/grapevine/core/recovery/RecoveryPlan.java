package dev.grapevine.core.recovery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a change of the live view means for each member, as data: the partitions it gains (with
 * whom to copy them from) and those it no longer owns. Computed the same way on every node from the
 * same two views, so no node has to tell another what to do.
 *
 * @param epoch the version of the live view this plan leads to
 * @param tasks per member, ordered by name
 */
public record RecoveryPlan(long epoch, Map<String, Task> tasks) {

    /**
     * @param gained partitions this member now owns and did not, each with the previous owners that
     *               are still live to repair it from (empty when every copy was lost)
     * @param lost   partitions this member owned and no longer does (it may hand them off, then drop them)
     */
    public record Task(Map<Integer, List<String>> gained, List<Integer> lost) {
        public Task {
            gained = Collections.unmodifiableMap(new TreeMap<>(gained));
            lost = List.copyOf(lost);
        }

        public boolean isEmpty() {
            return gained.isEmpty() && lost.isEmpty();
        }
    }

    public RecoveryPlan {
        tasks = Collections.unmodifiableMap(new TreeMap<>(tasks));
    }

    /** The plan that takes ownership from {@code before} to {@code after} (same partitions and RF). */
    public static RecoveryPlan between(long epoch, Ownership before, Ownership after) {
        if (before.partitions() != after.partitions() || before.replicationFactor() != after.replicationFactor()) {
            throw new IllegalArgumentException("plans compare one layout: " + before.partitions() + "x" + before.replicationFactor()
                    + " vs " + after.partitions() + "x" + after.replicationFactor());
        }
        Map<String, Map<Integer, List<String>>> gained = new TreeMap<>();
        Map<String, List<Integer>> lost = new TreeMap<>();
        for (int p = 0; p < after.partitions(); p++) {
            List<String> was = before.owners(p);
            List<String> now = after.owners(p);
            List<String> sources = new ArrayList<>();
            for (String o : was) {
                if (after.members().contains(o)) {
                    sources.add(o);
                }
            }
            for (String o : now) {
                if (!was.contains(o)) {
                    gained.computeIfAbsent(o, k -> new TreeMap<>()).put(p, sources);
                }
            }
            for (String o : was) {
                if (!now.contains(o) && after.members().contains(o)) {
                    lost.computeIfAbsent(o, k -> new ArrayList<>()).add(p);
                }
            }
        }
        Map<String, Task> tasks = new TreeMap<>();
        for (String m : after.members()) {
            Task t = new Task(gained.getOrDefault(m, Map.of()), lost.getOrDefault(m, List.of()));
            if (!t.isEmpty()) {
                tasks.put(m, t);
            }
        }
        return new RecoveryPlan(epoch, tasks);
    }

    /** The partitions whose owners changed, counted once each. */
    public int partitionsMoved() {
        Set<Integer> moved = new TreeSet<>();
        tasks.values().forEach(t -> moved.addAll(t.gained().keySet()));
        return moved.size();
    }

    public Task taskOf(String member) {
        return tasks.getOrDefault(Objects.requireNonNull(member), new Task(Map.of(), List.of()));
    }
}
