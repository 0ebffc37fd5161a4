package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.wire.Message;

import java.util.Objects;

/**
 * A protocol message between two nodes' actors of the same role, with the Artery endpoint of the
 * node that sent it (the core answers pings and push-pulls there). Serialized by
 * {@link WireSerializer} with the core's compact codec.
 */
public record PeerMessage(Address from, Message message)
        implements MembershipActor.Command, ReplicaActor.Command {

    public PeerMessage {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(message, "message");
    }
}
