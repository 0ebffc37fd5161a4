package dev.grapevine.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Protocol timings and bounds of one node, validated once. Start from a {@link Profile} and override
 * with {@link #toBuilder()}. Each field names the HOCON key it will be read from (kebab-case).
 *
 * @param probeInterval         SWIM protocol period: one member probed per period (probe-interval)
 * @param probeTimeout          wait for a direct ack before asking others; above the network's p99 RTT (probe-timeout)
 * @param indirectChecks        k members asked to ping-req a member that missed its ack (indirect-checks)
 * @param gossipInterval        period of piggyback gossip to random members (gossip-interval)
 * @param gossipFanout          members gossiped to per period (gossip-fanout)
 * @param gossipToTheDead       how long a dead member still receives gossip, so it can learn and refute (gossip-to-the-dead)
 * @param suspicionMult         suspicion min = mult · max(1, log10 N) · probe interval (suspicion-mult)
 * @param suspicionMaxMult      suspicion max = this · suspicion min, shrinking with confirmations (suspicion-max-timeout-mult)
 * @param retransmitMult        a broadcast is sent in mult · ⌈log2(N+1)⌉ messages per node (retransmit-mult)
 * @param pushPullInterval      full-state anti-entropy period at N ≤ 32, scaled up above (push-pull-interval)
 * @param pushPullMembersMax    members per push-pull message; larger views are sent in rotating windows (push-pull-members-max)
 * @param reconnectInterval     period of attempts to reach one dead member or seed; never gives up (reconnect-interval)
 * @param reapLeftAfter         how long a member that left stays listed before it is reaped (reap-left-after; Serf: 24 h).
 *                              Dead members are never reaped: they are whom reconnects go to
 * @param awarenessMax          Lifeguard local-health ceiling: timeouts stretch up to this factor (awareness-max)
 * @param gossipBytesMax        byte budget of one gossip message (gossip-max-bytes)
 * @param piggybackBytesMax     byte budget of broadcasts piggybacked on a ping or ack (piggyback-max-bytes)
 * @param broadcastQueueMax     broadcasts waiting to be sent; the oldest are dropped and counted beyond (broadcast-queue-max)
 * @param userEventBytesMax     name + payload of one user event (user-event-max-bytes; Serf: 512)
 * @param userEventDirectMax    a user event goes from its sender straight to every live member while there are at
 *                              most this many others, as well as by gossip; 0 = gossip only (user-event-direct-max)
 * @param eventBufferSize       Lamport times remembered for user-event dedup; older events are dropped as too old (event-buffer-size)
 * @param relaysMax             ping-req relays this node serves at once; more are refused and counted (relays-max)
 * @param gossipCopiesMax       copies of one broadcast this node sends to any one member (gossip-copies-per-member):
 *                              2 in the profiles, for a network that loses copies one at a time (the simulator's);
 *                              1 on a node, since Artery delivers a second copy after the first
 * @param corroborators         members that check a new suspect at once with their own probe (corroborators);
 *                              0 leaves suspicion to Lifeguard's timeout alone
 * @param suspicionQuorum       distinct members whose own probes failed that declare a death before Lifeguard's
 *                              timeout, after the refutation window (suspicion-quorum)
 * @param accuserHealthMax      a node whose Lifeguard health score is above this neither raises, confirms nor
 *                              declares a suspicion (accuser-health-max)
 * @param rejoinAfterDeaf       how long a node whose health score reached its ceiling (it heard no one) must hear
 *                              the others again before it refutes a suspicion or a verdict of its death
 *                              (rejoin-after-deaf)
 */
public record Settings(
        Duration probeInterval,
        Duration probeTimeout,
        int indirectChecks,
        Duration gossipInterval,
        int gossipFanout,
        Duration gossipToTheDead,
        int suspicionMult,
        int suspicionMaxMult,
        int retransmitMult,
        Duration pushPullInterval,
        int pushPullMembersMax,
        Duration reconnectInterval,
        Duration reapLeftAfter,
        int awarenessMax,
        int gossipBytesMax,
        int piggybackBytesMax,
        int broadcastQueueMax,
        int userEventBytesMax,
        int userEventDirectMax,
        int eventBufferSize,
        int relaysMax,
        int gossipCopiesMax,
        int corroborators,
        int suspicionQuorum,
        int accuserHealthMax,
        Duration rejoinAfterDeaf) {

    /** Bytes a gossip message spends on framing and one rumor's header besides a user event's payload. */
    static final int EVENT_FRAMING_BYTES = 64 + 128;

    public Settings {
        List<Problem> errors = new ArrayList<>();
        positive(errors, "probe-interval", probeInterval);
        positive(errors, "probe-timeout", probeTimeout);
        positive(errors, "gossip-interval", gossipInterval);
        positive(errors, "gossip-to-the-dead", gossipToTheDead);
        positive(errors, "push-pull-interval", pushPullInterval);
        positive(errors, "reconnect-interval", reconnectInterval);
        positive(errors, "reap-left-after", reapLeftAfter);
        if (errors.isEmpty() && probeTimeout.compareTo(probeInterval) >= 0) {
            errors.add(new Problem("probe-timeout", probeTimeout.toMillis() + " ms", "must be shorter than probe-interval ("
                    + probeInterval.toMillis() + " ms): the indirect probe needs the rest of the period"));
        }
        range(errors, "indirect-checks", indirectChecks, 0, 16);
        range(errors, "gossip-fanout", gossipFanout, 1, 16);
        range(errors, "suspicion-mult", suspicionMult, 1, 100);
        range(errors, "suspicion-max-timeout-mult", suspicionMaxMult, 1, 100);
        range(errors, "retransmit-mult", retransmitMult, 1, 100);
        range(errors, "push-pull-members-max", pushPullMembersMax, 16, 100_000);
        range(errors, "awareness-max", awarenessMax, 1, 64);
        // Artery's default maximum-frame-size is 256 KiB: a message must fit in one frame.
        range(errors, "gossip-max-bytes", gossipBytesMax, 512, 128 * 1024);
        range(errors, "piggyback-max-bytes", piggybackBytesMax, 0, 64 * 1024);
        range(errors, "broadcast-queue-max", broadcastQueueMax, 16, 1 << 20);
        range(errors, "user-event-max-bytes", userEventBytesMax, 16, 64 * 1024);
        range(errors, "user-event-direct-max", userEventDirectMax, 0, 1024);
        range(errors, "event-buffer-size", eventBufferSize, 16, 1 << 20);
        range(errors, "relays-max", relaysMax, 1, 1 << 20);
        range(errors, "gossip-copies-per-member", gossipCopiesMax, 1, 8);
        range(errors, "corroborators", corroborators, 0, 16);
        range(errors, "suspicion-quorum", suspicionQuorum, 2, 16);
        range(errors, "accuser-health-max", accuserHealthMax, 0, 64);
        if (rejoinAfterDeaf == null) {
            errors.add(new Problem("rejoin-after-deaf", "null", "is missing"));
        } else if (rejoinAfterDeaf.isNegative() || rejoinAfterDeaf.compareTo(Duration.ofHours(1)) > 0) {
            errors.add(new Problem("rejoin-after-deaf", millis(rejoinAfterDeaf), "must be in 0 ms..1 h"));
        }
        if (userEventBytesMax + EVENT_FRAMING_BYTES > gossipBytesMax) {
            errors.add(new Problem("user-event-max-bytes", String.valueOf(userEventBytesMax), "must leave " + EVENT_FRAMING_BYTES
                    + " bytes of framing within gossip-max-bytes (" + gossipBytesMax + "), or no event could be sent"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidSettingsException(errors);
        }
    }

    public long probeIntervalMillis() {
        return probeInterval.toMillis();
    }

    public long probeTimeoutMillis() {
        return probeTimeout.toMillis();
    }

    public long gossipIntervalMillis() {
        return gossipInterval.toMillis();
    }

    /**
     * How long a suspect has to refute before a quorum of accusers may declare it dead: one probe
     * timeout, measured from when this node began to suspect it. A suspect that is alive hears of the
     * suspicion on the checkers' pings (Lifeguard's buddy system) within a round trip and refutes on
     * the ack, so a checker that reached it never confirms; the window leaves the refutation time to
     * spread, and costs nothing in a real crash, where the checks take as long.
     */
    public long refutationWindowMillis() {
        return probeTimeout.toMillis();
    }

    /**
     * How long a ping-req relay waits for the target's ack before it sends the requester a nack. The
     * nack must reach the requester before its probe period ends, or Lifeguard counts it missing and
     * blames the requester's own health: the ping-req goes out after one probe timeout, so the relay
     * waits at most four fifths of what is left of the period (400 ms of the LAN profile's 500).
     */
    public long relayTimeoutMillis() {
        return Math.max(1, Math.min(probeTimeout.toMillis(), (probeInterval.toMillis() - probeTimeout.toMillis()) * 4 / 5));
    }

    public long rejoinAfterDeafMillis() {
        return rejoinAfterDeaf.toMillis();
    }

    /** Lifeguard/memberlist suspicion minimum for a cluster of {@code n} live members. */
    public long suspicionMinMillis(int n) {
        double nodeScale = Math.max(1.0, Math.log10(Math.max(1, n)));
        return Math.round(suspicionMult * nodeScale * probeInterval.toMillis());
    }

    public long suspicionMaxMillis(int n) {
        return suspicionMaxMult * suspicionMinMillis(n);
    }

    /**
     * Messages a node sends each broadcast in: {@code retransmitMult · ⌈log2(N+1)⌉}. memberlist uses
     * log10, which gives only 4 sends at N ≤ 9, so one lost packet there waits for push-pull; log2 gives
     * 9 at N = 5 and 42 at N = 10,000, still O(log N) (piggyback λ·log N reaches all but N^-(2λ-2)).
     */
    public int retransmitLimit(int n) {
        int log2Ceil = 32 - Integer.numberOfLeadingZeros(Math.max(1, n)); // ⌈log2(n+1)⌉ for n ≥ 1
        return retransmitMult * log2Ceil;
    }

    /**
     * memberlist's push-pull scaling: the full-state exchange costs O(N) bytes, so above 32 members the
     * interval grows by one period per doubling: interval · (⌈log2 N − log2 32⌉ + 1).
     */
    public long pushPullIntervalMillis(int n) {
        long base = pushPullInterval.toMillis();
        if (n <= 32) {
            return base;
        }
        int log2Ceil = 32 - Integer.numberOfLeadingZeros(n - 1); // ⌈log2 n⌉, exact
        return base * (log2Ceil - 5 + 1);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void positive(List<Problem> errors, String key, Duration d) {
        if (d == null) {
            errors.add(new Problem(key, "null", "is missing"));
        } else if (d.compareTo(Duration.ofMillis(1)) < 0) {
            errors.add(new Problem(key, millis(d), "must be at least 1 ms"));
        } else if (d.compareTo(Duration.ofDays(7)) > 0) {
            errors.add(new Problem(key, millis(d), "must be at most 7 days"));
        }
    }

    private static String millis(Duration d) {
        return d.getNano() % 1_000_000 == 0 ? d.toMillis() + " ms" : d.toString();
    }

    private static void range(List<Problem> errors, String key, int value, int min, int max) {
        if (value < min || value > max) {
            errors.add(new Problem(key, String.valueOf(value), "must be in " + min + ".." + max));
        }
    }

    /** One setting out of its range: its key (as in the config), its value, and what it accepts. */
    public record Problem(String key, String value, String text) {
        @Override
        public String toString() {
            return key + " = " + value + ": " + text;
        }
    }

    /** Settings that break their ranges or each other, with every problem (not just the first). */
    public static final class InvalidSettingsException extends IllegalArgumentException {
        private final List<Problem> problems;

        InvalidSettingsException(List<Problem> problems) {
            super("invalid grapevine settings: " + problems.stream().map(Problem::toString).reduce((a, b) -> a + "; " + b).orElse(""));
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }
    }

    /** Overrides for a few fields of a profile; {@link #build()} validates the whole. */
    public static final class Builder {
        private Duration probeInterval;
        private Duration probeTimeout;
        private int indirectChecks;
        private Duration gossipInterval;
        private int gossipFanout;
        private Duration gossipToTheDead;
        private int suspicionMult;
        private int suspicionMaxMult;
        private int retransmitMult;
        private Duration pushPullInterval;
        private int pushPullMembersMax;
        private Duration reconnectInterval;
        private Duration reapLeftAfter;
        private int awarenessMax;
        private int gossipBytesMax;
        private int piggybackBytesMax;
        private int broadcastQueueMax;
        private int userEventBytesMax;
        private int userEventDirectMax;
        private int eventBufferSize;
        private int relaysMax;
        private int gossipCopiesMax;
        private int corroborators;
        private int suspicionQuorum;
        private int accuserHealthMax;
        private Duration rejoinAfterDeaf;

        private Builder(Settings s) {
            probeInterval = s.probeInterval;
            probeTimeout = s.probeTimeout;
            indirectChecks = s.indirectChecks;
            gossipInterval = s.gossipInterval;
            gossipFanout = s.gossipFanout;
            gossipToTheDead = s.gossipToTheDead;
            suspicionMult = s.suspicionMult;
            suspicionMaxMult = s.suspicionMaxMult;
            retransmitMult = s.retransmitMult;
            pushPullInterval = s.pushPullInterval;
            pushPullMembersMax = s.pushPullMembersMax;
            reconnectInterval = s.reconnectInterval;
            reapLeftAfter = s.reapLeftAfter;
            awarenessMax = s.awarenessMax;
            gossipBytesMax = s.gossipBytesMax;
            piggybackBytesMax = s.piggybackBytesMax;
            broadcastQueueMax = s.broadcastQueueMax;
            userEventBytesMax = s.userEventBytesMax;
            userEventDirectMax = s.userEventDirectMax;
            eventBufferSize = s.eventBufferSize;
            relaysMax = s.relaysMax;
            gossipCopiesMax = s.gossipCopiesMax;
            corroborators = s.corroborators;
            suspicionQuorum = s.suspicionQuorum;
            accuserHealthMax = s.accuserHealthMax;
            rejoinAfterDeaf = s.rejoinAfterDeaf;
        }

        public Builder probeInterval(Duration v) { probeInterval = v; return this; }
        public Builder probeTimeout(Duration v) { probeTimeout = v; return this; }
        public Builder indirectChecks(int v) { indirectChecks = v; return this; }
        public Builder gossipInterval(Duration v) { gossipInterval = v; return this; }
        public Builder gossipFanout(int v) { gossipFanout = v; return this; }
        public Builder gossipToTheDead(Duration v) { gossipToTheDead = v; return this; }
        public Builder suspicionMult(int v) { suspicionMult = v; return this; }
        public Builder suspicionMaxMult(int v) { suspicionMaxMult = v; return this; }
        public Builder retransmitMult(int v) { retransmitMult = v; return this; }
        public Builder pushPullInterval(Duration v) { pushPullInterval = v; return this; }
        public Builder pushPullMembersMax(int v) { pushPullMembersMax = v; return this; }
        public Builder reconnectInterval(Duration v) { reconnectInterval = v; return this; }
        public Builder reapLeftAfter(Duration v) { reapLeftAfter = v; return this; }
        public Builder awarenessMax(int v) { awarenessMax = v; return this; }
        public Builder gossipBytesMax(int v) { gossipBytesMax = v; return this; }
        public Builder piggybackBytesMax(int v) { piggybackBytesMax = v; return this; }
        public Builder broadcastQueueMax(int v) { broadcastQueueMax = v; return this; }
        public Builder userEventBytesMax(int v) { userEventBytesMax = v; return this; }
        public Builder userEventDirectMax(int v) { userEventDirectMax = v; return this; }
        public Builder eventBufferSize(int v) { eventBufferSize = v; return this; }
        public Builder relaysMax(int v) { relaysMax = v; return this; }
        public Builder gossipCopiesMax(int v) { gossipCopiesMax = v; return this; }
        public Builder corroborators(int v) { corroborators = v; return this; }
        public Builder suspicionQuorum(int v) { suspicionQuorum = v; return this; }
        public Builder accuserHealthMax(int v) { accuserHealthMax = v; return this; }
        public Builder rejoinAfterDeaf(Duration v) { rejoinAfterDeaf = v; return this; }

        public Settings build() {
            return new Settings(probeInterval, probeTimeout, indirectChecks, gossipInterval, gossipFanout,
                    gossipToTheDead, suspicionMult, suspicionMaxMult, retransmitMult, pushPullInterval,
                    pushPullMembersMax, reconnectInterval, reapLeftAfter, awarenessMax, gossipBytesMax, piggybackBytesMax,
                    broadcastQueueMax, userEventBytesMax, userEventDirectMax, eventBufferSize, relaysMax, gossipCopiesMax,
                    corroborators, suspicionQuorum, accuserHealthMax, rejoinAfterDeaf);
        }
    }
}
