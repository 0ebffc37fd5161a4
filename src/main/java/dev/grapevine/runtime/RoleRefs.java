package dev.grapevine.runtime;

import dev.grapevine.core.node.Role;
import dev.grapevine.core.node.Signal;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The three role actors of one node, for their signals to each other ({@code Effect.Tell}) to go
 * straight from one mailbox to the other: a ping's ack crosses the failure detector's and the
 * gossiper's, not the guardian's twice and membership's between. Pekko keeps the order of the
 * messages from one actor to another, which is all the core asks of signals (see {@link Signal}),
 * and the order {@code SwimNode} gives them in the simulator.
 *
 * <p>Bound by the guardian once it has spawned all three. The children start at once, so a signal
 * sent before that goes through the guardian ({@link NodeGuardian.Route}), as every signal did
 * before, and a later one sent straight may overtake it: in that moment they are the node's first
 * records of itself, which every replica merges by precedence, whatever the order. Role actors are restarted in place, never replaced, so a bound ref stays good for the
 * life of the node.
 */
final class RoleRefs {
    private volatile Bound bound;

    private record Bound(ActorRef<MembershipActor.Command> membership, ActorRef<ReplicaActor.Command> failureDetector,
                         ActorRef<ReplicaActor.Command> gossiper) {
    }

    void bind(ActorRef<MembershipActor.Command> membership, ActorRef<ReplicaActor.Command> failureDetector,
              ActorRef<ReplicaActor.Command> gossiper) {
        bound = new Bound(membership, failureDetector, gossiper);
    }

    /** Tells the sibling of role {@code to}; false, having sent nothing, while the guardian has not bound them. */
    boolean tell(Role to, Signal signal) {
        Bound b = bound;
        if (b == null) {
            return false;
        }
        switch (to) {
            case MEMBERSHIP -> b.membership().tell(new MembershipActor.FromSibling(signal));
            case FAILURE_DETECTOR -> b.failureDetector().tell(new ReplicaActor.FromSibling(signal));
            case GOSSIPER -> b.gossiper().tell(new ReplicaActor.FromSibling(signal));
        }
        return true;
    }
}
