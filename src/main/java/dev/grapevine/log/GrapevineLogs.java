package dev.grapevine.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * The loggers an operator filters on, one per concern, all under {@code dev.grapevine}; and the
 * {@value #NODE_MDC} MDC key that names the node a line comes from (several nodes can share a JVM).
 */
public final class GrapevineLogs {
    /** Members joining, suspected, alive again, failed, left, reaped, restarted; this node's identity. */
    public static final String MEMBERSHIP = "dev.grapevine.membership";
    /** Probes: relays refused, late acks, pings meant for another member. */
    public static final String PROBES = "dev.grapevine.probes";
    /** The broadcast queue: rumors dropped or too large. */
    public static final String GOSSIP = "dev.grapevine.gossip";
    /** Recovery epochs: started, complete everywhere, hand-offs; progress refused. */
    public static final String RECOVERY = "dev.grapevine.recovery";
    /** Merkle exchanges: failed exchanges, refused or malformed requests. */
    public static final String REPAIR = "dev.grapevine.repair";
    /** The key-value store: refused writes and reads, hints. */
    public static final String KV = "dev.grapevine.kv";
    /** Seed discovery from DNS: what a lookup found, and lookups that failed. */
    public static final String DISCOVERY = "dev.grapevine.discovery";
    /** The node's life: started, stopped, its data dir. */
    public static final String NODE = "dev.grapevine.node";

    /** MDC key holding the name of the node that logs. */
    public static final String NODE_MDC = "node";

    /**
     * Marks lines {@link RepeatedWarningsFilter} must let through: lines rate-limited where they are
     * written (one per kind and window, with a count), which it would limit twice, and lines of
     * which an operator needs every one (a member failed), which look alike but are not repeats.
     */
    public static final Marker UNTHROTTLED = MarkerFactory.getMarker("GRAPEVINE_UNTHROTTLED");

    private GrapevineLogs() {
    }

    public static Logger logger(String name) {
        return LoggerFactory.getLogger(name);
    }

    /** Runs {@code write} with {@code node} as the {@value #NODE_MDC} MDC value, restoring the previous one. */
    public static void asNode(String node, Runnable write) {
        String previous = MDC.get(NODE_MDC);
        MDC.put(NODE_MDC, node);
        try {
            write.run();
        } finally {
            if (previous == null) {
                MDC.remove(NODE_MDC);
            } else {
                MDC.put(NODE_MDC, previous);
            }
        }
    }
}
