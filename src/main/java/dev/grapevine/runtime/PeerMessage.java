package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.wire.ClusterName;
import dev.grapevine.core.wire.Message;

import java.util.Objects;

/**
 * A protocol message between two nodes' actors of the same role, with the Artery endpoint of the
 * node that sent it (the core answers pings and push-pulls there). Serialized by
 * {@link WireSerializer} with the core's compact codec.
 *
 * @param cluster   the id of the sender's cluster ({@link ClusterName#id}), from the message's frame
 * @param fromEpoch the sender's life, and {@code fromUid} the uid of its actor for the message's
 *                  role (0: unknown), from which the receiver learns to send back to {@code path#uid}
 *                  (see {@link PeerUids})
 * @param fromSystem the name of the sender's actor system, from the frame's header (empty: not said),
 *                  under which the receiver can answer it before it knows it as a member (see {@link PeerSystems})
 */
record PeerMessage(Address from, long fromEpoch, int fromUid, long cluster, Message message, String fromSystem)
        implements MembershipActor.Command, ReplicaActor.Command {

    public PeerMessage {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fromSystem, "fromSystem");
    }

    /** A message whose sender did not say its system's name. */
    public PeerMessage(Address from, long fromEpoch, int fromUid, long cluster, Message message) {
        this(from, fromEpoch, fromUid, cluster, message, "");
    }

    /** A message from a node of the default cluster. */
    public PeerMessage(Address from, long fromEpoch, int fromUid, Message message) {
        this(from, fromEpoch, fromUid, ClusterName.DEFAULT.id(), message);
    }

    /** A message whose sender's actor is not known. */
    public PeerMessage(Address from, Message message) {
        this(from, 0, 0, ClusterName.DEFAULT.id(), message);
    }
}
