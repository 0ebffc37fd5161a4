package dev.grapevine.core.node;

import dev.grapevine.core.config.Settings;
import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.events.UserEventLog;
import dev.grapevine.core.gossip.BroadcastQueue;
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
 * One member's protocol state machine: SWIM failure detection with Lifeguard, piggybacked
 * dissemination, push-pull anti-entropy, reconnection and user events.
 *
 * <p>Pure and single-threaded: every input ({@link #onMessage}, {@link #onTimer}, the commands)
 * takes the current time and an {@link Outbox}, and every decision comes back as {@link Effect}s. The
 * same class runs under a Pekko actor and in the simulator. Calls must not overlap.
 *
 * <p>Every change of belief about a member goes through {@link #apply}, which merges by
 * {@link Precedence} and then starts or clears suspicions, publishes the event and passes the news on.
 */
public final class SwimNode {
    final Settings settings;
    final RandomGenerator rng;
    final MemberTable table;
    final BroadcastQueue queue;
    final LocalHealth health;
    final Counters counters = new Counters();
    private final UserEventLog events;
    private final Map<String, Suspicion> suspicions = new HashMap<>();
    /** Dead (not left) members and when this node learned it: gossip and reconnect targets. */
    final LinkedHashMap<String, Long> deadSinceMillis = new LinkedHashMap<>();
    private final Prober prober;
    private final Disseminator disseminator;
    Member self;
    final int selfId;
    boolean leaving;

    /**
     * @param self  this member, alive; its epoch must exceed any earlier process of the same name
     * @param rng   this node's own seeded generator
     * @param names the name index (one per node, or shared by all nodes of one simulator)
     */
    public SwimNode(Member self, Settings settings, RandomGenerator rng, NameIndex names) {
        if (self.status() != MemberStatus.ALIVE) {
            throw new IllegalArgumentException("a node starts alive, but got " + self);
        }
        this.settings = settings;
        this.rng = rng;
        this.self = self;
        this.table = new MemberTable(names);
        this.queue = new BroadcastQueue(settings.broadcastQueueMax());
        this.health = new LocalHealth(settings.awarenessMax());
        this.events = new UserEventLog(settings.eventBufferSize(), settings.userEventBytesMax());
        this.selfId = names.idOf(self.name());
        table.merge(self);
        this.prober = new Prober(this);
        this.disseminator = new Disseminator(this);
    }

    // ---------------------------------------------------------------- commands

    /** Schedules the periodic work, each at a random phase so that nodes do not tick in lockstep. */
    public void start(long nowMillis, Outbox out) {
        out.schedule(Timer.PROBE_TICK, nowMillis + rng.nextLong(settings.probeIntervalMillis()) + 1);
        out.schedule(Timer.PUSH_PULL_TICK, nowMillis + rng.nextLong(settings.pushPullIntervalMillis(table.liveCount())) + 1);
        out.schedule(Timer.RECONNECT_TICK, nowMillis + rng.nextLong(settings.reconnectInterval().toMillis()) + 1);
        disseminator.start(nowMillis);
    }

    /**
     * Takes in members known from before (a restart snapshot, or a simulator's converged start)
     * without announcing them: no events, no broadcasts. Dead members become reconnect targets and
     * suspects get a suspicion timer, as if just heard of.
     */
    public void restoreView(Collection<Member> members, long nowMillis, Outbox out) {
        for (Member m : members) {
            if (!m.name().equals(self.name()) && table.merge(m)) {
                adoptRestored(m, nowMillis, out);
            }
        }
    }

    /**
     * {@link #restoreView(Collection, long, Outbox)} from a table over the same {@link NameIndex} that
     * holds this node's own entry unchanged: one array copy. The simulator starts large clusters so.
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
        }
    }

    /** Announces this node and asks each seed for its view; retried by the reconnect timer while alone. */
    public void join(Collection<Address> seeds, long nowMillis, Outbox out) {
        disseminator.join(seeds, nowMillis, out);
        broadcast(new Rumor.MemberRumor(self, self.name()), nowMillis, out);
    }

    /** Leaves gracefully: the cluster records {@code left}, not {@code failed}. Probing stops. */
    public void leave(long nowMillis, Outbox out) {
        if (leaving) {
            return;
        }
        leaving = true;
        self = self.withStatus(MemberStatus.LEFT);
        table.merge(self);
        broadcast(new Rumor.MemberRumor(self, self.name()), nowMillis, out);
    }

    /** Publishes new tags under a new incarnation. */
    public void updateTags(Map<String, String> tags, long nowMillis, Outbox out) {
        self = self.withTags(tags).withIncarnation(self.incarnation() + 1);
        table.merge(self);
        broadcast(new Rumor.MemberRumor(self, self.name()), nowMillis, out);
    }

    /**
     * Sends a user event to every member, and delivers it here too.
     *
     * @throws IllegalArgumentException if name plus payload exceed {@code user-event-max-bytes}
     */
    public UserEvent emit(String name, byte[] payload, long nowMillis, Outbox out) {
        UserEvent event = events.emit(self.name(), name, payload);
        out.deliver(event);
        broadcast(new Rumor.EventRumor(event), nowMillis, out);
        return event;
    }

    // ---------------------------------------------------------------- inputs

    public void onMessage(Address from, Message message, long nowMillis, Outbox out) {
        if (message instanceof Message.Ping p) {
            onPing(from, p, nowMillis, out);
        } else if (message instanceof Message.Ack a) {
            receive(a.piggyback(), nowMillis, out);
            prober.onAck(a, nowMillis, out);
        } else if (message instanceof Message.Nack n) {
            prober.onNack(n);
        } else if (message instanceof Message.PingReq r) {
            prober.onPingReq(from, r, nowMillis, out);
        } else if (message instanceof Message.Gossip g) {
            receive(g.rumors(), nowMillis, out);
        } else if (message instanceof Message.PushPull pp) {
            disseminator.onPushPull(from, pp, nowMillis, out);
        }
    }

    public void onTimer(Timer timer, long nowMillis, Outbox out) {
        switch (timer.kind()) {
            case PROBE_TICK -> prober.onProbeTick(nowMillis, out);
            case PROBE_TIMEOUT -> prober.onProbeTimeout(timer.seq(), nowMillis, out);
            case PROBE_DEADLINE -> prober.onProbeDeadline(timer.seq(), nowMillis, out);
            case RELAY_TIMEOUT -> prober.onRelayTimeout(timer.seq(), out);
            case SUSPICION -> onSuspicionTimer(timer.subject(), nowMillis, out);
            case GOSSIP_TICK -> disseminator.onGossipTick(nowMillis, out);
            case PUSH_PULL_TICK -> disseminator.onPushPullTick(nowMillis, out);
            case RECONNECT_TICK -> disseminator.onReconnectTick(nowMillis, out);
        }
    }

    private void onPing(Address from, Message.Ping ping, long nowMillis, Outbox out) {
        if (!ping.target().equals(self.name())) {
            counters.misdirectedPings++; // the address now belongs to someone else: let the prober time out
            return;
        }
        receive(ping.piggyback(), nowMillis, out); // first, so a refutation can ride on the ack
        out.send(from, new Message.Ack(ping.seq(), piggyback(settings.piggybackBytesMax())));
    }

    void receive(List<Rumor> rumors, long nowMillis, Outbox out) {
        for (Rumor r : rumors) {
            if (r instanceof Rumor.MemberRumor m) {
                apply(m.member(), m.source(), nowMillis, out);
            } else if (r instanceof Rumor.EventRumor e) {
                receiveEvent(e.event(), nowMillis, out);
            }
        }
    }

    /** A user event heard from another node: delivered and passed on once, whichever way it came. */
    void receiveEvent(UserEvent event, long nowMillis, Outbox out) {
        switch (events.receive(event)) {
            case DELIVER -> {
                out.deliver(event);
                broadcast(new Rumor.EventRumor(event), nowMillis, out);
            }
            case PASS_ON -> broadcast(new Rumor.EventRumor(event), nowMillis, out);
            case DROP -> { }
        }
    }

    // ---------------------------------------------------------------- the merge path

    /** Merges a belief about a member asserted by {@code source}, and acts on what changed. */
    void apply(Member incoming, String source, long nowMillis, Outbox out) {
        if (incoming.name().equals(self.name())) {
            applyAboutSelf(incoming, nowMillis, out);
            return;
        }
        Member current = table.get(incoming.name());
        if (!Precedence.overrides(incoming, current)) {
            confirmSuspicion(incoming, current, source, nowMillis, out);
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
        if (incoming.status().isLive() && (current == null || !current.status().isLive())) {
            prober.insert(table.names().idOf(incoming.name()));
        }
        broadcast(new Rumor.MemberRumor(incoming, source), nowMillis, out);
    }

    /** Lifeguard: another accuser of the same suspicion shortens it, and the news travels on. */
    private void confirmSuspicion(Member incoming, Member current, String source, long nowMillis, Outbox out) {
        if (incoming.status() != MemberStatus.SUSPECT || current.status() != MemberStatus.SUSPECT
                || Precedence.compare(incoming, current) != 0) {
            return;
        }
        Suspicion s = suspicions.get(current.name());
        if (s != null && s.confirm(source)) {
            out.schedule(Timer.suspicion(current.name()), s.deadlineMillis());
            broadcast(new Rumor.MemberRumor(incoming, source), nowMillis, out);
        }
    }

    private void applyAboutSelf(Member incoming, long nowMillis, Outbox out) {
        if (incoming.epoch() > self.epoch()) {
            counters.identityConflicts++; // another process claims a later life of our name
            return;
        }
        boolean accusation = incoming.status() != MemberStatus.ALIVE;
        if (incoming.epoch() < self.epoch() || incoming.incarnation() < self.incarnation()) {
            if (accusation && !leaving) {
                broadcast(new Rumor.MemberRumor(self, self.name()), nowMillis, out); // old news: repeat ours
            }
            return;
        }
        if (leaving) {
            return; // we are on our way out; a left/dead record of us is the truth now
        }
        if (accusation || incoming.incarnation() > self.incarnation()) {
            // Refute (SWIM §4.2): only we may raise our incarnation. Being accused is also a hint that
            // we are the slow one, so Lifeguard makes our own probing more patient.
            self = self.withIncarnation(incoming.incarnation() + 1);
            table.merge(self);
            if (accusation) {
                counters.refutations++;
                health.apply(1);
            }
            broadcast(new Rumor.MemberRumor(self, self.name()), nowMillis, out);
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
    void suspectAfterFailedProbe(Member target, long nowMillis, Outbox out) {
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

    // ---------------------------------------------------------------- dissemination helpers

    void broadcast(Rumor rumor, long nowMillis, Outbox out) {
        queue.enqueue(rumor, WireSize.of(rumor));
        disseminator.ensureGossipTick(nowMillis, out);
    }

    /** Broadcasts for a ping or ack, within {@code budgetBytes}. */
    List<Rumor> piggyback(int budgetBytes) {
        if (queue.isEmpty()) {
            return List.of();
        }
        List<Rumor> rumors = new ArrayList<>(4);
        queue.take(budgetBytes, settings.retransmitLimit(table.liveCount()), rumors);
        return rumors;
    }

    /**
     * Lifeguard's buddy system: a ping to a member we suspect carries the suspicion, so the member
     * learns of it from us directly and can refute at once.
     */
    List<Rumor> piggybackFor(Member target) {
        Suspicion s = target.status() == MemberStatus.SUSPECT ? suspicions.get(target.name()) : null;
        if (s == null) {
            return piggyback(settings.piggybackBytesMax());
        }
        Rumor buddy = new Rumor.MemberRumor(target, s.firstAccuser());
        List<Rumor> rumors = new ArrayList<>(piggyback(settings.piggybackBytesMax() - WireSize.of(buddy)));
        rumors.add(0, buddy);
        return rumors;
    }

    /** Members to reach, uniformly among those that qualify, without scanning the table when it is large. */
    List<Member> randomMembers(int count, boolean includeRecentlyDead, String exclude, long nowMillis) {
        List<Member> picked = new ArrayList<>(count);
        int bound = table.idBound();
        int attempts = count * 8;
        for (int i = 0; i < attempts && picked.size() < count; i++) {
            Member m = table.get(rng.nextInt(bound));
            if (qualifies(m, includeRecentlyDead, exclude, nowMillis) && !picked.contains(m)) {
                picked.add(m);
            }
        }
        if (picked.size() < count) {
            // Few qualify (a small or mostly dead view): reservoir-sample a full scan instead.
            picked.clear();
            int seen = 0;
            for (int id = 0; id < bound; id++) {
                Member m = table.get(id);
                if (!qualifies(m, includeRecentlyDead, exclude, nowMillis)) {
                    continue;
                }
                seen++;
                if (picked.size() < count) {
                    picked.add(m);
                } else {
                    int j = rng.nextInt(seen);
                    if (j < count) {
                        picked.set(j, m);
                    }
                }
            }
        }
        return picked;
    }

    private boolean qualifies(Member m, boolean includeRecentlyDead, String exclude, long nowMillis) {
        if (m == null || m == self || m.name().equals(self.name()) || m.name().equals(exclude)) {
            return false;
        }
        if (m.status().isLive()) {
            return true;
        }
        if (!includeRecentlyDead || m.status() != MemberStatus.DEAD) {
            return false;
        }
        Long since = deadSinceMillis.get(m.name());
        return since != null && nowMillis - since < settings.gossipToTheDead().toMillis();
    }

    UserEventLog events() {
        return events;
    }

    // ---------------------------------------------------------------- queries

    public Member self() {
        return self;
    }

    public Member member(String name) {
        return table.get(name);
    }

    /** This node's view, tombstones included, in a deterministic order. */
    public List<Member> members() {
        return table.snapshot();
    }

    public int liveCount() {
        return table.liveCount();
    }

    public int knownCount() {
        return table.knownCount();
    }

    public Settings settings() {
        return settings;
    }

    public Counters counters() {
        return counters;
    }

    /**
     * Every counter of this node by name (snake_case), including the bounds that were hit: broadcasts
     * dropped from a full queue, user events too old or forgotten early. For metrics and diagnostics.
     */
    public Map<String, Long> metrics() {
        Map<String, Long> m = new LinkedHashMap<>(counters.asMap());
        m.put("members_known", (long) table.knownCount());
        m.put("members_live", (long) table.liveCount());
        m.put("suspicions_open", (long) suspicions.size());
        m.put("local_health_score", (long) health.score());
        m.put("broadcasts_queued", (long) queue.size());
        m.put("broadcasts_dropped", queue.dropped());
        m.put("user_events_duplicate", events.duplicates());
        m.put("user_events_too_old", events.tooOld());
        m.put("user_events_forgotten_early", events.evicted());
        m.put("event_clock", events.time());
        return m;
    }

    public int localHealthScore() {
        return health.score();
    }

    public int broadcastsQueued() {
        return queue.size();
    }

    public long broadcastsDropped() {
        return queue.dropped();
    }

    public long eventClock() {
        return events.time();
    }

    public boolean isLeaving() {
        return leaving;
    }

    /** After {@link #leave}: true once the leave has gone out in at least one message. */
    public boolean isLeaveSent() {
        return leaving && queue.transmits(self.name()) != 0;
    }
}
