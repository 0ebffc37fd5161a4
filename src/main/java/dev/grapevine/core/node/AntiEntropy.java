package dev.grapevine.core.node;

import dev.grapevine.core.config.Settings;
import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.member.MemberTable;
import dev.grapevine.core.wire.ClusterName;
import dev.grapevine.core.wire.Message;
import dev.grapevine.core.wire.WireSize;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Push-pull anti-entropy, view digests, joins and the reconnect attempts that heal partitions, for
 * one node's {@link Membership}. A push-pull carries the view, the recent user events and the state
 * of every {@link StateDelegate}; what it brings goes back through membership's merge path.
 */
final class AntiEntropy {
    /**
     * Bytes of members in one push-pull. With {@link UserEvents#PUSH_PULL_EVENT_BYTES_MAX} of events,
     * the delegates' state and framing it stays well under Artery's 256 KiB frame however large the
     * members' tags are.
     */
    static final int PUSH_PULL_MEMBER_BYTES_MAX = 128 * 1024;

    private final Membership membership;
    private final MemberTable table;
    private final Settings settings;
    private final RandomGenerator rng;
    private final Counters counters;
    private final ClusterName cluster;
    private final UserEvents events;
    private final List<StateDelegate> states;
    private List<Address> seeds = List.of();
    private boolean joining;
    private boolean seedTurn;

    AntiEntropy(Membership membership, MemberTable table, Settings settings, ClusterName cluster, RandomGenerator rng,
                Counters counters, UserEvents events, List<StateDelegate> states) {
        this.membership = membership;
        this.table = table;
        this.settings = settings;
        this.cluster = cluster;
        this.rng = rng;
        this.counters = counters;
        this.events = events;
        this.states = List.copyOf(states);
    }

    void start(long nowMillis, Outbox out) {
        out.schedule(Timer.PUSH_PULL_TICK, nowMillis + rng.nextLong(settings.pushPullIntervalMillis(table.liveCount())) + 1);
        out.schedule(Timer.RECONNECT_TICK, nowMillis + rng.nextLong(settings.reconnectInterval().toMillis()) + 1);
    }

    /** Asks each seed for its view; the reconnect timer asks again while this node is alone. */
    void join(Collection<Address> seedAddresses, Outbox out) {
        seeds = List.copyOf(seedAddresses);
        joining = !seeds.isEmpty();
        for (Address seed : seeds) {
            out.send(seed, pushPull(true, false));
        }
    }

    // ---------------------------------------------------------------- state delegates

    /** The delegate that takes {@code rumor}, or null if it is no delegate's. */
    StateDelegate delegateOf(Rumor rumor) {
        for (int i = 0, n = states.size(); i < n; i++) {
            if (states.get(i).takes(rumor)) {
                return states.get(i);
            }
        }
        return null;
    }

    private List<Rumor> carriedState() {
        if (states.isEmpty()) {
            return List.of();
        }
        List<Rumor> carried = new ArrayList<>();
        for (StateDelegate d : states) {
            carried.addAll(d.carried(table));
        }
        return carried;
    }

    // ---------------------------------------------------------------- ticks

    void onPushPullTick(long nowMillis, Outbox out) {
        out.schedule(Timer.PUSH_PULL_TICK, nowMillis + settings.pushPullIntervalMillis(table.liveCount()));
        if (membership.isLeaving()) {
            return;
        }
        String selfName = membership.self().name();
        List<Member> peer = MemberSampler.pick(table, 1, m -> m.status().isLive() && !m.name().equals(selfName), rng);
        if (!peer.isEmpty()) {
            out.send(peer.get(0).address(), new Message.ViewDigest(viewDigest(), events.log().time()));
            counters.viewDigestsSent++;
        }
    }

    /**
     * A push-pull with one live member now, asking for its view in return: how a node that heard no
     * one for a while learns at once what the others hold about it.
     */
    void pushPullNow(Outbox out) {
        String selfName = membership.self().name();
        List<Member> peer = MemberSampler.pick(table, 1, m -> m.status().isLive() && !m.name().equals(selfName), rng);
        if (!peer.isEmpty() && !membership.isLeaving()) {
            out.send(peer.get(0).address(), pushPull(false, false));
            counters.pushPulls++;
        }
    }

    /** What {@link ViewDigest} makes of this node's view: what its push-pull would carry, and the events it remembers. */
    private long viewDigest() {
        long stateSum = 0;
        for (StateDelegate d : states) {
            for (Rumor r : d.carried(table)) {
                stateSum += dev.grapevine.core.Hash64.mix(d.digest(r));
            }
        }
        return ViewDigest.of(table, stateSum, events.recent());
    }

    /**
     * Tries to reach one dead member (or, when alone, a seed) with a push-pull. Serf gives up after
     * 24 h and memberlist never tries, leaving permanent splits; this never stops, at one message per
     * interval.
     */
    void onReconnectTick(long nowMillis, Outbox out) {
        out.schedule(Timer.RECONNECT_TICK, nowMillis + settings.reconnectInterval().toMillis());
        membership.reapDue(nowMillis, out);
        if (membership.isLeaving()) {
            return;
        }
        boolean alone = table.liveCount() <= 1;
        int dead = membership.reconnectTargets();
        // Alone, try the seeds, but every other time a dead member too: the seeds may be gone for good
        // while the rest of the cluster is only on the far side of a partition.
        seedTurn = !seedTurn || dead == 0;
        if (alone && !seeds.isEmpty() && seedTurn) {
            joining = true;
            out.send(seeds.get(rng.nextInt(seeds.size())), pushPull(true, false));
            counters.reconnectAttempts++;
        } else if (dead > 0) {
            String name = membership.reconnectTarget(rng.nextInt(dead));
            out.send(table.get(name).address(), pushPull(false, false));
            counters.reconnectAttempts++;
        }
    }

