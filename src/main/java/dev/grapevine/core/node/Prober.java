package dev.grapevine.core.node;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.swim.ProbeOrder;
import dev.grapevine.core.wire.Message;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SWIM's probe cycle for one node (Das et al. 2002, §3.1; Lifeguard §IV-A): each period, ping the next
 * member of a shuffled round-robin order; without an ack within the probe timeout, ask
 * {@code indirectChecks} others to ping it; without any ack by the end of the period, suspect it.
 * Also serves other nodes' ping-reqs as a relay, answering with a nack when the target stays silent.
 */
final class Prober {

    private static final class Probe {
        final long seq;
        final Member target;
        int expectedNacks;
        int nacks;

        Probe(long seq, Member target) {
            this.seq = seq;
            this.target = target;
        }
    }

    private record Relay(Address requester, long requesterSeq) {
    }

    private final SwimNode node;
    private final ProbeOrder order = new ProbeOrder();
    private final Map<Long, Relay> relays = new HashMap<>();
    private long lastSeq;
    private Probe active;

    Prober(SwimNode node) {
        this.node = node;
    }

    void insert(int memberId) {
        order.insert(memberId);
    }

    void onProbeTick(long nowMillis, Outbox out) {
        long periodMillis = node.health.scale(node.settings.probeIntervalMillis());
        out.schedule(Timer.PROBE_TICK, nowMillis + periodMillis);
        if (active != null) {
            conclude(nowMillis, out); // its deadline and this tick fell together; decide it first
        }
        if (node.leaving) {
            return;
        }
        int id = order.next(this::probeable, this::refill, node.rng);
        if (id < 0) {
            return;
        }
        Member target = node.table.get(id);
        active = new Probe(++lastSeq, target);
        node.counters.probes++;
        out.send(target.address(), new Message.Ping(active.seq, target.name(), node.piggybackFor(target)));
        out.schedule(Timer.forProbe(Timer.Kind.PROBE_TIMEOUT, active.seq),
                nowMillis + node.health.scale(node.settings.probeTimeoutMillis()));
        out.schedule(Timer.forProbe(Timer.Kind.PROBE_DEADLINE, active.seq), nowMillis + periodMillis);
    }

    void onProbeTimeout(long seq, long nowMillis, Outbox out) {
        if (active == null || active.seq != seq) {
            return;
        }
        Member target = active.target;
        List<Member> relaysChosen = node.randomMembers(node.settings.indirectChecks(), false, target.name(), nowMillis);
        Message.PingReq request = new Message.PingReq(seq, target.name(), target.address());
        for (Member relay : relaysChosen) {
            out.send(relay.address(), request);
        }
        active.expectedNacks = relaysChosen.size();
        node.counters.indirectProbes++;
    }

    void onProbeDeadline(long seq, long nowMillis, Outbox out) {
        if (active != null && active.seq == seq) {
            conclude(nowMillis, out);
        }
    }

    /** No ack came: Lifeguard blames ourselves for each missing nack, then we suspect the target. */
    private void conclude(long nowMillis, Outbox out) {
        Probe failed = active;
        active = null;
        int missingNacks = failed.expectedNacks > 0 ? Math.max(0, failed.expectedNacks - failed.nacks) : 1;
        node.health.apply(missingNacks);
        node.counters.probesFailed++;
        node.suspectAfterFailedProbe(failed.target, nowMillis, out);
    }

    void onAck(Message.Ack ack, long nowMillis, Outbox out) {
        if (active != null && active.seq == ack.seq()) {
            active = null;
            node.health.apply(-1);
            return;
        }
        Relay relay = relays.remove(ack.seq());
        if (relay != null) {
            out.send(relay.requester(), new Message.Ack(relay.requesterSeq(), node.piggyback(node.settings.piggybackBytesMax())));
        } else {
            node.counters.staleAcks++; // late: the probe already concluded
        }
    }

    void onNack(Message.Nack nack) {
        if (active != null && active.seq == nack.seq()) {
            active.nacks++;
        }
    }

    void onPingReq(Address from, Message.PingReq request, long nowMillis, Outbox out) {
        if (relays.size() >= node.settings.relaysMax()) {
            node.counters.relaysRefused++;
            return;
        }
        long seq = ++lastSeq;
        relays.put(seq, new Relay(from, request.seq()));
        out.send(request.targetAddress(), new Message.Ping(seq, request.target(), node.piggyback(node.settings.piggybackBytesMax())));
        out.schedule(Timer.forProbe(Timer.Kind.RELAY_TIMEOUT, seq), nowMillis + node.settings.probeTimeoutMillis());
    }

    void onRelayTimeout(long seq, Outbox out) {
        Relay relay = relays.remove(seq);
        if (relay != null) {
            out.send(relay.requester(), new Message.Nack(relay.requesterSeq()));
        }
    }

    private boolean probeable(int id) {
        if (id == node.selfId) {
            return false;
        }
        Member m = node.table.get(id);
        return m != null && m.status().isLive();
    }

    private void refill(ProbeOrder next) {
        for (int id = 0, n = node.table.idBound(); id < n; id++) {
            if (probeable(id)) {
                next.add(id);
            }
        }
    }
}
