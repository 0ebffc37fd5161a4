package dev.grapevine.core.node;

import dev.grapevine.core.config.Settings;
import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.events.UserEventLog;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.member.MemberTable;
import dev.grapevine.core.member.NameIndex;
import dev.grapevine.core.member.Precedence;
import dev.grapevine.core.swim.LocalHealth;
import dev.grapevine.core.swim.Suspicion;
import dev.grapevine.core.wire.ClusterName;
import dev.grapevine.core.wire.Message;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The single writer of a node's member view. Every change of belief goes through {@link #apply}:
 * merge by {@link Precedence}; refute accusations of this node (SWIM §4.2); start, confirm or clear
 * suspicions, declaring a death at Lifeguard's timeout or once a quorum of accusers agree
 * ({@link Suspicion}); publish the event; tell the replicas; pass the news on. While this node's own
 * health is poor ({@link Signal.LocalHealth}) it declares no death; after it heard no one, it
 * refutes nothing about itself until it has heard the others for {@code rejoin-after-deaf}, so a
 * node that could not hear stays out until it can, instead of flapping in and out. Its
 * neighbours, one concern each: {@link AntiEntropy} (push-pull, view digests, joins, reconnects),
 * {@link Tombstones} (the dead, the left and the reaped), {@link UserEvents}, and the {@link StateDelegate}s whose versioned state push-pull and gossip
 * carry (recovery progress, users' application state), of which it knows nothing but the interface.
 */
public final class Membership {
    /** Tags under this prefix are kept for the node itself; users' tags cannot take them. */
    public static final String RESERVED_TAG_PREFIX = "grapevine.";

    private final Settings settings;
    private final MemberTable table;
    private final int selfId;
    private final Counters counters;
    private final UserEvents events;
    private final AntiEntropy antiEntropy;
    private final Map<String, Suspicion> suspicions = new HashMap<>();
    private final Tombstones tombstones;
    /** Incarnations beyond this are refused as forged: a member raises its own by one per refutation. */
    static final long INCARNATION_MAX = Long.MAX_VALUE / 2;
    private Member self;
    private boolean leaving;
    private final LoadTag load = new LoadTag();
    /** This node's time on the epoch scale at {@link #clockBaseNowMillis}: see {@link #clockAt}. */
    private long clockBaseEpochMillis;
    private long clockBaseNowMillis = Long.MIN_VALUE;
    /** What the failure detector last said of this node's health ({@link Signal.LocalHealth}). */
    private boolean poorHealth;
    private long poorSinceMillis;
    private boolean deaf;
    /** When this node last stopped being deaf; MIN_VALUE if it never was. */
    private long hearsSinceMillis = Long.MIN_VALUE;
    /** The accusation of this node (a suspicion, or a verdict of death) it waits to refute: see {@link #holdAccusation}. */
    private Member heldAccusation;

    public Membership(Member self, Settings settings, RandomGenerator rng, NameIndex names, Counters counters) {
        this(self, settings, ClusterName.DEFAULT, rng, names, counters, List.of());
    }

    /**
     * @param cluster the cluster this node's joins name (see {@link ClusterGuard})
     * @param states  the versioned state push-pull and gossip carry beside the member records, in the
     *                order a push-pull lists it
     */
    public Membership(Member self, Settings settings, ClusterName cluster, RandomGenerator rng, NameIndex names,
                      Counters counters, List<StateDelegate> states) {
        if (self.status() != MemberStatus.ALIVE) {
            throw new IllegalArgumentException("a node starts alive, but got " + self);
        }
        this.settings = settings;
        this.self = self;
        this.table = new MemberTable(names);
        this.selfId = names.idOf(self.name());
        this.counters = counters;
        this.events = new UserEvents(settings, table, counters);
        this.tombstones = new Tombstones(settings, table, counters);
        this.antiEntropy = new AntiEntropy(this, table, settings, cluster, rng, counters, events, states);
        table.merge(self);
    }

    public void start(long nowMillis, Outbox out) {
        if (clockBaseNowMillis == Long.MIN_VALUE) {
            clockAt(nowMillis, self.epoch()); // an epoch is a start time (or a counter that starts here)
        }
        antiEntropy.start(nowMillis, out);
    }

    // ---------------------------------------------------------------- restoring a view

    /**
     * Tells the core what time it is on the epoch scale (wall-clock milliseconds where epochs are start
     * times) at monotonic {@code nowMillis}, for refusing epochs from the far future ({@link Claims}).
     * Without it, this node's own epoch at {@link #start} is taken as that time.
     */
    public void clockAt(long nowMillis, long epochScaleMillis) {
        clockBaseNowMillis = nowMillis;
        clockBaseEpochMillis = epochScaleMillis;
    }

    private long epochScaleMillis(long nowMillis) {
        if (clockBaseNowMillis == Long.MIN_VALUE) {
            return self.epoch();
        }
        return clockBaseEpochMillis + Math.max(0, nowMillis - clockBaseNowMillis);
    }

    /**
     * Takes in members known from before without announcing them: no events, no broadcasts. Dead
     * members become reconnect targets and suspects get a suspicion timer, as if just heard of. The
     * replicas are told of every restored member.
     */
    public void restoreView(Collection<Member> members, long nowMillis, Outbox out) {
        for (Member m : members) {
            if (!m.name().equals(self.name()) && table.merge(m)) {
                adoptRestored(m, nowMillis, out);
                tellReplicas(m, self.name(), out);
            }
        }
    }

    /**
     * Like {@link #restoreView(Collection, long, Outbox)} from a table over the same {@link NameIndex}
     * that holds this node's own entry unchanged: one array copy, and no signals (the caller copies
     * the same table into the replicas). The simulator starts large clusters so.
     */
    public void restoreView(MemberTable view, long nowMillis, Outbox out) {
        if (view.get(self.name()) != self) {
            throw new IllegalArgumentException("the view must hold this node's own entry " + self);
        }
        table.copyFrom(view);
        for (int id = 0, n = table.idBound(); id < n; id++) {
            Member m = table.get(id);
            if (m != null && m.status() != MemberStatus.ALIVE && id != selfId) {
                adoptRestored(m, nowMillis, out);
            }
        }
    }

    private void adoptRestored(Member m, long nowMillis, Outbox out) {
        if (m.status() == MemberStatus.SUSPECT) {
            startSuspicion(m, self.name(), nowMillis, out);
        } else {
            tombstones.restored(m, nowMillis);
        }
    }

    // ---------------------------------------------------------------- commands

    /**
     * Announces this node and asks each seed for its view; retried by the reconnect timer while alone.
     * A seed answers with its view: that answer is reported as {@link Effect.JoinAnswered}.
     *
     * @return false, doing nothing, if this node has left: a left node cannot come back in this life
     */
    public boolean join(Collection<Address> seedAddresses, long nowMillis, Outbox out) {
        if (leaving) {
            return false;
        }
        antiEntropy.join(seedAddresses, out);
        broadcast(new Rumor.MemberRumor(self, self.name()), out);
        return true;
    }

    /**
     * Publishes how much data this node holds as its {@link LoadTag#KEY} tag, if the change is worth a
     * rumor (see {@link LoadTag}).
     *
     * @param bytes negative if unknown
     */
    public void publishLoad(long keys, long bytes, long nowMillis, Outbox out) {
        if (leaving || !load.due(keys, bytes, nowMillis)) {
            return;
        }
        Map<String, String> next = new java.util.TreeMap<>(self.tags());
        next.put(LoadTag.KEY, LoadTag.format(keys, bytes));
        changeSelf(self.withTags(next).withIncarnation(self.incarnation() + 1), out);
    }

    /**
     * Advertises the recoverable domains this node runs as its {@link DomainsTag#KEY} tag, under a new
     * incarnation, when they differ from the ones advertised: every member then computes the owners
     * of each domain from its runners, and a change starts a new recovery epoch of that domain.
     * Domains that cannot be advertised ({@link DomainsTag#problem}) are refused before they get here.
     */
    public void publishDomains(java.util.Collection<String> domains, Outbox out) {
        String value = DomainsTag.format(domains);
        if (leaving || value.equals(self.tags().getOrDefault(DomainsTag.KEY, ""))) {
            return;
        }
        Map<String, String> next = new java.util.TreeMap<>(self.tags());
        if (value.isEmpty()) {
            next.remove(DomainsTag.KEY);
        } else {
            next.put(DomainsTag.KEY, value);
        }
        Member before = self;
        changeSelf(self.withTags(next).withIncarnation(self.incarnation() + 1), out);
        // Told here too: this node's recovery computes ownership from its own domains as from everyone's.
        out.publish(new MemberEvent(MemberEvent.Kind.UPDATED, self, before, self.name()));
    }

    /** Leaves gracefully: the cluster records {@code left}, not {@code failed}. Probing stops. */
    public void leave(Outbox out) {
        if (leaving) {
            return;
        }
        leaving = true;
        changeSelf(self.withStatus(MemberStatus.LEFT), out);
    }

    /**
     * Removes a member that is gone for good, on an operator's word (Serf's force-leave): a dead or
     * suspect member becomes left at the incarnation known here. At equal incarnation left overrides
     * dead and suspect, so the news wins on every node that holds the same life; it stops being a
     * reconnect target at once and is reaped after {@code reap-left-after}, like a member that left.
     * A member that is in fact alive hears it is left and refutes with a higher incarnation, as a
     * wrongly suspected member does, and is back. An alive member, this node and unknown names are
     * refused, with the reason.
     */
    public ForceLeave forceLeave(String name, long nowMillis, Outbox out) {
        Member current = table.get(name);
        ForceLeave decision = ForceLeave.decide(name, name.equals(self.name()), current, tombstones.wasReaped(name));
        if (decision.outcome() == ForceLeave.Outcome.REMOVED) {
            counters.forceLeaves++;
            apply(current.withStatus(MemberStatus.LEFT), self.name(), nowMillis, out);
        }
        return decision;
    }

    /**
     * Replaces this node's tags, keeping those under {@link #RESERVED_TAG_PREFIX}, which the node itself
     * sets, under a new incarnation. Told here too, as the other members will be: this node's log, its
     * monitor stream and its dashboard show an operator's change where it was made.
     */
    public void updateTags(Map<String, String> tags, Outbox out) {
        Map<String, String> next = new java.util.TreeMap<>(tags);
        next.keySet().removeIf(k -> k.startsWith(RESERVED_TAG_PREFIX));
        self.tags().forEach((k, v) -> {
            if (k.startsWith(RESERVED_TAG_PREFIX)) {
                next.put(k, v);
            }
        });
        Member before = self;
        changeSelf(self.withTags(next).withIncarnation(self.incarnation() + 1), out);
        out.publish(new MemberEvent(MemberEvent.Kind.UPDATED, self, before, self.name()));
    }

    /**
     * Sends a user event to every member, and delivers it here too: see {@link UserEvents#emit}.
     *
     * @throws IllegalArgumentException if the event is too large, or this node has left
     */
    public UserEvent emit(String name, byte[] payload, Outbox out) {
        if (leaving) { // it would be recorded here and reach no one: the others no longer gossip with this node
            throw new IllegalArgumentException("this node has left the cluster, so no member would receive the event; "
                    + "start it again to rejoin");
        }
        return events.emit(self.name(), name, payload, out);
    }

    private void changeSelf(Member next, Outbox out) {
        self = next;
        table.merge(self);
        tellReplicas(self, self.name(), out);
        broadcast(new Rumor.MemberRumor(self, self.name()), out);
    }

    // ---------------------------------------------------------------- inputs

    public void onSignal(Signal signal, long nowMillis, Outbox out) {
        if (signal instanceof Signal.Heard heard) {
            receive(heard.rumors(), nowMillis, out);
            if (heard.then() != null) {
                out.tell(Role.GOSSIPER, heard.then());
            }
        } else if (signal instanceof Signal.ProbeFailed failed) {
            onProbeFailed(failed.target(), nowMillis, out);
        } else if (signal instanceof Signal.LocalHealth health) {
            if (health.poor() && !poorHealth) {
                poorSinceMillis = nowMillis;
            }
            poorHealth = health.poor();
            if (deaf && !health.deaf()) {
                hearsSinceMillis = nowMillis;
                antiEntropy.pushPullNow(out); // learn what the others hold about this node
            }
            deaf = health.deaf();
        } else {
            throw new IllegalArgumentException("membership does not take " + signal);
        }
    }

    public void onTimer(Timer timer, long nowMillis, Outbox out) {
        switch (timer.kind()) {
            case SUSPICION -> onSuspicionTimer(timer.subject(), nowMillis, out);
            case PUSH_PULL_TICK -> antiEntropy.onPushPullTick(nowMillis, out);
            case RECONNECT_TICK -> antiEntropy.onReconnectTick(nowMillis, out);
            default -> throw new IllegalArgumentException("membership has no timer " + timer);
        }
    }

    private void receive(List<Rumor> rumors, long nowMillis, Outbox out) {
        for (Rumor r : rumors) {
            if (r instanceof Rumor.MemberRumor m) {
                apply(m.member(), m.source(), nowMillis, out);
            } else if (r instanceof Rumor.EventRumor e) {
                events.receive(e.event(), true, out);
            } else {
                StateDelegate state = antiEntropy.delegateOf(r);
                Rumor passOn = state == null ? null : state.merge(r, table, out);
                if (passOn != null) {
                    out.tell(Role.GOSSIPER, new Signal.Announce(passOn));
                }
            }
        }
    }

    // ---------------------------------------------------------------- the merge path

    /** Merges a belief about a member asserted by {@code source}, and acts on what changed. */
    void apply(Member incoming, String source, long nowMillis, Outbox out) {
        Member held = incoming.name().equals(self.name()) ? self : table.get(incoming.name());
        if (Claims.judge(incoming, held, epochScaleMillis(nowMillis)) != Claims.Verdict.PLAUSIBLE) {
            counters.claimsRefused++;
            return;
        }
        if (incoming.name().equals(self.name())) {
            applyAboutSelf(incoming, nowMillis, out);
            return;
        }
        Member current = table.get(incoming.name());
        if (current == null && tombstones.staleNewsOfReaped(incoming)) {
            return; // stale news of a member reaped after it left
        }
        if (!Precedence.overrides(incoming, current)) {
            confirmSuspicion(incoming, current, source, out);
            return;
        }
        table.merge(incoming);
        MemberEvent event = MemberEvent.between(current, incoming, source);
        if (event != null) {
            out.publish(event);
        }
        if (incoming.status() == MemberStatus.SUSPECT) {
            startSuspicion(incoming, source, nowMillis, out);
        } else {
            suspicions.remove(incoming.name());
        }
        tombstones.changed(incoming, nowMillis);
        tellReplicas(incoming, source, out);
        broadcast(new Rumor.MemberRumor(incoming, source), out);
    }

    /** Lifeguard: another accuser of the same suspicion shortens it, and the news travels on. */
    private void confirmSuspicion(Member incoming, Member current, String source, Outbox out) {
        if (incoming.status() != MemberStatus.SUSPECT || current.status() != MemberStatus.SUSPECT
                || Precedence.compare(incoming, current) != 0) {
            return;
        }
        Suspicion s = suspicions.get(current.name());
        if (s != null && s.confirm(source)) {
            out.schedule(Timer.suspicion(current.name()), s.deadlineMillis());
            broadcast(new Rumor.MemberRumor(incoming, source), out);
        }
    }

    private void applyAboutSelf(Member incoming, long nowMillis, Outbox out) {
        if (incoming.epoch() > self.epoch()) {
            if (incoming.address().equals(self.address()) && !leaving) {
                // Our own endpoint under a later epoch: an earlier life of this very node (an
                // in-process restart, or a clock that went back). Move past it, or we stay dead.
                changeSelf(new Member(self.name(), self.address(), incoming.epoch() + 1, 0, MemberStatus.ALIVE,
                        self.tags()), out);
            } else {
                counters.identityConflicts++; // another process claims a later life of our name
            }
            return;
        }
        boolean accusation = incoming.status() != MemberStatus.ALIVE;
        if (incoming.epoch() < self.epoch() || incoming.incarnation() < self.incarnation()) {
            if (accusation && !leaving) {
                broadcast(new Rumor.MemberRumor(self, self.name()), out); // old news: repeat ours
            }
            return;
        }
        if (leaving) {
            return; // we are on our way out; a left/dead record of us is the truth now
        }
        if (incoming.incarnation() >= INCARNATION_MAX) {
            counters.identityConflicts++; // no honest history gets here; refuting would overflow
            return;
        }
        if (accusation && (heldAccusation != null || !mayVouch(incoming, nowMillis))) {
            holdAccusation(incoming, nowMillis, out);
            return;
        }
        if (accusation || incoming.incarnation() > self.incarnation()) {
            // Refute (SWIM §4.2): only we may raise our incarnation. Being accused is also a hint that
            // we are the slow one, so Lifeguard makes our own probing more patient.
            if (accusation) {
                counters.refutations++;
                out.tell(Role.FAILURE_DETECTOR, new Signal.Refuted());
            }
            changeSelf(self.withIncarnation(incoming.incarnation() + 1), out);
        }
    }

    /**
     * Whether this node may vouch for itself now: it is not deaf, and has heard the others for
     * {@code rejoin-after-deaf} since it last was. A node that never was refutes at once, as in SWIM.
     */
    private boolean heardFor(long periodMillis, long nowMillis) {
        return !deaf && (hearsSinceMillis == Long.MIN_VALUE || nowMillis - hearsSinceMillis >= periodMillis);
    }

    /**
     * Whether this node may refute {@code accusation} now.
     * <ul>
     *   <li>A suspicion: unless it is deaf, or heard again less than two probe periods ago. A
     *       suspicion that reaches a node that was deaf is old news of what most likely became a
     *       verdict: it waits for the push-pull it sent on hearing again to say so.</li>
     *   <li>A verdict of its death: not until it has heard the others for {@code rejoin-after-deaf}.
     *       Holding a verdict back never declares anyone dead; it only keeps out a node the others
     *       already hold dead. A poor score alone does not hold it back: a node starved of CPU has
     *       one too, and would keep out for as long as it is busy, which a cluster of JVMs starting
     *       on two cores showed as twenty nodes that never all got in.</li>
     * </ul>
     */
    private boolean mayVouch(Member accusation, long nowMillis) {
        if (accusation.status() != MemberStatus.DEAD) {
            return heardFor(2 * settings.probeIntervalMillis(), nowMillis);
        }
        return heardFor(settings.rejoinAfterDeafMillis(), nowMillis);
    }

    /**
     * A node that could not hear the others lately cannot vouch for itself: accused, it lets its
     * observers judge, and refutes only once it has heard them for {@code rejoin-after-deaf},
     * checking each probe period. Declared dead meanwhile, it keeps out that long: the cluster holds it
     * dead and refuses its claims about others. So a node whose link flaps stays out while it flaps.
     * The latest accusation is the one it will answer.
     */
    private void holdAccusation(Member accusation, long nowMillis, Outbox out) {
        if (heldAccusation == null) {
            out.schedule(Timer.suspicion(self.name()), nowMillis + settings.probeIntervalMillis());
        }
        if (heldAccusation == null || Precedence.compare(accusation, heldAccusation) > 0) {
            if (accusation.status() == MemberStatus.DEAD) {
                counters.rejoinsHeld++;
            } else if (heldAccusation == null) {
                counters.refutationsDeferred++;
            }
            heldAccusation = accusation;
        }
    }

    private void onHeldAccusationTimer(long nowMillis, Outbox out) {
        if (heldAccusation == null || leaving) {
            heldAccusation = null;
            return;
        }
        if (!mayVouch(heldAccusation, nowMillis)) {
            out.schedule(Timer.suspicion(self.name()), nowMillis + settings.probeIntervalMillis());
            return;
        }
        Member accusation = heldAccusation;
        heldAccusation = null;
        refute(accusation, out);
    }

    /** Refutes a verdict or suspicion of this node that waited, if nothing newer of it came since. */
    private void refute(Member accusation, Outbox out) {
        if (leaving || accusation.epoch() != self.epoch() || accusation.incarnation() < self.incarnation()) {
            return;
        }
        counters.refutations++;
        out.tell(Role.FAILURE_DETECTOR, new Signal.Refuted());
        changeSelf(self.withIncarnation(accusation.incarnation() + 1), out);
    }

    private void startSuspicion(Member suspect, String accuser, long nowMillis, Outbox out) {
        int n = table.liveCount();
        Suspicion s = new Suspicion(suspect.epoch(), suspect.incarnation(), accuser, nowMillis,
                settings.suspicionMinMillis(n), settings.suspicionMaxMillis(n),
                Suspicion.expectedConfirmations(settings.suspicionMult(), n),
                Suspicion.quorumFor(settings.suspicionQuorum(), settings.corroborators(), n),
                settings.refutationWindowMillis());
        suspicions.put(suspect.name(), s);
        out.schedule(Timer.suspicion(suspect.name()), s.deadlineMillis());
    }

    private void onSuspicionTimer(String name, long nowMillis, Outbox out) {
        if (name.equals(self.name())) {
            onHeldAccusationTimer(nowMillis, out);
            return;
        }
        Suspicion s = suspicions.get(name);
        if (s == null || s.deadlineMillis() > nowMillis) {
            return; // refuted, or a confirmation moved the deadline and scheduled its own timer
        }
        Member current = table.get(name);
        boolean stands = current != null && current.status() == MemberStatus.SUSPECT
                && s.isAbout(current.epoch(), current.incarnation());
        int live = table.liveCount();
        if (stands && !LocalHealth.mayJudge(poorHealth, poorSinceMillis, nowMillis, live, settings.suspicionMaxMillis(live))) {
            // This node may be the one that cannot hear: leave the verdict to others, and look again.
            counters.accusationsWithheld++;
            out.schedule(Timer.suspicion(name), nowMillis + settings.probeIntervalMillis());
            return;
        }
        suspicions.remove(name);
        if (stands) {
            counters.deathsDeclared++;
            if (s.quorumMet()) {
                counters.deathsByQuorum++;
            }
            apply(current.withStatus(MemberStatus.DEAD), self.name(), nowMillis, out);
        }
    }

    /** A probe of {@code target} got no ack: suspect it, or confirm the suspicion we already hold. */
    private void onProbeFailed(Member target, long nowMillis, Outbox out) {
        Member current = table.get(target.name());
        if (current == null || !current.status().isLive() || current.epoch() != target.epoch()
                || current.incarnation() != target.incarnation()) {
            return; // it refuted or changed while we probed
        }
        if (current.status() == MemberStatus.ALIVE) {
            counters.suspicionsRaised++;
        }
        apply(current.withStatus(MemberStatus.SUSPECT), self.name(), nowMillis, out);
    }

    private void broadcast(Rumor rumor, Outbox out) {
        out.tell(Role.GOSSIPER, new Signal.Broadcast(rumor));
    }

    private static void tellReplicas(Member m, String source, Outbox out) {
        Signal.ViewChanged changed = new Signal.ViewChanged(m, source);
        out.tell(Role.FAILURE_DETECTOR, changed);
        out.tell(Role.GOSSIPER, changed);
    }

    // ---------------------------------------------------------------- peers' messages

    /** A peer's push-pull, view digest, join refusal, or user event sent straight from its origin. */
    public void onMessage(Address from, Message message, long nowMillis, Outbox out) {
        if (message instanceof Message.Event e) {
            events.receiveDirect(e, out);
        } else if (message instanceof Message.PushPull || message instanceof Message.ViewDigest
                || message instanceof Message.Refusal) {
            antiEntropy.onMessage(from, message, nowMillis, out);
        } else {
            throw new IllegalArgumentException("membership does not take " + message.getClass().getSimpleName());
        }
    }

    // ---------------------------------------------------------------- reaping, and the reconnect targets

    /** See {@link Tombstones#reapDue}. */
    void reapDue(long nowMillis, Outbox out) {
        tombstones.reapDue(self.name(), nowMillis, out);
    }

    /** How many dead members reconnect attempts may go to. */
    int reconnectTargets() {
        return tombstones.reconnectTargets();
    }

    /** The {@code index}th dead member, in the order they were learnt dead. */
    String reconnectTarget(int index) {
        return tombstones.reconnectTarget(index);
    }

    /**
     * Tells the replica of role {@code to} the whole view, one {@link Signal.ViewChanged} per member:
     * how a failure detector or gossiper that restarted with nothing catches up.
     */
    public void sendView(Role to, Outbox out) {
        table.forEach(m -> out.tell(to, new Signal.ViewChanged(m, self.name())));
    }

    // ---------------------------------------------------------------- queries

    /** This component's gauges by name (its counters are in the {@link Counters} it was given). */
    public Map<String, Long> gauges() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("members_known", (long) table.knownCount());
        m.put("members_live", (long) table.liveCount());
        m.put("suspicions_open", (long) suspicions.size());
        UserEventLog log = events.log();
        m.put("user_events_duplicate", log.duplicates());
        m.put("user_events_too_old", log.tooOld());
        m.put("user_events_forgotten_early", log.evicted());
        m.put("clocks_refused", log.implausible());
        m.put("event_clock", log.time());
        return m;
    }

    public Member self() {
        return self;
    }

    public Member member(String name) {
        return table.get(name);
    }

    public Member member(int nameId) {
        return table.get(nameId);
    }

    /** This node's view, tombstones included, in a deterministic order. */
    public List<Member> members() {
        return table.snapshot();
    }

    /** The member view itself, for reading only (by the {@link StateDelegate}s' publishers): this class is its single writer. */
    public MemberTable view() {
        return table;
    }

    public boolean isLeaving() {
        return leaving;
    }

    public Settings settings() {
        return settings;
    }

    public UserEventLog events() {
        return events.log();
    }
}
