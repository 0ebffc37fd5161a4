package dev.grapevine.core.node;

import dev.grapevine.core.config.Settings;
import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberTable;
import dev.grapevine.core.member.NameIndex;
import dev.grapevine.core.recovery.EpochProgress;
import dev.grapevine.core.recovery.Progress;
import dev.grapevine.core.recovery.ProgressBoard;
import dev.grapevine.core.wire.ClusterName;
import dev.grapevine.core.wire.Message;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One node's whole protocol (SWIM with Lifeguard, piggyback gossip, push-pull, reconnects, user
 * events) as one step machine: its three components, {@link Membership}, {@link FailureDetector} and
 * {@link Gossiper}, wired together on one thread. The simulator runs nodes as this class; a running
 * node runs the same components as three actors.
 *
 * <p>Pure and single-threaded: every input takes the current time and an {@link Outbox}, and the
 * decisions come back as {@link Effect.Send}, {@link Effect.Schedule}, {@link Effect.Publish} and
 * {@link Effect.Deliver}. The {@link Effect.Tell}s between components are handled here, first in
 * first out after the step that emitted them, which is the order actor mailboxes give them too.
 */
public final class SwimNode {
    private final Membership membership;
    private final FailureDetector failureDetector;
    private final Gossiper gossiper;
    private final ProgressBoard progress;
    private final AppStates appStates;
    private final Counters counters = new Counters();
    private final ClusterGuard guard;
    private final Settings settings;
    /** The components' own outbox; what is not a Tell is passed on to the caller's. */
    private final Outbox inner = new Outbox();
    private final ArrayDeque<Effect.Tell> signals = new ArrayDeque<>();

    /**
     * @param self  this member, alive; its epoch must exceed any earlier process of the same name
     * @param rng   this node's own seeded generator
     * @param names the name index (one per node, or shared by all nodes of one simulator)
     */
    public SwimNode(Member self, Settings settings, RandomGenerator rng, NameIndex names) {
        this(self, settings, ClusterName.DEFAULT, rng, names);
    }

    /** @param cluster the cluster this node belongs to: it reads messages of no other */
    public SwimNode(Member self, Settings settings, ClusterName cluster, RandomGenerator rng, NameIndex names) {
        this.settings = settings;
        this.guard = new ClusterGuard(cluster, counters);
        this.progress = new ProgressBoard(counters);
        this.appStates = new AppStates(self.name(), counters);
        this.membership = new Membership(self, settings, cluster, rng, names, counters, List.of(progress, appStates));
        this.failureDetector = new FailureDetector(self, settings, rng, names, counters);
        this.gossiper = new Gossiper(self, settings, rng, names, counters);
    }

    // ---------------------------------------------------------------- commands

    /** The time on the epoch scale at {@code nowMillis}: see {@link Membership#clockAt}. */
    public void clockAt(long nowMillis, long epochScaleMillis) {
        membership.clockAt(nowMillis, epochScaleMillis);
    }

    /** Schedules the periodic work, each at a random phase so that nodes do not tick in lockstep. */
    public void start(long nowMillis, Outbox out) {
        membership.start(nowMillis, inner);
        failureDetector.start(nowMillis, inner);
        gossiper.start(nowMillis);
        settle(nowMillis, out);
    }

    /** See {@link Membership#restoreView(Collection, long, Outbox)}. */
    public void restoreView(Collection<Member> members, long nowMillis, Outbox out) {
        membership.restoreView(members, nowMillis, inner);
        settle(nowMillis, out);
    }

    /**
     * Restores a view from a table over the same {@link NameIndex} that holds this node's own entry:
     * an array copy per component instead of N merges (how the simulator starts 10,000 nodes).
     */
    public void restoreView(MemberTable view, long nowMillis, Outbox out) {
        membership.restoreView(view, nowMillis, inner);
        failureDetector.restoreView(view);
        gossiper.restoreView(view, nowMillis);
        settle(nowMillis, out);
    }

    public void join(Collection<Address> seeds, long nowMillis, Outbox out) {
        membership.join(seeds, nowMillis, inner);
        settle(nowMillis, out);
    }

    public void leave(long nowMillis, Outbox out) {
        membership.leave(inner);
        settle(nowMillis, out);
    }

    /** See {@link Membership#forceLeave}. */
    public ForceLeave forceLeave(String name, long nowMillis, Outbox out) {
        ForceLeave decision = membership.forceLeave(name, nowMillis, inner);
        settle(nowMillis, out);
        return decision;
    }

    public void updateTags(Map<String, String> tags, long nowMillis, Outbox out) {
        membership.updateTags(tags, inner);
        settle(nowMillis, out);
    }

    /** See {@link Membership#publishLoad}. */
    public void publishLoad(long keys, long bytes, long nowMillis, Outbox out) {
        membership.publishLoad(keys, bytes, nowMillis, inner);
        settle(nowMillis, out);
    }

    /** See {@link Membership#publishDomains}. */
    public void publishDomains(java.util.Collection<String> domains, long nowMillis, Outbox out) {
        membership.publishDomains(domains, inner);
        settle(nowMillis, out);
    }

