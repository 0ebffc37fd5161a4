package dev.grapevine.core.node;

import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.wire.Message;
import dev.grapevine.core.wire.WireSize;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * How news travels from one node: piggyback gossip to {@code fanout} random members each gossip
 * period while there is something to tell (Demers et al. 1987, rumor mongering with a counter);
 * periodic push-pull of the whole view, or a rotating window of it, with one random member
 * (anti-entropy); and reconnect attempts to dead members and seeds that never stop, so a partition
 * heals however long it lasted.
 */
final class Disseminator {
    /** Bytes of a gossip message's own framing, kept free of rumors (version, type, count). */
    private static final int GOSSIP_FRAMING_BYTES = 8;
    /**
     * Bytes of recent user events a push-pull carries. With 512 members of about 30 bytes beside it, a
     * push-pull stays well under Artery's 256 KiB frame.
     */
    static final int PUSH_PULL_EVENT_BYTES_MAX = 32 * 1024;

    private final SwimNode node;
    private List<Address> seeds = List.of();
    private long gossipPhaseMillis;
    private boolean gossipTickPending;
    private boolean joining;

    Disseminator(SwimNode node) {
        this.node = node;
    }

    void start(long nowMillis) {
        gossipPhaseMillis = nowMillis + node.rng.nextLong(node.settings.gossipIntervalMillis());
    }

    void join(Collection<Address> seedAddresses, long nowMillis, Outbox out) {
        seeds = List.copyOf(seedAddresses);
        joining = !seeds.isEmpty();
        for (Address seed : seeds) {
            out.send(seed, pushPull(true, false));
        }
    }

    /**
     * Gossip ticks run only while broadcasts wait: an idle node sends nothing and wakes for nothing.
     * Ticks stay on this node's phase, so this is the same schedule as a ticker that skips idle periods.
     */
    void ensureGossipTick(long nowMillis, Outbox out) {
        if (gossipTickPending) {
            return;
        }
        long interval = node.settings.gossipIntervalMillis();
        long periods = Math.floorDiv(nowMillis - gossipPhaseMillis, interval) + 1;
        out.schedule(Timer.GOSSIP_TICK, gossipPhaseMillis + periods * interval);
        gossipTickPending = true;
    }

    void onGossipTick(long nowMillis, Outbox out) {
        gossipTickPending = false;
        if (node.queue.isEmpty()) {
            return;
        }
        List<Member> targets = node.randomMembers(node.settings.gossipFanout(), true, null, nowMillis);
        int budget = node.settings.gossipBytesMax() - GOSSIP_FRAMING_BYTES;
        int limit = node.settings.retransmitLimit(node.table.liveCount());
        for (Member target : targets) {
            List<Rumor> rumors = new ArrayList<>();
            node.queue.take(budget, limit, rumors);
            if (rumors.isEmpty()) {
                break;
            }
            out.send(target.address(), new Message.Gossip(rumors));
            node.counters.gossipMessages++;
        }
        if (!targets.isEmpty() && !node.queue.isEmpty()) {
            ensureGossipTick(nowMillis, out); // with no one to tell, wait until news of someone arrives
        }
    }

    void onPushPullTick(long nowMillis, Outbox out) {
        out.schedule(Timer.PUSH_PULL_TICK, nowMillis + node.settings.pushPullIntervalMillis(node.table.liveCount()));
        if (node.leaving) {
            return;
        }
        List<Member> peer = node.randomMembers(1, false, null, nowMillis);
        if (!peer.isEmpty()) {
            out.send(peer.get(0).address(), pushPull(false, false));
            node.counters.pushPulls++;
        }
    }

    /**
     * Tries to reach one dead member (or, when alone, a seed) with a push-pull. Serf gives up after
     * 24 h and memberlist never tries, leaving permanent splits; this never stops, at one message per
     * interval.
     */
    void onReconnectTick(long nowMillis, Outbox out) {
        out.schedule(Timer.RECONNECT_TICK, nowMillis + node.settings.reconnectInterval().toMillis());
        if (node.leaving) {
            return;
        }
        if (node.table.liveCount() <= 1 && !seeds.isEmpty()) {
            joining = true;
            out.send(seeds.get(node.rng.nextInt(seeds.size())), pushPull(true, false));
            node.counters.reconnectAttempts++;
        } else if (!node.deadSinceMillis.isEmpty()) {
            int pick = node.rng.nextInt(node.deadSinceMillis.size());
            String name = node.deadSinceMillis.keySet().stream().skip(pick).findFirst().orElseThrow();
            out.send(node.table.get(name).address(), pushPull(false, false));
            node.counters.reconnectAttempts++;
        }
    }

    /**
     * Merges a peer's view. A peer's "dead" is taken as a suspicion (as memberlist does): the member
     * may be alive and merely cut off from that peer, and a suspicion can still be refuted.
     */
    void onPushPull(Address from, Message.PushPull message, long nowMillis, Outbox out) {
        if (message.reply() && joining) {
            joining = false;
            node.events().joined(message.eventClock());
        } else {
            node.events().witness(message.eventClock());
        }
        if (!message.reply()) {
            out.send(from, pushPull(false, true));
        }
        // By convention the sender lists itself first; it is the accuser of what it reports dead.
        String source = message.members().isEmpty() ? from.toString() : message.members().get(0).name();
        for (Member m : message.members()) {
            Member belief = m.status() == MemberStatus.DEAD ? m.withStatus(MemberStatus.SUSPECT) : m;
            node.apply(belief, source, nowMillis, out);
        }
        for (UserEvent event : message.recentEvents()) {
            node.receiveEvent(event, nowMillis, out);
        }
    }

    /** This node first, then all others, or a random window of them when the view is too large. */
    private Message.PushPull pushPull(boolean join, boolean reply) {
        int max = node.settings.pushPullMembersMax();
        List<Member> members = new ArrayList<>(Math.min(max, node.table.knownCount()));
        members.add(node.self);
        int bound = node.table.idBound();
        int start = node.table.knownCount() <= max ? 0 : node.rng.nextInt(bound);
        for (int i = 0; i < bound && members.size() < max; i++) {
            int id = (start + i) % bound;
            Member m = node.table.get(id);
            if (m != null && id != node.selfId) {
                members.add(m);
            }
        }
        return new Message.PushPull(join, reply, node.events().time(), members,
                node.events().recent(PUSH_PULL_EVENT_BYTES_MAX, WireSize::of));
    }
}
