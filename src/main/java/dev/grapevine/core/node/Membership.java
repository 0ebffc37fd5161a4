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
import dev.grapevine.core.recovery.EpochProgress;
import dev.grapevine.core.recovery.Progress;
import dev.grapevine.core.swim.Suspicion;
import dev.grapevine.core.wire.ClusterName;
import dev.grapevine.core.wire.Message;
import dev.grapevine.core.wire.WireSize;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The single writer of a node's member view, and of its user events. Every change of belief goes
 * through {@link #apply}: merge by {@link Precedence}; refute accusations of this node (SWIM §4.2);
 * start, confirm or clear suspicions (Lifeguard §IV-B); publish the event; tell the replicas; pass
 * the news on. Also runs push-pull anti-entropy and the reconnect attempts that heal partitions.
 */
public final class Membership {
    /** Tags under this prefix are kept for the node itself; users' tags cannot take them. */
    public static final String RESERVED_TAG_PREFIX = "grapevine.";

    /**
     * Bytes of recent user events a push-pull carries. With 512 members of about 30 bytes beside it, a
     * push-pull stays well under Artery's 256 KiB frame.
     */
    static final int PUSH_PULL_EVENT_BYTES_MAX = 32 * 1024;

    private final Settings settings;
    private final RandomGenerator rng;
    private final MemberTable table;
    private final int selfId;
    private final Counters counters;
    private final UserEventLog events;
    private final Map<String, Suspicion> suspicions = new HashMap<>();
    /** Dead (not left) members and when this node learned it: the reconnect targets. */
    private final LinkedHashMap<String, Long> deadSinceMillis = new LinkedHashMap<>();
    /** Members that left, and since when: reaped after {@code reap-left-after}. */
    private final LinkedHashMap<String, Long> leftSinceMillis = new LinkedHashMap<>();
    /**
     * The last state of members reaped recently, oldest first: news of them that does not override it
     * is stale and must not bring them back. Bounded; past {@link #REAPED_REMEMBERED_MAX} the oldest
     * are forgotten, and a very late stale rumor could list such a member as left again, until it is
     * reaped once more.
     */
    private final LinkedHashMap<String, Member> reaped = new LinkedHashMap<>();
    static final int REAPED_REMEMBERED_MAX = 4096;
    /** Incarnations beyond this are refused as forged: a member raises its own by one per refutation. */
    static final long INCARNATION_MAX = Long.MAX_VALUE / 2;
    /**
     * Bytes of members in one push-pull. With {@link #PUSH_PULL_EVENT_BYTES_MAX} of events and framing
     * it stays well under Artery's 256 KiB frame however large the members' tags are.
     */
    static final int PUSH_PULL_MEMBER_BYTES_MAX = 128 * 1024;
    /** Bytes of recovery progress in one push-pull: the current epochs' values (one per domain), about 1 byte per member each once done. */
    static final int PUSH_PULL_PROGRESS_BYTES_MAX = 64 * 1024;
    private Member self;
    private boolean leaving;
    private List<Address> seeds = List.of();
    private boolean joining;
    private final ClusterName cluster;
    private boolean seedTurn;
    private final ProgressBoard progress = new ProgressBoard();
    private final LoadTag load = new LoadTag();
    /** This node's time on the epoch scale at {@link #clockBaseNowMillis}: see {@link #clockAt}. */
    private long clockBaseEpochMillis;
    private long clockBaseNowMillis = Long.MIN_VALUE;

    public Membership(Member self, Settings settings, RandomGenerator rng, NameIndex names, Counters counters) {
        this(self, settings, ClusterName.DEFAULT, rng, names, counters);
    }

    /** @param cluster the cluster this node's joins name (see {@link ClusterGuard}) */
    public Membership(Member self, Settings settings, ClusterName cluster, RandomGenerator rng, NameIndex names,
                      Counters counters) {
        this.cluster = cluster;
        if (self.status() != MemberStatus.ALIVE) {
            throw new IllegalArgumentException("a node starts alive, but got " + self);
        }
        this.settings = settings;
        this.rng = rng;
        this.self = self;
        this.table = new MemberTable(names);
        this.selfId = names.idOf(self.name());
        this.counters = counters;
        this.events = new UserEventLog(settings.eventBufferSize(), settings.userEventBytesMax());
        table.merge(self);
    }

    public void start(long nowMillis, Outbox out) {
        if (clockBaseNowMillis == Long.MIN_VALUE) {
            clockAt(nowMillis, self.epoch()); // an epoch is a start time (or a counter that starts here)
        }
        out.schedule(Timer.PUSH_PULL_TICK, nowMillis + rng.nextLong(settings.pushPullIntervalMillis(table.liveCount())) + 1);
        out.schedule(Timer.RECONNECT_TICK, nowMillis + rng.nextLong(settings.reconnectInterval().toMillis()) + 1);
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
        } else if (m.status() == MemberStatus.DEAD) {
            deadSinceMillis.put(m.name(), nowMillis);
        } else if (m.status() == MemberStatus.LEFT) {
            leftSinceMillis.put(m.name(), nowMillis);
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
        seeds = List.copyOf(seedAddresses);
        joining = !seeds.isEmpty();
        for (Address seed : seeds) {
            out.send(seed, pushPull(true, false));
        }
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
        ForceLeave decision = ForceLeave.decide(name, name.equals(self.name()), current, reaped.containsKey(name));
        if (decision.outcome() == ForceLeave.Outcome.REMOVED) {
            counters.forceLeaves++;
            apply(current.withStatus(MemberStatus.LEFT), self.name(), nowMillis, out);
        }
        return decision;
    }

    /** Publishes new tags under a new incarnation. */
    /** Replaces this node's tags, keeping those under {@link #RESERVED_TAG_PREFIX}, which the node itself sets. */
    public void updateTags(Map<String, String> tags, Outbox out) {
        Map<String, String> next = new java.util.TreeMap<>(tags);
        next.keySet().removeIf(k -> k.startsWith(RESERVED_TAG_PREFIX));
        self.tags().forEach((k, v) -> {
            if (k.startsWith(RESERVED_TAG_PREFIX)) {
                next.put(k, v);
            }
        });
        changeSelf(self.withTags(next).withIncarnation(self.incarnation() + 1), out);
    }

    /**
     * Gossips this node's recovery progress, as its word in its epoch's value: queued for the gossip
     * ticks and piggybacks rather than sent in a round of its own (nothing waits on it at network
     * speed), and carried by push-pull for any member the gossip missed.
     *
     * @param index   this node's position among the epoch's members, in ascending order of name
     * @param members how many members the epoch has
     */
    public void publishProgress(Progress mine, int index, int members, Outbox out) {
        out.tell(Role.GOSSIPER, new Signal.Announce(new Rumor.ProgressRumor(progress.publish(mine, index, members,
                liveEpochs()))));
    }

    /**
     * Sends a user event to every member, and delivers it here too. While there are at most
     * {@code user-event-direct-max} others, it goes to each of them straight from here, one hop as
     * Pekko's DistributedPubSub sends, before this node delivers it: the sends are on their way before
     * any local subscriber runs, and do not wait for a hand-off to the gossiper. They are
     * {@link Message.Event}s, which the receivers' membership takes itself. The gossiper queues it
     * either way, for any copy that is lost (see {@link Signal.Announce}); the receivers may not
     * (see {@link #receiveDirectEvent}).
     *
     * @throws IllegalArgumentException if name plus payload exceed {@code user-event-max-bytes}
     */
    public UserEvent emit(String name, byte[] payload, Outbox out) {
        UserEvent event = events.emit(self.name(), name, payload);
        Rumor.EventRumor rumor = new Rumor.EventRumor(event);
        boolean sentToAll = sendToAll(event, out);
        out.deliver(event);
        out.tell(Role.GOSSIPER, sentToAll ? new Signal.Announce(rumor) : new Signal.Broadcast(rumor));
        return event;
    }

    /** One message to each live member, while there are few enough; false (and nothing sent) otherwise. */
    private boolean sendToAll(UserEvent event, Outbox out) {
        int others = table.liveCount() - 1;
        if (others < 1 || others > settings.userEventDirectMax()) {
            return false;
        }
        Message.Event message = new Message.Event(event, ViewDigest.liveMembers(table));
        table.forEach(m -> {
            if (m.status().isLive() && !m.name().equals(self.name())) {
                out.send(m.address(), message);
            }
        });
        counters.gossipMessages += others;
        counters.directSends += others;
        return true;
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
        } else {
            throw new IllegalArgumentException("membership does not take " + signal);
        }
    }

    public void onTimer(Timer timer, long nowMillis, Outbox out) {
        switch (timer.kind()) {
            case SUSPICION -> onSuspicionTimer(timer.subject(), nowMillis, out);
            case PUSH_PULL_TICK -> onPushPullTick(nowMillis, out);
            case RECONNECT_TICK -> onReconnectTick(nowMillis, out);
            default -> throw new IllegalArgumentException("membership has no timer " + timer);
        }
    }

    private void receive(List<Rumor> rumors, long nowMillis, Outbox out) {
        for (Rumor r : rumors) {
            if (r instanceof Rumor.MemberRumor m) {
                apply(m.member(), m.source(), nowMillis, out);
            } else if (r instanceof Rumor.EventRumor e) {
                receiveEvent(e.event(), true, out);
            } else if (r instanceof Rumor.ProgressRumor p) {
                java.util.Set<Long> live = liveEpochs();
                EpochProgress merged = receiveProgress(p.progress(), live, out);
                if (merged != null && live.contains(merged.epoch())) {
                    // Passed on only in the epoch of our live members: a node's values of epochs it
                    // left, or was alone in while joining, would otherwise circulate for ever.
                    out.tell(Role.GOSSIPER, new Signal.Announce(new Rumor.ProgressRumor(merged)));
                }
            }
        }
    }

    /**
     * A user event straight from its origin. Where a copy sent on a live connection arrives (one copy
     * per member, as over Artery) and the origin's live members are this node's, every member this
     * node could tell already has it: it is delivered and not gossiped on. At five members that is
     * 4 messages an event, where every receiver gossiping it to its transmit limit made up to 30 more.
     * A copy lost with a broken connection is made up by the origin's own gossip of it and by
     * push-pull. Otherwise, as any event heard.
     */
    private void receiveDirectEvent(Message.Event direct, Outbox out) {
        boolean sentToAllKnownHere = settings.gossipCopiesMax() == 1
                && direct.liveMembers() == ViewDigest.liveMembers(table);
        receiveEvent(direct.event(), !sentToAllKnownHere, out);
    }

    /** A user event heard from another node: delivered once, and passed on once if {@code passOn}. */
    private void receiveEvent(UserEvent event, boolean passOn, Outbox out) {
        UserEventLog.Verdict verdict = events.receive(event);
        if (verdict == UserEventLog.Verdict.DROP) {
            return;
        }
        if (verdict == UserEventLog.Verdict.DELIVER) {
            out.deliver(event);
        }
        if (passOn) {
            broadcast(new Rumor.EventRumor(event), out);
        } else {
            counters.directEventsNotGossiped++;
        }
    }

    /**
     * An epoch's progress heard from a peer, merged into the value held: recovery is told the merged
     * value if the peer's brought news. Returns it then, else null.
     *
     * @param liveEpoch the epochs of the live members this view holds, whose values are never dropped
     */
    private EpochProgress receiveProgress(EpochProgress incoming, java.util.Set<Long> liveEpoch, Outbox out) {
        if (progress.conflicts(incoming)) {
            counters.progressRefused++;
            return null;
        }
        EpochProgress merged = progress.offer(incoming, liveEpoch);
        if (merged != null) {
            out.add(new Effect.ProgressHeard(merged));
        }
        return merged;
    }

    // ---------------------------------------------------------------- the merge path

    /** Merges a belief about a member asserted by {@code source}, and acts on what changed. */
    private void apply(Member incoming, String source, long nowMillis, Outbox out) {
        Member held = incoming.name().equals(self.name()) ? self : table.get(incoming.name());
        if (Claims.judge(incoming, held, epochScaleMillis(nowMillis)) != Claims.Verdict.PLAUSIBLE) {
            counters.claimsRefused++;
            return;
        }
        if (incoming.name().equals(self.name())) {
            applyAboutSelf(incoming, out);
            return;
        }
        Member current = table.get(incoming.name());
        if (current == null && reaped.containsKey(incoming.name())) {
            if (!Precedence.overrides(incoming, reaped.get(incoming.name()))) {
                return; // stale news of a member reaped after it left
            }
            reaped.remove(incoming.name());
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
        if (incoming.status() == MemberStatus.DEAD) {
            deadSinceMillis.put(incoming.name(), nowMillis);
        } else {
            deadSinceMillis.remove(incoming.name());
        }
        if (incoming.status() == MemberStatus.LEFT) {
            leftSinceMillis.putIfAbsent(incoming.name(), nowMillis);
        } else {
            leftSinceMillis.remove(incoming.name());
        }
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

    private void applyAboutSelf(Member incoming, Outbox out) {
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

    private void startSuspicion(Member suspect, String accuser, long nowMillis, Outbox out) {
        int n = table.liveCount();
        Suspicion s = new Suspicion(suspect.epoch(), suspect.incarnation(), accuser, nowMillis,
                settings.suspicionMinMillis(n), settings.suspicionMaxMillis(n),
                Suspicion.expectedConfirmations(settings.suspicionMult(), n));
        suspicions.put(suspect.name(), s);
        out.schedule(Timer.suspicion(suspect.name()), s.deadlineMillis());
    }

    private void onSuspicionTimer(String name, long nowMillis, Outbox out) {
        Suspicion s = suspicions.get(name);
        if (s == null || s.deadlineMillis() > nowMillis) {
            return; // refuted, or a confirmation moved the deadline and scheduled its own timer
        }
        suspicions.remove(name);
        Member current = table.get(name);
        if (current != null && current.status() == MemberStatus.SUSPECT && s.isAbout(current.epoch(), current.incarnation())) {
            counters.deathsDeclared++;
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

    // ---------------------------------------------------------------- anti-entropy and reconnects

    private void onPushPullTick(long nowMillis, Outbox out) {
        out.schedule(Timer.PUSH_PULL_TICK, nowMillis + settings.pushPullIntervalMillis(table.liveCount()));
        if (leaving) {
            return;
        }
        List<Member> peer = MemberSampler.pick(table, 1, m -> m.status().isLive() && !m.name().equals(self.name()), rng);
        if (!peer.isEmpty()) {
            out.send(peer.get(0).address(), new Message.ViewDigest(viewDigest(), events.time()));
            counters.viewDigestsSent++;
        }
    }

    /** What {@link ViewDigest} makes of this node's view: what its push-pull would carry, and the events it remembers. */
    private long viewDigest() {
        return ViewDigest.of(table, currentProgress(), events.recent(PUSH_PULL_EVENT_BYTES_MAX, WireSize::of));
    }

    /** A peer's push-pull, view digest, or user event sent straight from its origin. */
    public void onMessage(Address from, Message message, long nowMillis, Outbox out) {
        if (message instanceof Message.PushPull pp) {
            onPushPull(from, pp, nowMillis, out);
        } else if (message instanceof Message.ViewDigest d) {
            onViewDigest(from, d, out);
        } else if (message instanceof Message.Event e) {
            receiveDirectEvent(e, out);
        } else if (message instanceof Message.Refusal r) {
            onRefusal(from, r, out);
        } else {
            throw new IllegalArgumentException("membership does not take " + message.getClass().getSimpleName());
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
        events.witness(digest.eventClock());
        if (digest.digest() == viewDigest()) {
            counters.viewDigestsAlike++;
            return;
        }
        out.send(from, pushPull(false, false));
        counters.pushPulls++;
    }

    /**
     * Tries to reach one dead member (or, when alone, a seed) with a push-pull. Serf gives up after
     * 24 h and memberlist never tries, leaving permanent splits; this never stops, at one message per
     * interval.
     */
    private void onReconnectTick(long nowMillis, Outbox out) {
        out.schedule(Timer.RECONNECT_TICK, nowMillis + settings.reconnectInterval().toMillis());
        reapLeft(nowMillis, out);
        reapDeadOverBound(out);
        if (leaving) {
            return;
        }
        boolean alone = table.liveCount() <= 1;
        // Alone, try the seeds, but every other time a dead member too: the seeds may be gone for good
        // while the rest of the cluster is only on the far side of a partition.
        seedTurn = !seedTurn || deadSinceMillis.isEmpty();
        if (alone && !seeds.isEmpty() && seedTurn) {
            joining = true;
            out.send(seeds.get(rng.nextInt(seeds.size())), pushPull(true, false));
            counters.reconnectAttempts++;
        } else if (!deadSinceMillis.isEmpty()) {
            int pick = rng.nextInt(deadSinceMillis.size());
            String name = deadSinceMillis.keySet().stream().skip(pick).findFirst().orElseThrow();
            out.send(table.get(name).address(), pushPull(false, false));
            counters.reconnectAttempts++;
        }
    }

    /**
     * Forgets members that left more than {@code reap-left-after} ago (Serf's tombstone timeout), so
     * that a cluster that churns for months does not list every node it ever had. Dead members are
     * not reaped: they are whom reconnects go to.
     */
    private void reapLeft(long nowMillis, Outbox out) {
        long reapBeforeMillis = nowMillis - settings.reapLeftAfter().toMillis();
        for (var it = leftSinceMillis.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (e.getValue() > reapBeforeMillis) {
                break; // in order of leaving: the rest left later
            }
            it.remove();
            reap(e.getKey(), out);
        }
    }

    /**
     * Dead members are kept so that partitions heal, but not without bound: nodes that come back under
     * new names (a rescheduled pod with a new address as its name) would pile up for ever. Past
     * {@link #deadMembersMax()} the longest-dead are reaped, and counted.
     */
    private void reapDeadOverBound(Outbox out) {
        while (deadSinceMillis.size() > deadMembersMax()) {
            String oldest = deadSinceMillis.keySet().iterator().next();
            deadSinceMillis.remove(oldest);
            counters.deadReapedOverBound++;
            reap(oldest, out);
        }
    }

    /** Room for the other side of any partition of this cluster, and never less than 4096. */
    int deadMembersMax() {
        return Math.max(DEAD_MEMBERS_MIN, 2 * table.liveCount());
    }

    static final int DEAD_MEMBERS_MIN = 4096;

    private void reap(String name, Outbox out) {
        Member gone = table.remove(name);
        if (gone == null) {
            return;
        }
        reaped.put(gone.name(), gone);
        if (reaped.size() > REAPED_REMEMBERED_MAX) {
            reaped.remove(reaped.keySet().iterator().next());
        }
        out.publish(new MemberEvent(MemberEvent.Kind.REAPED, gone, gone, self.name()));
        out.tell(Role.FAILURE_DETECTOR, new Signal.Reaped(gone.name()));
        out.tell(Role.GOSSIPER, new Signal.Reaped(gone.name()));
    }

    /**
     * Merges a peer's view. A peer's "dead" is taken as a suspicion (as memberlist does): the member
     * may be alive and merely cut off from that peer, and a suspicion can still be refuted.
     */
    private void onPushPull(Address from, Message.PushPull message, long nowMillis, Outbox out) {
        if (message.reply() && joining) {
            joining = false;
            events.joined(message.eventClock());
        } else {
            events.witness(message.eventClock());
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
        for (Member m : message.members()) {
            // A member we never heard of that the peer holds dead is recorded dead, quietly (no
            // JOINED, no suspicion of an address that is likely gone): a reconnect target, like a
            // restored tombstone. memberlist ignores such news; we keep it so partitions heal.
            Member held = table.get(m.name());
            if (!senderLive && !Claims.strangerMay(m, held, from, self.name())) {
                counters.rumorsFromStrangers++;
                continue;
            }
            boolean known = held != null;
            Member belief = m.status() == MemberStatus.DEAD && known ? m.withStatus(MemberStatus.SUSPECT) : m;
            apply(belief, source, nowMillis, out);
        }
        for (UserEvent event : message.recentEvents()) {
            receiveEvent(event, true, out);
        }
        java.util.Set<Long> live = liveEpochs();
        for (EpochProgress value : message.progress()) {
            receiveProgress(value, live, out); // anti-entropy: told here, not passed on
        }
    }

    /** This node first, then all others, or a random window of them when the view is too large. */
    private Message.PushPull pushPull(boolean join, boolean reply) {
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
        return new Message.PushPull(join, reply, events.time(), members, events.recent(PUSH_PULL_EVENT_BYTES_MAX, WireSize::of),
                currentProgress(), join ? cluster.name() : ""); // a join names its cluster, for a refusal's log line
    }

    /**
     * The progress held for the epoch of the live members this view holds: the epoch recovery works
     * in once the view has settled, and the one whose completion anti-entropy must not leave waiting.
     * Empty if none is held, or if it is too large for a push-pull (counted).
     */
    private List<EpochProgress> currentProgress() {
        List<EpochProgress> out = new ArrayList<>();
        int bytes = 0;
        for (long epoch : liveEpochs()) { // one per domain run here, and the one of all live members
            EpochProgress value = progress.of(epoch);
            if (value == null) {
                continue;
            }
            int size = WireSize.of(value);
            if (bytes + size > PUSH_PULL_PROGRESS_BYTES_MAX) {
                counters.progressTooLarge++;
                continue;
            }
            bytes += size;
            out.add(value);
        }
        return out;
    }

    private java.util.Set<Long> liveEpochs() {
        return progress.liveEpochs(table);
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
        m.put("user_events_duplicate", events.duplicates());
        m.put("user_events_too_old", events.tooOld());
        m.put("user_events_forgotten_early", events.evicted());
        m.put("clocks_refused", events.implausible());
        m.put("event_clock", events.time());
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

    MemberTable view() {
        return table;
    }

    public boolean isLeaving() {
        return leaving;
    }

    public Settings settings() {
        return settings;
    }

    public UserEventLog events() {
        return events;
    }

    /** The recovery progress held of the last few epochs, this node's own words included; the latest last. */
    public List<EpochProgress> progress() {
        return progress.all();
    }
}
