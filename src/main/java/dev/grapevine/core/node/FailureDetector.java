package dev.grapevine.core.node;

import dev.grapevine.core.config.Settings;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.member.MemberTable;
import dev.grapevine.core.member.NameIndex;
import dev.grapevine.core.swim.LocalHealth;
import dev.grapevine.core.swim.Observers;
import dev.grapevine.core.swim.ProbeOrder;
import dev.grapevine.core.wire.Message;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * SWIM's probe cycle for one node (Das et al. 2002, §3.1; Lifeguard §IV): each period, ping the next
 * member of a shuffled round-robin order; without an ack within the probe timeout, ask
 * {@code indirectChecks} others to ping it; without any ack by the end of the period, report the
 * failed probe to membership, which suspects. Also relays other nodes' ping-reqs, answering with a
 * nack when the target stays silent, and keeps Lifeguard's local health score, which stretches its
 * own timeouts when this node seems to be the slow one.
 *
 * <p>Corroboration: when it hears that a member is suspected and it is one of that member's
 * {@code corroborators} observers ({@link Observers}), it checks the suspect at once, out of turn:
 * a ping carrying the suspicion (so a live suspect refutes on the ack) and ping-reqs to
 * {@code indirectChecks} relays together, concluded after one probe timeout. A failed check is
 * reported as a failed probe, which membership counts as one more accuser.
 *
 * <p>Local health gates accusations: while the score is above {@code accuserHealthMax} this node
 * reports no failed probe and starts no check (it is more likely the one that cannot hear), and tells
 * membership when the score crosses that line ({@link Signal.LocalHealth}).
 *
 * <p>It decides nothing about membership: it works on a replica of the view, kept current by
 * {@link Signal.ViewChanged}, and only ever reports {@link Signal.ProbeFailed}.
 */
public final class FailureDetector {

    private static final class Probe {
        final long seq;
        final Member target;
        final long startMillis;
        final long periodMillis;
        int expectedNacks;
        int nacks;

        Probe(long seq, Member target, long startMillis, long periodMillis) {
            this.seq = seq;
            this.target = target;
            this.startMillis = startMillis;
            this.periodMillis = periodMillis;
        }
    }

    private record Relay(Address requester, long requesterSeq) {
    }

    /**
     * Checks of suspects in flight at once. A check is a ping and a few ping-reqs; more suspects than
     * this at once (a mass crash in a large cluster) are left to the probes in turn and counted.
     */
    static final int CHECKS_MAX = 16;

    private final Settings settings;
    private final RandomGenerator rng;
    private final String selfName;
    private final int selfId;
    private final MemberTable view;
    private final Counters counters;
    private final LocalHealth health;
    private final ProbeOrder order = new ProbeOrder();
    private final Map<Long, Relay> relays = new HashMap<>();
    /** Checks of suspects in flight, by sequence number (see the class comment). */
    private final Map<Long, Member> checks = new HashMap<>();
    /** What membership was last told of local health ({@link Signal.LocalHealth}). */
    private boolean poorHealthTold;
    private boolean deafTold;
    /** When a peer's ping, ack, nack or ping-req last reached this node: see {@link #deaf}. */
    /** Long.MIN_VALUE until a peer's message first arrives: a node that is joining is not deaf. */
    private long lastHeardMillis = Long.MIN_VALUE;
    private long poorSinceMillis;
    /** First accuser of each member the view holds as suspect: the source of the buddy rumor. */
    private final Map<String, String> accusers = new HashMap<>();
    private long lastSeq;
    private Probe active;
    private boolean leaving;

    public FailureDetector(Member self, Settings settings, RandomGenerator rng, NameIndex names, Counters counters) {
        this.settings = settings;
        this.rng = rng;
        this.selfName = self.name();
        this.selfId = names.idOf(self.name());
        this.view = new MemberTable(names);
        this.counters = counters;
        this.health = new LocalHealth(settings.awarenessMax());
        view.merge(self);
    }

    /** Takes the view membership restored (a snapshot, or a simulator's converged start). */
    public void restoreView(MemberTable restored) {
        view.copyFrom(restored);
    }

    public void start(long nowMillis, Outbox out) {
        out.schedule(Timer.PROBE_TICK, nowMillis + rng.nextLong(settings.probeIntervalMillis()) + 1);
    }

