package dev.grapevine.sim;

import java.util.Map;

/**
 * The outcome of one run: its figures (ordered as printed) and whether it passed, i.e. converged with
 * no safety violation. A failed run is replayed with {@link ScenarioSpec#reproduceCommand()}.
 */
public record SimulationReport(ScenarioSpec spec, Map<String, Object> figures, boolean passed) {

    public long figure(String key) {
        Object v = figures.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("no numeric figure '" + key + "' in " + figures.keySet());
        }
        return n.longValue();
    }

    public double decimal(String key) {
        Object v = figures.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("no numeric figure '" + key + "' in " + figures.keySet());
        }
        return n.doubleValue();
    }

    /** A line for assertion messages: what failed and how to replay it. */
    public String describe() {
        return figures + "\nreproduce with: " + spec.reproduceCommand();
    }
}
