package dev.grapevine.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Order statistics of a sample (null for an empty one), and how a figure goes into a result line. */
final class Stats {
    private Stats() {}

    /** Whole numbers as integers, others to 2 decimals, null as null ("not measured"). */
    static void put(ObjectNode out, String field, Double v) {
        if (v == null) out.putNull(field);
        else if (v == Math.rint(v)) out.put(field, v.longValue());
        else out.put(field, Math.round(v * 100) / 100.0);
    }

    /** The upper median (the element at size/2 of the sorted sample), as the reports have always used. */
    static Double median(List<? extends Number> sample) {
        return rank(sample, 0.5);
    }

    /** Nearest rank: with 10 values, p99 is the largest. */
    static Double p99(List<? extends Number> sample) {
        return nearestRank(sample, 0.99);
    }

    /** Nearest rank: with 20 values, p95 is the 19th smallest; with 10, the largest. */
    static Double p95(List<? extends Number> sample) {
        return nearestRank(sample, 0.95);
    }

    private static Double nearestRank(List<? extends Number> sample, double q) {
        if (sample.isEmpty()) return null;
        List<Double> s = sorted(sample);
        return s.get((int) Math.ceil(s.size() * q) - 1);
    }

    static Double max(List<? extends Number> sample) {
        return sample.isEmpty() ? null : sorted(sample).get(sample.size() - 1);
    }

    static Double min(List<? extends Number> sample) {
        return sample.isEmpty() ? null : sorted(sample).get(0);
    }

    private static Double rank(List<? extends Number> sample, double q) {
        if (sample.isEmpty()) return null;
        List<Double> s = sorted(sample);
        return s.get((int) Math.floor(s.size() * q));
    }

    private static List<Double> sorted(List<? extends Number> sample) {
        List<Double> s = new ArrayList<>();
        for (Number n : sample) s.add(n.doubleValue());
        Collections.sort(s);
        return s;
    }
}