    // ---------------------------------------------------------------- signals from membership

    /** A signal that cannot start a check (a test's view set-up). */
    public void onSignal(Signal signal) {
        onSignal(signal, 0, new Outbox());
    }

    public void onSignal(Signal signal, long nowMillis, Outbox out) {
        if (signal instanceof Signal.ViewChanged changed) {
            onViewChanged(changed.member(), changed.source(), nowMillis, out);
        } else if (signal instanceof Signal.Reaped reaped) {
            view.remove(reaped.name());
            accusers.remove(reaped.name());
        } else if (signal instanceof Signal.Refuted) {
            changeHealth(1, nowMillis, out);
        } else {
            throw new IllegalArgumentException("the failure detector does not take " + signal);
        }
    }

    private void onViewChanged(Member m, String source, long nowMillis, Outbox out) {
        if (m.name().equals(selfName)) {
            leaving |= m.status() == MemberStatus.LEFT;
            view.merge(m);
            return;
        }
        Member before = view.get(m.name());
        boolean changed = view.merge(m);
        Member current = view.get(m.name());
        if (current.status() == MemberStatus.SUSPECT) {
            accusers.putIfAbsent(m.name(), source);
            boolean newSuspicion = changed && (before == null || before.status() != MemberStatus.SUSPECT
                    || before.incarnation() != current.incarnation() || before.epoch() != current.epoch());
            if (newSuspicion && !source.equals(selfName)) {
                maybeCheck(current, nowMillis, out);
            }
        } else {
            accusers.remove(m.name());
        }
        if (changed && current.status().isLive() && (before == null || !before.status().isLive())) {
            order.insert(view.names().idOf(m.name()));
        }
    }

    /** Checks {@code suspect} out of turn if this node is one of its observers and can judge. */
    private void maybeCheck(Member suspect, long nowMillis, Outbox out) {
        if (leaving || settings.corroborators() == 0 || !mayJudge(nowMillis)
                || !Observers.observes(view, selfName, suspect.name(), settings.corroborators())) {
            return;
        }
        if (checks.size() >= CHECKS_MAX) {
            counters.checksOverBound++;
            return;
        }
        long seq = ++lastSeq;
        checks.put(seq, suspect);
        counters.checks++;
        out.tell(Role.GOSSIPER, new Signal.Outbound(suspect.address(), new Message.Ping(seq, suspect.name(), buddy(suspect))));
        Message.PingReq request = new Message.PingReq(seq, suspect.name(), suspect.address());
        for (Member relay : MemberSampler.pick(view, settings.indirectChecks(),
                r -> r.status().isLive() && !r.name().equals(selfName) && !r.name().equals(suspect.name()), rng)) {
            out.send(relay.address(), request);
        }
        out.schedule(Timer.forProbe(Timer.Kind.PROBE_DEADLINE, seq), nowMillis + settings.probeTimeoutMillis());
    }

    private boolean poorHealth() {
        return health.score() > settings.accuserHealthMax();
    }

    private boolean mayJudge(long nowMillis) {
        int live = view.liveCount();
        return LocalHealth.mayJudge(poorHealth(), poorSinceMillis, nowMillis, live, settings.suspicionMaxMillis(live));
    }

    /**
     * Deaf: a probe got no answer of any kind (no ack, and no nack from any relay) and no peer's
     * message reached this node for two probe periods, while it probes once a period and every member
     * pings it about once a period. At 30 % loss a probe gets no answer at all with a chance of about
     * 7 %, and a node hears something nearly every period; one whose inbound traffic is cut hears
     * nothing. Unlike a poor score, which loss alone can reach, this is the node that cannot hear.
     * Not a node that was stopped or starved of CPU, whose probe concludes late (its timers and its
     * peers' messages wait together, and may be taken in any order when it runs again), and not one
     * that has yet to hear anyone at all (it is joining).
     */
    private boolean deaf(Probe failed, long nowMillis) {
        boolean onTime = nowMillis - failed.startMillis <= failed.periodMillis + failed.periodMillis / 2;
        return onTime && failed.expectedNacks > 0 && failed.nacks == 0 && lastHeardMillis != Long.MIN_VALUE
                && nowMillis - lastHeardMillis >= 2 * settings.probeIntervalMillis();
    }

