package dev.grapevine.bench.report;

import java.util.List;

/**
 * One metric of one (N, system) group across its runs: the median is the figure reported and
 * compared, min and max show how much the runs disagree (load on the host moves them a lot).
 */
record Spread(double median, double min, double max, int count) {

    /** Null when no run measured the metric, so "not measured" never turns into a zero. */
    static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = v.length / 2;
        double median = v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
        return new Spread(median, v[0], v[v.length - 1], v.length);
    }
}
