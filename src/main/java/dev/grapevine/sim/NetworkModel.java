package dev.grapevine.sim;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The simulated network between node indexes: per-message loss, latency (a floor plus exponential
 * jitter, which also reorders), duplication, and partitions. A partition assigns nodes to groups and
 * blocks chosen directions between groups, so both symmetric splits and one-way (asymmetric) cuts are
 * expressible. Every random draw comes from the generator given, so a seed replays a run exactly.
 */
public final class NetworkModel {
    private final RandomGenerator rng;
    private double lossFraction;
    private double duplicateFraction;
    private long latencyMinMillis;
    private double latencyJitterMeanMillis;
    /** Group of each node; all zero when whole. */
    private int[] groupOf;
    /** blocked[a][b]: messages from group a to group b are dropped. */
    private boolean[][] blocked = new boolean[1][1];

    public NetworkModel(int nodes, RandomGenerator rng) {
        this.rng = rng;
        this.groupOf = new int[nodes];
        this.latencyMinMillis = 1;
        this.latencyJitterMeanMillis = 1.0;
    }

    public void setLoss(double fraction) {
        if (fraction < 0 || fraction >= 1) {
            throw new IllegalArgumentException("loss must be in [0, 1), but was " + fraction);
        }
        this.lossFraction = fraction;
    }

    public void setDuplicates(double fraction) {
        if (fraction < 0 || fraction >= 1) {
            throw new IllegalArgumentException("duplicate fraction must be in [0, 1), but was " + fraction);
        }
        this.duplicateFraction = fraction;
    }

    public void setLatency(long minMillis, double jitterMeanMillis) {
        if (minMillis < 0 || jitterMeanMillis < 0) {
            throw new IllegalArgumentException("latency must be >= 0, but was " + minMillis + " + " + jitterMeanMillis);
        }
        this.latencyMinMillis = minMillis;
        this.latencyJitterMeanMillis = jitterMeanMillis;
    }

    /** Splits the nodes into groups ({@code groupOf[node]}) that cannot reach each other in either direction. */
    public void partition(int[] groups) {
        int count = Arrays.stream(groups).max().orElse(0) + 1;
        groupOf = groups.clone();
        blocked = new boolean[count][count];
        for (int a = 0; a < count; a++) {
            for (int b = 0; b < count; b++) {
                blocked[a][b] = a != b;
            }
        }
    }

    /** Like {@link #partition}, but only messages from group {@code from} to group {@code to} are lost. */
    public void partitionOneWay(int[] groups, int from, int to) {
        int count = Arrays.stream(groups).max().orElse(0) + 1;
        groupOf = groups.clone();
        blocked = new boolean[count][count];
        blocked[from][to] = true;
    }

    public void heal() {
        Arrays.fill(groupOf, 0);
        blocked = new boolean[1][1];
    }

    public boolean isPartitioned() {
        for (boolean[] row : blocked) {
            for (boolean b : row) {
                if (b) {
                    return true;
                }
            }
        }
        return false;
    }

    public boolean canReach(int from, int to) {
        return !blocked[groupOf[from]][groupOf[to]];
    }

    /** Copies a message gets: 0 (lost or cut off), 1, or 2 (duplicated). */
    public int copies(int from, int to) {
        if (!canReach(from, to)) {
            return 0;
        }
        if (lossFraction > 0 && rng.nextDouble() < lossFraction) {
            return 0;
        }
        return duplicateFraction > 0 && rng.nextDouble() < duplicateFraction ? 2 : 1;
    }

    public long latencyMillis() {
        if (latencyJitterMeanMillis <= 0) {
            return latencyMinMillis;
        }
        double jitter = -latencyJitterMeanMillis * Math.log(1.0 - rng.nextDouble());
        return latencyMinMillis + Math.round(jitter);
    }
}
