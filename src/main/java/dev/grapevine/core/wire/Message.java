package dev.grapevine.core.wire;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.AppState;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.recovery.EpochProgress;

import java.util.List;
import java.util.Objects;

/**
 * The protocol messages between nodes. The transport supplies the sender's address, so messages do
 * not carry it. Message type ids on the wire are listed in {@link WireCodec}: ONLY APPEND.
 */
public sealed interface Message {

    /** Direct probe (SWIM). {@code target} lets a node that now owns the address ignore a stale ping. */
    record Ping(long seq, String target, List<Rumor> piggyback) implements Message {
        public Ping {
            Objects.requireNonNull(target, "target");
            piggyback = List.copyOf(piggyback);
        }
    }

    /** Answer to a {@link Ping}, or relayed to the requester of a {@link PingReq}. */
    record Ack(long seq, List<Rumor> piggyback) implements Message {
        public Ack {
            piggyback = List.copyOf(piggyback);
        }
    }

    /**
     * Lifeguard: a relay says it got no ack from the target in time. A missing nack tells the requester
     * that its own messages are not getting through, so it trusts its own verdicts less.
     */
    record Nack(long seq) implements Message {
    }

    /** Indirect probe: "please ping {@code target} at {@code targetAddress} for me". */
    record PingReq(long seq, String target, Address targetAddress) implements Message {
        public PingReq {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(targetAddress, "targetAddress");
        }
    }

    /** Periodic gossip: broadcasts packed into a byte budget. */
    record Gossip(List<Rumor> rumors) implements Message {
        public Gossip {
            rumors = List.copyOf(rumors);
        }
    }

    /**
     * Anti-entropy: the sender's view (or a window of it), answered by the receiver's when
     * {@code reply} is false. {@code join} marks a node asking to be let in.
     *
     * @param eventClock   the sender's user-event Lamport time, so a (re)joining node's clock catches up
     * @param recentEvents the sender's latest user events, oldest first: anti-entropy for events, so
     *                     one that every piggyback missed still arrives (Serf's push-pull does this too)
     * @param progress     the recovery progress the sender holds of the epoch of its live members, so
     *                     words that every piggyback missed still arrive
     * @param cluster      the sender's cluster name, in a join ("" if not told), so that a node of
     *                     another cluster can name it when it refuses the join
     * @param states       the members' application state the sender holds (a bounded share of it),
     *                     so values that every piggyback missed still arrive
     */
    record PushPull(boolean join, boolean reply, long eventClock, List<Member> members, List<UserEvent> recentEvents,
                    List<EpochProgress> progress, String cluster, List<AppState> states) implements Message {
        public PushPull {
            members = List.copyOf(members);
            recentEvents = List.copyOf(recentEvents);
            progress = List.copyOf(progress);
            Objects.requireNonNull(cluster, "cluster");
            states = List.copyOf(states);
        }

        public PushPull(boolean join, boolean reply, long eventClock, List<Member> members, List<UserEvent> recentEvents,
                        List<EpochProgress> progress, String cluster) {
            this(join, reply, eventClock, members, recentEvents, progress, cluster, List.of());
        }

        public PushPull(boolean join, boolean reply, long eventClock, List<Member> members, List<UserEvent> recentEvents,
                        List<EpochProgress> progress) {
            this(join, reply, eventClock, members, recentEvents, progress, "");
        }

        public PushPull(boolean join, boolean reply, long eventClock, List<Member> members) {
            this(join, reply, eventClock, members, List.of(), List.of());
        }

        /**
         * A push-pull whose state values ({@code stateRumors}, as the {@code StateDelegate}s hand them
         * out) are sorted into the fields the wire format has for them.
         */
        public static PushPull of(boolean join, boolean reply, long eventClock, List<Member> members,
                                  List<UserEvent> recentEvents, List<Rumor> stateRumors, String cluster) {
            List<EpochProgress> progress = new java.util.ArrayList<>();
            List<AppState> states = new java.util.ArrayList<>();
            for (Rumor r : stateRumors) {
                if (r instanceof Rumor.ProgressRumor p) {
                    progress.add(p.progress());
                } else if (r instanceof Rumor.StateRumor st) {
                    states.add(st.state());
                } else {
                    throw new IllegalArgumentException("a push-pull does not carry " + r.getClass().getSimpleName());
                }
            }
            return new PushPull(join, reply, eventClock, members, recentEvents, progress, cluster, states);
        }

        /** The state values this push-pull carries, as rumors for the {@code StateDelegate}s. */
        public List<Rumor> stateRumors() {
            if (progress.isEmpty() && states.isEmpty()) {
                return List.of();
            }
            List<Rumor> out = new java.util.ArrayList<>(progress.size() + states.size());
            for (EpochProgress p : progress) {
                out.add(new Rumor.ProgressRumor(p));
            }
            for (AppState st : states) {
                out.add(new Rumor.StateRumor(st));
            }
            return out;
        }
    }

    /**
     * Anti-entropy's first step: a digest of the sender's view (its members, their recovery progress
     * and its recent user events; see {@code ViewDigest}). A receiver whose own view digests alike
     * has nothing to exchange and says nothing; one whose differs starts a push-pull with the sender.
     * Views that agree, the usual case, cost one small message instead of two whole views.
     *
     * @param eventClock the sender's user-event Lamport time, as a push-pull carries it
     */
    record ViewDigest(long digest, long eventClock) implements Message {
    }

    /**
     * A user event its origin sends straight to each member ({@code Membership#emit}), handled by the
     * receiver's membership, which delivers events: one actor hop from the network to the
     * subscribers, where a gossip message goes through the gossiper first. {@code liveMembers}: the
     * origin's digest of the live members it sent it to (itself included), by name and address.
     */
    record Event(UserEvent event, long liveMembers) implements Message {
        public Event {
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * A node's answer to a join from a node of another cluster (whose message it dropped): names the
     * refusing node's cluster, so that the joiner can say which clusters they are, and carries the id
     * it refused. Changes no view, so it is the one message a node reads from another cluster.
     *
     * @param cluster the refusing node's cluster name
     * @param refused the cluster id of the join it refused
     */
    record Refusal(String cluster, long refused) implements Message {
        public Refusal {
            Objects.requireNonNull(cluster, "cluster");
        }
    }
}
