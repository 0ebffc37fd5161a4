package dev.grapevine.core.node;

import dev.grapevine.core.wire.Message;

/**
 * The three protocol components of a node. In a running node each is one actor, and a message from
 * a peer goes to the peer's component of the same role; in {@link SwimNode} they run side by side.
 */
public enum Role {
    /**
     * Single writer of the member view: merges, refutes, times suspicions, push-pull and view digests,
     * user events (the direct sends of small clusters included).
     */
    MEMBERSHIP,
    /** SWIM probing with Lifeguard local health, on a replica of the view. */
    FAILURE_DETECTOR,
    /** The broadcast queue: periodic gossip and piggyback on probes, on a replica of the view. */
    GOSSIPER;

    /** The component of the receiving node that handles {@code message}. */
    public static Role of(Message message) {
        if (message instanceof Message.Gossip) {
            return GOSSIPER;
        }
        if (message instanceof Message.PushPull || message instanceof Message.ViewDigest || message instanceof Message.Event
                || message instanceof Message.Refusal) {
            return MEMBERSHIP;
        }
        return FAILURE_DETECTOR; // Ping, Ack, Nack, PingReq
    }
}
