package dev.grapevine.core.node;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.recovery.EpochProgress;
import dev.grapevine.core.wire.Message;

/**
 * What a node decided to do, as data. The shell (an actor, or the simulator) performs effects; the
 * core never does I/O, reads a clock or starts a thread.
 */
public sealed interface Effect {

    /**
     * Send {@code message} to the node listening at {@code to}, to its component of role
     * {@link Role#of(Message)}. Best effort, like a datagram.
     */
    record Send(Address to, Message message) implements Effect {
    }

    /** Call {@link SwimNode#onTimer} with {@code timer} at {@code atMillis} (node-local monotonic time). */
    record Schedule(Timer timer, long atMillis) implements Effect {
    }

    /** Tell subscribers that this node's view of a member changed. */
    record Publish(MemberEvent event) implements Effect {
    }

    /** Hand a user event to subscribers; it is new to this node (deduplicated). */
    record Deliver(UserEvent event) implements Effect {
    }

    /** Tell recovery an epoch's progress as now held: a peer's value brought a word newer than any held. */
    record ProgressHeard(EpochProgress progress) implements Effect {
    }

    /**
     * Pass {@code signal} to this node's {@code to} component. {@link SwimNode} handles these itself;
     * a shell running components apart (one actor each) delivers them as messages.
     */
    record Tell(Role to, Signal signal) implements Effect {
    }

    /** A node asked to let this one join answered with its view (see {@link Membership#join}). */
    record JoinAnswered(Address from) implements Effect {
    }

    /**
     * A node asked to let this one join belongs to another cluster and refused (see
     * {@link ClusterGuard}); this node adopted nothing of its view.
     *
     * @param cluster the refusing node's cluster name
     */
    record JoinRefused(Address from, String cluster) implements Effect {
    }
}
