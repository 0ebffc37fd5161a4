package dev.grapevine.core.node;

import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.wire.Message;

import java.util.List;
import java.util.Objects;

/**
 * What one component of a node tells a sibling ({@link Effect.Tell}). Signals are delivered in the
 * order they were emitted, after the step that emitted them, both in {@link SwimNode} and between
 * actors, so the two behave alike.
 */
public sealed interface Signal {

    /** To the gossiper: pass this rumor on. */
    record Broadcast(Rumor rumor) implements Signal {
        public Broadcast {
            Objects.requireNonNull(rumor, "rumor");
        }
    }

    /**
     * To the gossiper: pass this rumor on, with the ticks and piggybacks only, not in a round at once.
     * For a user event this node has just sent to every live member itself (a round at once would
     * only send duplicates while every member is busy receiving it), and for recovery progress,
     * which nothing waits on at network speed.
     */
    record Announce(Rumor rumor) implements Signal {
        public Announce {
            Objects.requireNonNull(rumor, "rumor");
        }
    }

    /**
     * From membership to both replicas: this is now the state of {@code member}, asserted by
     * {@code source}. Sent for every change, in order, so the replicas converge on the view.
     */
    record ViewChanged(Member member, String source) implements Signal {
        public ViewChanged {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(source, "source");
        }
    }

    /** From membership to both replicas: {@code name} left long ago and is no longer part of the view. */
    record Reaped(String name) implements Signal {
        public Reaped {
            Objects.requireNonNull(name, "name");
        }
    }

    /** To the failure detector: this node had to refute an accusation, a hint that it is the slow one. */
    record Refuted() implements Signal {
    }

    /**
     * To membership: this node's health changed. {@code poor}: its Lifeguard score is above
     * {@code accuser-health-max}, so it declares no death. {@code deaf}: no peer's message reached it
     * for two probe periods while its probes failed; it then refutes nothing about itself until it
     * has heard the others for {@code rejoin-after-deaf}.
     */
    record LocalHealth(boolean poor, boolean deaf) implements Signal {
    }

    /** To membership: a probe of {@code target}, in the state it was probed, got no ack. */
    record ProbeFailed(Member target) implements Signal {
        public ProbeFailed {
            Objects.requireNonNull(target, "target");
        }
    }

    /**
     * To membership: rumors that arrived on a ping, ack or gossip message. A ping's ack travels along
     * ({@code then}, else null): membership passes it to the gossiper after what the rumors made it
     * broadcast, so a refutation of an accusation carried by the ping rides on the ack straight back
     * to the accuser (Lifeguard's buddy system, §IV-C). Signals from one sender arrive in order.
     */
    record Heard(List<Rumor> rumors, Outbound then) implements Signal {
        public Heard {
            rumors = List.copyOf(rumors);
        }

        public Heard(List<Rumor> rumors) {
            this(rumors, null);
        }
    }

    /** To the gossiper: fill {@code message} (a ping or ack) up with piggyback, then send it. */
    record Outbound(Address to, Message message) implements Signal {
        public Outbound {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(message, "message");
        }
    }
}
