package dev.grapevine.core.node;

/**
 * A wake-up the node asked for with {@link Effect.Schedule}. The shell fires it at (or after) the time
 * asked; a timer whose work was already done or superseded is ignored when it fires, so shells never
 * need to cancel anything.
 *
 * @param seq     the probe or relay sequence number it belongs to, else 0
 * @param subject the member it is about (suspicion timers), else null
 */
public record Timer(Kind kind, long seq, String subject) {

    public enum Kind {
        /** Start the next SWIM probe. */
        PROBE_TICK,
        /** The direct ping got no ack in time: ask others. */
        PROBE_TIMEOUT,
        /** End of the probe period: no ack at all, suspect the target. */
        PROBE_DEADLINE,
        /** A ping-req relay got no ack: send the requester a nack. */
        RELAY_TIMEOUT,
        /** A suspicion may have run out. */
        SUSPICION,
        /** Send pending broadcasts to random members. */
        GOSSIP_TICK,
        /** Full-state exchange with a random member. */
        PUSH_PULL_TICK,
        /** Try to reach one dead member or a seed. */
        RECONNECT_TICK
    }

    public static final Timer PROBE_TICK = new Timer(Kind.PROBE_TICK, 0, null);
    public static final Timer GOSSIP_TICK = new Timer(Kind.GOSSIP_TICK, 0, null);
    public static final Timer PUSH_PULL_TICK = new Timer(Kind.PUSH_PULL_TICK, 0, null);
    public static final Timer RECONNECT_TICK = new Timer(Kind.RECONNECT_TICK, 0, null);

    public static Timer forProbe(Kind kind, long seq) {
        return new Timer(kind, seq, null);
    }

    public static Timer suspicion(String member) {
        return new Timer(Kind.SUSPICION, 0, member);
    }
}
