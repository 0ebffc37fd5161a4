package dev.grapevine.bench.report;

/**
 * What the protocol itself costs with Grapevine's LAN settings, before any implementation overhead.
 * The goal is measured / floor ≤ 1.25 for Grapevine.
 */
final class ProtocolFloors {
    static final double PROBE_INTERVAL_MS = 1000;
    /**
     * SWIM's expected time until some member probes the crashed node and its probe fails, in probe
     * intervals: e / (e - 1), about 1.58 (Das et al. 2002), rounded up.
     */
    static final double PROBE_TO_SUSPICION_INTERVALS = 1.6;
    /** memberlist's LAN suspicion multiplier, which Grapevine's lan profile uses too. */
    static final double SUSPICION_MULT = 4;
    static final double GOAL_RATIO = 1.25;

    private ProtocolFloors() {
    }

    /**
     * Crash until every survivor says dead: 1.6 probe intervals plus the minimum suspicion timeout,
     * which (as in memberlist) is mult × max(1, log10 N) × probe interval. 5,600 ms at N ≤ 10.
     */
    static double detectionMs(int nodes) {
        double suspicionMinMs = SUSPICION_MULT * Math.max(1, Math.log10(nodes)) * PROBE_INTERVAL_MS;
        return PROBE_TO_SUSPICION_INTERVALS * PROBE_INTERVAL_MS + suspicionMinMs;
    }

    /** measured / floor, 2 decimals, or null when not measured. */
    static Double ratio(Double measured, double floor) {
        return measured == null ? null : Math.round(measured / floor * 100) / 100.0;
    }
}