    /** See {@link ProgressBoard#publish}. */
    public void publishProgress(Progress mine, int index, int members, long nowMillis, Outbox out) {
        progress.publish(mine, index, members, membership.view(), inner);
        settle(nowMillis, out);
    }

    /** See {@link AppStates#publish}. */
    public dev.grapevine.core.member.AppState publishState(String key, byte[] value, long nowMillis, Outbox out) {
        dev.grapevine.core.member.AppState published = appStates.publish(key, value, membership.view(), inner);
        settle(nowMillis, out);
        return published;
    }

    /** See {@link AppStates#values}. */
    public Map<String, dev.grapevine.core.member.AppState> states(String key) {
        return appStates.values(key, membership.view());
    }

    /** See {@link Membership#emit}. */
    public UserEvent emit(String name, byte[] payload, long nowMillis, Outbox out) {
        UserEvent event = membership.emit(name, payload, inner);
        settle(nowMillis, out);
        return event;
    }

    // ---------------------------------------------------------------- inputs

    /** A message from a node of this node's own cluster. */
    public void onMessage(Address from, Message message, long nowMillis, Outbox out) {
        onMessage(from, guard.cluster().id(), message, nowMillis, out);
    }

    /**
     * A message whose frame names the cluster {@code senderCluster}: dropped and counted if that is
     * not this node's (see {@link ClusterGuard}).
     */
    public void onMessage(Address from, long senderCluster, Message message, long nowMillis, Outbox out) {
        if (guard.check(from, senderCluster, message, inner) != null) {
            settle(nowMillis, out);
            return;
        }
        switch (Role.of(message)) {
            case MEMBERSHIP -> membership.onMessage(from, message, nowMillis, inner);
            case FAILURE_DETECTOR -> failureDetector.onMessage(from, message, nowMillis, inner);
            case GOSSIPER -> gossiper.onMessage(from, message, inner);
        }
        settle(nowMillis, out);
    }

    public void onTimer(Timer timer, long nowMillis, Outbox out) {
        switch (timer.kind()) {
            case PROBE_TICK, PROBE_TIMEOUT, PROBE_DEADLINE, RELAY_TIMEOUT -> failureDetector.onTimer(timer, nowMillis, inner);
            case SUSPICION, PUSH_PULL_TICK, RECONNECT_TICK -> membership.onTimer(timer, nowMillis, inner);
            case GOSSIP_TICK -> gossiper.onTimer(timer, nowMillis, inner);
        }
        settle(nowMillis, out);
    }

    /** Hands the step's effects to the caller and delivers its signals, until none are left. */
    private void settle(long nowMillis, Outbox out) {
        while (true) {
            List<Effect> effects = inner.effects();
            for (int i = 0, n = effects.size(); i < n; i++) {
                Effect e = effects.get(i);
                if (e instanceof Effect.Tell tell) {
                    signals.addLast(tell);
                } else {
                    out.add(e);
                }
            }
            inner.clear();
            Effect.Tell next = signals.pollFirst();
            if (next == null) {
                if (gossiper.flushNews(nowMillis, inner)) {
                    continue;   // its sends and timers go out like any other effect
                }
                return;
            }
            switch (next.to()) {
                case MEMBERSHIP -> membership.onSignal(next.signal(), nowMillis, inner);
                case FAILURE_DETECTOR -> failureDetector.onSignal(next.signal(), nowMillis, inner);
                case GOSSIPER -> gossiper.onSignal(next.signal(), nowMillis, inner);
            }
        }
    }

    // ---------------------------------------------------------------- queries

    public Member self() {
        return membership.self();
    }

    public Member member(String name) {
        return membership.member(name);
    }

    /** The member of this {@link NameIndex} id, or null: a name looked up once for many nodes' views. */
    public Member member(int nameId) {
        return membership.member(nameId);
    }

    /** This node's view, tombstones included, in a deterministic order. */
    public List<Member> members() {
        return membership.members();
    }

    /** The recovery progress held of the last few epochs, this node's own words included; the latest last. */
    public List<EpochProgress> progress() {
        return progress.all();
    }

    public int liveCount() {
        return membership.view().liveCount();
    }

    public int knownCount() {
        return membership.view().knownCount();
    }

    public Settings settings() {
        return settings;
    }

    public ClusterName cluster() {
        return guard.cluster();
    }

    public Counters counters() {
        return counters;
    }

    public int localHealthScore() {
        return failureDetector.localHealthScore();
    }

    public int broadcastsQueued() {
        return gossiper.queued();
    }

    public long eventClock() {
        return membership.events().time();
    }

    public boolean isLeaving() {
        return membership.isLeaving();
    }

    /** After {@link #leave}: true once the leave has gone out in at least one message. */
    public boolean isLeaveSent() {
        return membership.isLeaving() && gossiper.transmits(membership.self().name()) != 0;
    }

    /**
     * Every counter of this node by name (snake_case), including the bounds that were hit: broadcasts
     * dropped from a full queue, user events too old or forgotten early. For metrics and diagnostics.
     */
    public Map<String, Long> metrics() {
        Map<String, Long> m = new LinkedHashMap<>(counters.asMap());
        m.putAll(membership.gauges());
        m.putAll(failureDetector.gauges());
        m.putAll(gossiper.gauges());
        return m;
    }
}