    private void changeHealth(int delta, long nowMillis, Outbox out) {
        health.apply(delta);
        tellHealth(deafTold, nowMillis, out);
    }

    private void tellHealth(boolean deaf, long nowMillis, Outbox out) {
        boolean poor = poorHealth();
        if (poor && !poorHealthTold) {
            poorSinceMillis = nowMillis;
        }
        if (poor != poorHealthTold || deaf != deafTold) {
            poorHealthTold = poor;
            deafTold = deaf;
            out.tell(Role.MEMBERSHIP, new Signal.LocalHealth(poor, deaf));
        }
    }

    // ---------------------------------------------------------------- probing

    public void onTimer(Timer timer, long nowMillis, Outbox out) {
        switch (timer.kind()) {
            case PROBE_TICK -> onProbeTick(nowMillis, out);
            case PROBE_TIMEOUT -> onProbeTimeout(timer.seq(), out);
            case PROBE_DEADLINE -> onProbeDeadline(timer.seq(), nowMillis, out);
            case RELAY_TIMEOUT -> onRelayTimeout(timer.seq(), out);
            default -> throw new IllegalArgumentException("the failure detector has no timer " + timer);
        }
    }

    private void onProbeTick(long nowMillis, Outbox out) {
        long periodMillis = health.scale(settings.probeIntervalMillis());
        out.schedule(Timer.PROBE_TICK, nowMillis + periodMillis);
        if (active != null) {
            conclude(nowMillis, out); // its deadline and this tick fell together; decide it first
        }
        if (leaving) {
            return;
        }
        int id = order.next(this::probeable, this::refill, rng);
        if (id < 0) {
            return;
        }
        Member target = view.get(id);
        active = new Probe(++lastSeq, target, nowMillis, periodMillis);
        counters.probes++;
        out.tell(Role.GOSSIPER, new Signal.Outbound(target.address(), new Message.Ping(active.seq, target.name(), buddy(target))));
        out.schedule(Timer.forProbe(Timer.Kind.PROBE_TIMEOUT, active.seq), nowMillis + health.scale(settings.probeTimeoutMillis()));
        out.schedule(Timer.forProbe(Timer.Kind.PROBE_DEADLINE, active.seq), nowMillis + periodMillis);
    }

    /**
     * Lifeguard's buddy system: a ping to a member we hold as suspect carries the suspicion first, so
     * the member learns of it from us directly and can refute at once.
     */
    private List<Rumor> buddy(Member target) {
        String accuser = target.status() == MemberStatus.SUSPECT ? accusers.get(target.name()) : null;
        return accuser == null ? List.of() : List.of(new Rumor.MemberRumor(target, accuser));
    }

    private void onProbeTimeout(long seq, Outbox out) {
        if (active == null || active.seq != seq) {
            return;
        }
        Member target = active.target;
        List<Member> relaysChosen = MemberSampler.pick(view, settings.indirectChecks(),
                m -> m.status().isLive() && !m.name().equals(selfName) && !m.name().equals(target.name()), rng);
        Message.PingReq request = new Message.PingReq(seq, target.name(), target.address());
        for (Member relay : relaysChosen) {
            out.send(relay.address(), request);
        }
        active.expectedNacks = relaysChosen.size();
        counters.indirectProbes++;
    }

    private void onProbeDeadline(long seq, long nowMillis, Outbox out) {
        if (active != null && active.seq == seq) {
            conclude(nowMillis, out);
            return;
        }
        Member checked = checks.remove(seq);
        if (checked != null) {
            counters.checksFailed++;
            accuse(checked, nowMillis, out);
        }
    }

    /** No ack came: Lifeguard blames ourselves for each missing nack; membership decides the rest. */
    private void conclude(long nowMillis, Outbox out) {
        Probe failed = active;
        active = null;
        int missingNacks = failed.expectedNacks > 0 ? Math.max(0, failed.expectedNacks - failed.nacks) : 1;
        health.apply(missingNacks);
        tellHealth(deaf(failed, nowMillis), nowMillis, out);
        counters.probesFailed++;
        accuse(failed.target, nowMillis, out);
    }

