package dev.grapevine.runtime;

import dev.grapevine.core.node.Role;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node's counters and gauges, as each role actor last published them (about once a second).
 * Actors own their counters; they publish copies here, so readers (the admin API) never touch an
 * actor's state. A counter that several roles keep is reported as their sum.
 */
final class NodeMetrics {
    /** How often each role actor publishes its figures. */
    static final java.time.Duration PUBLISH_EVERY = java.time.Duration.ofSeconds(1);

    private final Map<String, Map<String, Long>> bySource = new TreeMap<>();
    private final Map<String, java.util.function.Supplier<Map<String, Long>>> live = new TreeMap<>();

    void publish(Role role, Map<String, Long> figures) {
        publish(role.name(), figures);
    }

    /** @param source the actor that keeps these figures (a role, or the recovery coordinator) */
    synchronized void publish(String source, Map<String, Long> figures) {
        bySource.put(source, Map.copyOf(figures));
    }

    /** {@code source}'s figures are read from it at each snapshot: a component that keeps them thread-safe itself. */
    synchronized void attach(String source, java.util.function.Supplier<Map<String, Long>> figures) {
        live.put(source, figures);
    }

    /** Every figure by name, summed over the roles that keep it. */
    public synchronized Map<String, Long> snapshot() {
        Map<String, Long> total = new LinkedHashMap<>();
        live.forEach((source, figures) -> figures.get().forEach((name, value) -> total.merge(name, value, Long::sum)));
        for (Map<String, Long> figures : bySource.values()) {
            figures.forEach((name, value) -> total.merge(name, value, Long::sum));
        }
        return total;
    }
}