    // ---------------------------------------------------------------- messages

    /** A peer's push-pull, view digest or refusal of a join. */
    void onMessage(Address from, Message message, long nowMillis, Outbox out) {
        if (message instanceof Message.PushPull pp) {
            onPushPull(from, pp, nowMillis, out);
        } else if (message instanceof Message.ViewDigest d) {
            onViewDigest(from, d, out);
        } else if (message instanceof Message.Refusal r) {
            onRefusal(from, r, out);
        } else {
            throw new IllegalArgumentException("anti-entropy does not take " + message.getClass().getSimpleName());
        }
    }

    /**
     * A node of another cluster refused a join. Reported only if this node asked that address (a
     * seed); otherwise it is one more foreign message, counted. Nothing of the view changes either
     * way, and the reconnect timer keeps asking the seeds, in case the address changes hands.
     */
    private void onRefusal(Address from, Message.Refusal refusal, Outbox out) {
        if (seeds.contains(from)) {
            counters.joinsRefusedByForeignCluster++;
            out.add(new Effect.JoinRefused(from, refusal.cluster()));
        } else {
            counters.foreignClusterRefused++;
        }
    }

    /**
     * A peer's digest of its view. Alike: nothing to exchange. Different: a push-pull with the peer,
     * which answers with its own, as if it had sent one (it has a reason to: its view differs).
     */
    private void onViewDigest(Address from, Message.ViewDigest digest, Outbox out) {
        events.log().witness(digest.eventClock());
        if (digest.digest() == viewDigest()) {
            counters.viewDigestsAlike++;
            return;
        }
        out.send(from, pushPull(false, false));
        counters.pushPulls++;
    }

    /**
     * Merges a peer's view. A peer's "dead" is taken as a suspicion (as memberlist does): the member
     * may be alive and merely cut off from that peer, and a suspicion can still be refuted. Of this
     * node itself it is taken as it is.
     */
    private void onPushPull(Address from, Message.PushPull message, long nowMillis, Outbox out) {
        if (message.reply() && joining) {
            joining = false;
            events.log().joined(message.eventClock());
        } else {
            events.log().witness(message.eventClock());
        }
        if (!message.reply()) {
            out.send(from, pushPull(false, true));
        } else if (seeds.contains(from)) {
            out.add(new Effect.JoinAnswered(from)); // a seed's answer: the node at that address let us in
        }
        // By convention the sender lists itself first; it is the accuser of what it reports dead.
        String source = message.members().isEmpty() ? from.toString() : message.members().get(0).name();
        // Judged before merging: a joiner's own record makes it live, not its news about others.
        boolean senderLive = Claims.liveAt(table, from);
        String selfName = membership.self().name();
        for (Member m : message.members()) {
            // A member we never heard of that the peer holds dead is recorded dead, quietly (no
            // JOINED, no suspicion of an address that is likely gone): a reconnect target, like a
            // restored tombstone. memberlist ignores such news; we keep it so partitions heal.
            Member held = table.get(m.name());
            if (!senderLive && !Claims.strangerMay(m, held, from, selfName)) {
                counters.rumorsFromStrangers++;
                continue;
            }
            boolean known = held != null;
            // Of this node itself, the peer's word is passed as it is: what the others hold decides
            // whether a node that was deaf keeps out (Membership#mayVouch), and either way it refutes.
            Member belief = m.status() == MemberStatus.DEAD && known && !m.name().equals(selfName)
                    ? m.withStatus(MemberStatus.SUSPECT) : m;
            membership.apply(belief, source, nowMillis, out);
        }
        for (UserEvent event : message.recentEvents()) {
            events.receive(event, true, out);
        }
        for (Rumor value : message.stateRumors()) {
            StateDelegate d = delegateOf(value);
            if (d != null) {
                d.merge(value, table, out); // anti-entropy: told here, not passed on
            }
        }
    }

    /** This node first, then all others, or a random window of them when the view is too large. */
    private Message.PushPull pushPull(boolean join, boolean reply) {
        Member self = membership.self();
        int selfId = table.names().idOf(self.name());
        int max = settings.pushPullMembersMax();
        List<Member> members = new ArrayList<>(Math.min(max, table.knownCount()));
        members.add(self);
        int bound = table.idBound();
        int start = table.knownCount() <= max ? 0 : rng.nextInt(bound);
        int bytes = WireSize.of(self);
        for (int i = 0; i < bound && members.size() < max; i++) {
            int id = (start + i) % bound;
            Member m = table.get(id);
            if (m != null && id != selfId) {
                bytes += WireSize.of(m);
                if (bytes > PUSH_PULL_MEMBER_BYTES_MAX) {
                    break; // the rest goes in later windows (they start at random points)
                }
                members.add(m);
            }
        }
        // A join names its cluster, for a refusal's log line.
        return Message.PushPull.of(join, reply, events.log().time(), members, events.recent(), carriedState(),
                join ? cluster.name() : "");
    }
}