    /** Reports a failed probe or check to membership, unless this node's own health says it cannot judge. */
    private void accuse(Member target, long nowMillis, Outbox out) {
        if (!mayJudge(nowMillis)) {
            counters.accusationsWithheld++;
            return;
        }
        out.tell(Role.MEMBERSHIP, new Signal.ProbeFailed(target));
    }

    // ---------------------------------------------------------------- messages from peers

    public void onMessage(Address from, Message message, long nowMillis, Outbox out) {
        lastHeardMillis = nowMillis;
        if (deafTold) {
            tellHealth(false, nowMillis, out);
        }
        if (message instanceof Message.Ping ping) {
            onPing(from, ping, out);
        } else if (message instanceof Message.Ack ack) {
            onAck(from, ack, nowMillis, out);
        } else if (message instanceof Message.Nack nack) {
            counters.nacksReceived++;
            if (active != null && active.seq == nack.seq()) {
                active.nacks++;
            }
        } else if (message instanceof Message.PingReq request) {
            onPingReq(from, request, nowMillis, out);
        } else {
            throw new IllegalArgumentException("the failure detector does not take " + message.getClass().getSimpleName());
        }
    }

    private void onPing(Address from, Message.Ping ping, Outbox out) {
        if (!ping.target().equals(selfName)) {
            counters.misdirectedPings++; // the address now belongs to someone else: let the prober time out
            return;
        }
        Signal.Outbound ack = new Signal.Outbound(from, new Message.Ack(ping.seq(), List.of()));
        List<Rumor> piggyback = Claims.admissible(view, from, selfName, ping.piggyback(), counters);
        if (piggyback.isEmpty()) {
            out.tell(Role.GOSSIPER, ack);
        } else {
            out.tell(Role.MEMBERSHIP, new Signal.Heard(piggyback, ack)); // see Heard: refutations ride on the ack
        }
    }

    private void onAck(Address from, Message.Ack ack, long nowMillis, Outbox out) {
        counters.acksReceived++;
        heard(Claims.admissible(view, from, selfName, ack.piggyback(), counters), out);
        if (active != null && active.seq == ack.seq()) {
            active = null;
            changeHealth(-1, nowMillis, out);
            return;
        }
        if (checks.remove(ack.seq()) != null) {
            return; // the suspect answered a check: no confirmation; it refutes on its own
        }
        Relay relay = relays.remove(ack.seq());
        if (relay != null) {
            out.tell(Role.GOSSIPER, new Signal.Outbound(relay.requester(), new Message.Ack(relay.requesterSeq(), List.of())));
        } else {
            counters.staleAcks++; // late: the probe already concluded
        }
    }

    private void onPingReq(Address from, Message.PingReq request, long nowMillis, Outbox out) {
        if (relays.size() >= settings.relaysMax()) {
            counters.relaysRefused++;
            return;
        }
        long seq = ++lastSeq;
        relays.put(seq, new Relay(from, request.seq()));
        out.tell(Role.GOSSIPER, new Signal.Outbound(request.targetAddress(), new Message.Ping(seq, request.target(), List.of())));
        out.schedule(Timer.forProbe(Timer.Kind.RELAY_TIMEOUT, seq), nowMillis + settings.relayTimeoutMillis());
    }

    private void onRelayTimeout(long seq, Outbox out) {
        Relay relay = relays.remove(seq);
        if (relay != null) {
            out.send(relay.requester(), new Message.Nack(relay.requesterSeq()));
        }
    }

    private void heard(List<Rumor> rumors, Outbox out) {
        if (!rumors.isEmpty()) {
            out.tell(Role.MEMBERSHIP, new Signal.Heard(rumors));
        }
    }

    // ---------------------------------------------------------------- order

    private boolean probeable(int id) {
        if (id == selfId) {
            return false;
        }
        Member m = view.get(id);
        return m != null && m.status().isLive();
    }

    private void refill(ProbeOrder next) {
        for (int id = 0, n = view.idBound(); id < n; id++) {
            if (probeable(id)) {
                next.add(id);
            }
        }
    }

    public int localHealthScore() {
        return health.score();
    }

    /** This component's gauges by name (its counters are in the {@link Counters} it was given). */
    public Map<String, Long> gauges() {
        return Map.of("local_health_score", (long) health.score(), "relays_open", (long) relays.size(),
                "checks_open", (long) checks.size());
    }
}
