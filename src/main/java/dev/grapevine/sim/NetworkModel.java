package dev.grapevine.sim;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The simulated network between node indexes: per-message loss, latency (a floor plus exponential
 * jitter, which also reorders), duplication, partitions, and per-node inbound loss (a node that
 * hears little or nothing but can still send). A partition assigns nodes to groups and
 * blocks chosen directions between groups, so both symmetric splits and one-way (asymmetric) cuts are
 * expressible. Every random draw comes from the generator given, so a seed replays a run exactly.
 *
 * <p>Loss shows in one of two ways ({@link Transport}): a datagram is simply gone, as a UDP probe
 * is; on a stream, as on Artery's TCP connections, a lost packet is sent again after a timeout, and
 * what is sent behind it waits.
 */
public final class NetworkModel {

    /** How a lost packet shows. */
    public enum Transport {
        /** Each message is lost, or arrives, on its own; duplicates and reordering happen. */
        DATAGRAM,
        /**
         * One ordered connection per direction between two nodes, as TCP. A message whose packet is
         * lost arrives when a retransmission gets through: the first 200 ms after sending (Linux's
         * minimum retransmission timeout, and its tail-loss probe with one packet in flight), then
         * after timeouts that double. The connection sends nothing new until a packet and its
         * acknowledgement both got through, so the messages behind a loss wait too. A message across
         * a partition is lost, as with a connection that broke.
         */
        STREAM
    }

    /** Linux's minimum retransmission timeout: the first retry of a lone lost packet waits this long. */
    static final long RETRANSMIT_FIRST_MILLIS = 200;
    /** TCP gives a connection up after about 15 retries (tcp_retries2); here a message waits at most this. */
    static final long RETRANSMIT_GIVE_UP_MILLIS = 120_000;

    private final RandomGenerator rng;
    private Transport transport = Transport.DATAGRAM;
    /** STREAM: per directed pair (from · n + to), when the connection can send again and its last delivery. */
    private final Map<Long, long[]> streams = new HashMap<>();
    private final int nodes;
    private double lossFraction;
    private double duplicateFraction;
    private long latencyMinMillis;
    private double latencyJitterMeanMillis;
    /** Group of each node; all zero when whole. */
    private int[] groupOf;
    /** blocked[a][b]: messages from group a to group b are dropped. */
    private boolean[][] blocked = new boolean[1][1];
    /**
     * Per receiving node, the fraction of messages to it that are lost on top of {@link #lossFraction}
     * (1.0: it hears nothing); null while every node hears normally, so runs without it draw exactly
     * the random numbers they always drew.
     */
    private double[] inboundLoss;

    public NetworkModel(int nodes, RandomGenerator rng) {
        this.rng = rng;
        this.nodes = nodes;
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

    /**
     * A gray failure of one node: {@code fraction} of the messages sent to {@code node} are lost, on
     * top of the network's loss; 1.0 cuts it off (it still sends). 0 restores it. On a STREAM a lost
     * packet is resent as any other (and a lost acknowledgement from the node delays the sender's
     * next message too); a cut node's connections deliver nothing, as across a partition.
     */
    public void setInboundLoss(int node, double fraction) {
        if (node < 0 || node >= nodes) {
            throw new IllegalArgumentException("node must be in 0.." + (nodes - 1) + ", but was " + node);
        }
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("inbound loss must be in [0, 1], but was " + fraction);
        }
        if (inboundLoss == null) {
            if (fraction == 0) {
                return;
            }
            inboundLoss = new double[nodes];
        }
        inboundLoss[node] = fraction;
    }

    /** The fraction of messages to {@code node} lost on top of the network's loss (1.0: cut off). */
    public double inboundLoss(int node) {
        return inboundLoss == null ? 0 : inboundLoss[node];
    }

    /** Whether messages from {@code from} can arrive at {@code to} at all: no partition, and {@code to} not cut off. */
    public boolean canDeliver(int from, int to) {
        return canReach(from, to) && inboundLoss(to) < 1;
    }

    public void setTransport(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        streams.clear();
    }

    public Transport transport() {
        return transport;
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

    /**
     * When a message sent now from {@code from} to {@code to} arrives: none (lost or cut off), one
     * time, or two (a duplicated datagram).
     */
    public long[] arrivals(int from, int to, long nowMillis) {
        if (transport == Transport.STREAM) {
            return canDeliver(from, to) ? new long[] {streamArrival(from, to, nowMillis)} : new long[0];
        }
        long[] at = new long[copies(from, to)];
        for (int c = 0; c < at.length; c++) {
            at[c] = nowMillis + latencyMillis();
        }
        return at;
    }

    /**
     * A message on the connection from {@code from} to {@code to}. An idle connection sends it at once;
     * while a transmission is unacknowledged, what is sent waits and goes out together in the next
     * one, as TCP sends its queued bytes. A transmission is retried while its packet or the
     * acknowledgement is lost; it arrives with the first packet that gets through.
     */
    private long streamArrival(int from, int to, long nowMillis) {
        long[] link = streams.computeIfAbsent((long) from * nodes + to, k -> new long[] {0, 0, 0});
        // link[0]: when the last scheduled transmission is acknowledged; [1]: when it starts; [2]: when it arrives
        if (nowMillis < link[0] && link[1] > nowMillis) {
            return link[2]; // joins the transmission that waits for the one in flight
        }
        long start = Math.max(nowMillis, link[0]);
        long oneWay = latencyMillis();
        double packetLoss = combined(lossFraction, inboundLoss(to));
        double ackLoss = combined(lossFraction, inboundLoss(from)); // the acknowledgement travels back to the sender
        long arrival = -1;
        long waitedMillis = 0;
        for (long backoff = RETRANSMIT_FIRST_MILLIS; ; backoff *= 2) {
            boolean delivered = rng.nextDouble() >= packetLoss;
            boolean acknowledged = delivered && rng.nextDouble() >= ackLoss;
            if (delivered && arrival < 0) {
                arrival = start + waitedMillis + oneWay;
            }
            if (acknowledged || waitedMillis >= RETRANSMIT_GIVE_UP_MILLIS) {
                break;
            }
            waitedMillis += backoff;
        }
        long acknowledgedAt = start + waitedMillis + 2 * oneWay;
        if (arrival < 0) {
            arrival = acknowledgedAt; // given up on: the connection is torn down and rebuilt, and it goes first
        }
        arrival = Math.max(arrival, link[2]); // in order
        link[0] = acknowledgedAt;
        link[1] = start;
        link[2] = arrival;
        return arrival;
    }

    /** Copies a message gets: 0 (lost or cut off), 1, or 2 (duplicated). */
    private int copies(int from, int to) {
        if (!canReach(from, to)) {
            return 0;
        }
        if (lossFraction > 0 && rng.nextDouble() < lossFraction) {
            return 0;
        }
        double inbound = inboundLoss(to);
        if (inbound >= 1 || (inbound > 0 && rng.nextDouble() < inbound)) {
            return 0;
        }
        return duplicateFraction > 0 && rng.nextDouble() < duplicateFraction ? 2 : 1;
    }

    /** The chance a packet is lost to either of two independent causes. */
    private static double combined(double a, double b) {
        return b == 0 ? a : 1 - (1 - a) * (1 - b);
    }

    public long latencyMillis() {
        if (latencyJitterMeanMillis <= 0) {
            return latencyMinMillis;
        }
        double jitter = -latencyJitterMeanMillis * Math.log(1.0 - rng.nextDouble());
        return latencyMinMillis + Math.round(jitter);
    }
}
