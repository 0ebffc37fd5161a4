package dev.grapevine.runtime;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.AppState;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.node.AppStates;
import dev.grapevine.core.node.ClusterGuard;
import dev.grapevine.core.node.Counters;
import dev.grapevine.core.node.Effect;
import dev.grapevine.core.node.Membership;
import dev.grapevine.core.node.Role;
import dev.grapevine.core.node.Signal;
import dev.grapevine.core.node.Timer;
import dev.grapevine.core.recovery.EpochProgress;
import dev.grapevine.core.recovery.Progress;
import dev.grapevine.core.recovery.ProgressBoard;
import dev.grapevine.log.GrapevineLogs;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.SplittableRandom;

/**
 * Runs this node's {@link Membership}, the single writer of its view, and serves the local API:
 * members, subscriptions, user events, tags, leave. Its state cannot be rebuilt from its siblings, so
 * it is not restarted in place: if it fails, the guardian starts the node again under a new epoch.
 */
final class MembershipActor extends AbstractBehavior<MembershipActor.Command> {

    public interface Command {
    }

    record FromSibling(Signal signal) implements Command {
    }

    record ReplicaWanted(Role role) implements Command {
    }

    private record Tick(Timer timer) implements Command {
    }

    /** Time to write the live peers to the data dir, if they changed. */
    private enum SavePeers implements Command { INSTANCE }

    /** Time to copy this actor's figures into the node's metrics. */
    private enum PublishMetrics implements Command { INSTANCE }

    /**
     * Delay from a change of the view to rewriting the peers file: soon enough that a node crashing
     * moments after it joined still remembers whom to rejoin, and it bounds the writes to 2 a second.
     */
    static final Duration SAVE_PEERS_AFTER = Duration.ofMillis(500);

    /** Replies with this node's view, tombstones included. */
    public record GetMembers(ActorRef<List<Member>> replyTo) implements Command {
    }

    /**
     * Hands {@code subscriber} (through {@code deliver}) the current view first, as JOINED, FAILED or
     * LEFT events with no previous state, then every change.
     */
    public record SubscribeMembers(ActorRef<?> subscriber, Consumer<MemberEvent> deliver) implements Command {
        public static SubscribeMembers of(ActorRef<MemberEvent> subscriber) {
            return new SubscribeMembers(subscriber, subscriber::tell);
        }
    }

    /** Hands {@code subscriber} (through {@code deliver}) every user event delivered here from now on. */
    public record SubscribeUserEvents(ActorRef<?> subscriber, Consumer<UserEvent> deliver) implements Command {
        public static SubscribeUserEvents of(ActorRef<UserEvent> subscriber) {
            return new SubscribeUserEvents(subscriber, subscriber::tell);
        }
    }

    /** Stops sending {@code subscriber} anything. */
    public record Unsubscribe(ActorRef<?> subscriber) implements Command {
    }

    /** Emits a user event; replies with it, or with the error that refused it. */
    public record Emit(String name, byte[] payload, ActorRef<EmitResult> replyTo) implements Command {
    }

    public record EmitResult(UserEvent event, String error) {
    }

    /**
     * Joins the nodes at {@code seeds}; if {@code replyTo} is set, replies with those that answered
     * within {@link #JOIN_ANSWER_WAIT}, or at once if this node has left.
     */
    public record Join(List<Address> seeds, ActorRef<Joined> replyTo) implements Command {
        public Join(List<Address> seeds) {
            this(seeds, null);
        }
    }

    /**
     * What came of a {@link Join}: who answered, who did not, or that this node has left (and asked
     * nobody); {@code refused}: the addresses whose node is of another cluster, with its cluster's name.
     */
    public record Joined(List<Address> answered, List<Address> silent, boolean left, Map<Address, String> refused) {
        /** No address refused. */
        public Joined(List<Address> answered, List<Address> silent, boolean left) {
            this(answered, silent, left, Map.of());
        }
    }

    /** How long a {@link Join} waits for its addresses to answer: a push-pull round trip, with room for a slow start. */
    public static final Duration JOIN_ANSWER_WAIT = Duration.ofSeconds(5);

    private record JoinDeadline(long id) implements Command {
    }

    /**
     * Sets and deletes user tags, recording the change for later lives; replies with the tags now,
     * or with the reason it refused (too large, the data dir cannot be written).
     */
    public record UpdateTags(Map<String, String> set, java.util.Set<String> delete, int userBytesMax,
                             ActorRef<TagsUpdated> replyTo) implements Command {
    }

    public record TagsUpdated(Map<String, String> tags, boolean persisted, String error) {
    }

    /** Time to see whether this node's load changed enough to gossip it (and that its domains are advertised). */
    private enum PublishLoad implements Command { INSTANCE }

    /** The node's recoverable domains changed: advertise them in its tags (see {@code DomainsTag}). */
    public enum PublishDomains implements Command { INSTANCE }

    /**
     * How often the domains are asked for their load. The core publishes at most one change per
     * {@code LoadTag.PUBLISH_INTERVAL_MIN_MILLIS}; checking more often only shortens the delay of that one.
     */
    static final Duration LOAD_CHECK_EVERY = Duration.ofSeconds(10);

    public record SetTags(Map<String, String> tags) implements Command {
    }

    /** Gossips this node's recovery progress, as member {@code index} of {@code members} in its epoch. */
    record PublishProgress(Progress progress, int index, int members) implements Command {
    }

    /**
     * Hands {@code subscriber} (through {@code deliver}) the progress held of the last few epochs first,
     * then each epoch's again whenever a word in it is news: how the recovery coordinator hears
     * everyone else's progress.
     */
    record SubscribeProgress(ActorRef<?> subscriber, Consumer<EpochProgress> deliver) implements Command {
    }

    /**
     * Publishes {@code value} under {@code key} as this node's application state; replies with null,
     * or with the reason it was refused (see {@link AppStates#publish}).
     */
    public record PublishState(String key, byte[] value, ActorRef<StatePublished> replyTo) implements Command {
    }

    public record StatePublished(String error) {
    }

    /** Replies with each live member's application state under {@code key}, by member name. */
    public record GetStates(String key, ActorRef<Map<String, AppState>> replyTo) implements Command {
    }

    /** Leaves gracefully; replies once the leave has gone out (or at once if nobody is there to tell). */
    public record Leave(ActorRef<Done> replyTo) implements Command {
    }

    /**
     * Removes a member that is gone for good (Serf's force-leave): a dead or suspect member becomes left
     * everywhere. Replies with the decision, or its refusal and why (see {@link Membership#forceLeave}).
     */
    public record ForceLeave(String name, ActorRef<dev.grapevine.core.node.ForceLeave> replyTo) implements Command {
    }
    private static final Logger LOG = GrapevineLogs.logger(GrapevineLogs.MEMBERSHIP);

    private final Membership core;
    private final ProgressBoard progress;
    private final AppStates appStates;
    private final RoleActorSupport<Command> support;
    private final Map<ActorRef<?>, Consumer<MemberEvent>> memberSubscribers;
    private final Map<ActorRef<?>, Consumer<UserEvent>> eventSubscribers;
    private final ActorRef<NodeGuardian.Command> guardian;
    private final NodeContext node;
    private final TlsPeers tlsPeers;
    private final TimerScheduler<Command> timers;
    private final Counters counters = new Counters();
    private final JoinWaits joinWaits = new JoinWaits();
    private final MemberLog memberLog;
    private final ClusterGuard clusterGuard;
    private final AloneLog aloneLog;

    static Behavior<Command> create(NodeContext node, ActorRef<NodeGuardian.Command> guardian) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new MembershipActor(ctx, node, guardian, timers,
                new RoleActorSupport<>(node, guardian, timers, Tick::new, ctx.getSystem()))));
    }

    private MembershipActor(ActorContext<Command> ctx, NodeContext node, ActorRef<NodeGuardian.Command> guardian,
                            TimerScheduler<Command> timers, RoleActorSupport<Command> support) {
        super(ctx);
        this.support = support;
        this.guardian = guardian;
        this.node = node;
        this.tlsPeers = TlsPeers.get(ctx.getSystem());
        this.timers = timers;
        this.memberSubscribers = node.subscribers().members;
        this.eventSubscribers = node.subscribers().userEvents;
        this.memberLog = new MemberLog(node.settings().name());
        this.clusterGuard = new ClusterGuard(node.settings().cluster(), counters);
        this.progress = new ProgressBoard(counters);
        this.appStates = new AppStates(node.settings().name(), counters);
        this.core = new Membership(node.newLife(), node.settings().protocol(), node.settings().cluster(), new SplittableRandom(),
                node.newNameIndex(),
                counters, List.of(progress, appStates));
        Member self = core.self();
        GrapevineLogs.asNode(self.name(), () -> GrapevineLogs.logger(GrapevineLogs.NODE).info(
                "Grapevine node {} started at {}, epoch {}{}", self.name(), self.address(), self.epoch(),
                node.joinTargets().isEmpty() ? "" : "; joining " + node.joinTargets()));
        core.clockAt(support.nowMillis(), System.currentTimeMillis()); // epochs are start times: refuse far-future ones
        core.start(support.nowMillis(), support.outbox);
        core.join(node.joinTargets(), support.nowMillis(), support.outbox);
        this.aloneLog = new AloneLog(self.name(), node.joinTargets(), support.nowMillis());
        support.perform(this::publish);
        timers.startTimerWithFixedDelay(PublishMetrics.INSTANCE, NodeMetrics.PUBLISH_EVERY);
        timers.startTimerWithFixedDelay(PublishLoad.INSTANCE, Duration.ofSeconds(1), LOAD_CHECK_EVERY);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(PeerMessage.class, this::onPeer)
                .onMessage(FromSibling.class, m -> step(() -> core.onSignal(m.signal(), support.nowMillis(), support.outbox)))
                .onMessage(Tick.class, t -> step(() -> core.onTimer(t.timer(), support.nowMillis(), support.outbox)))
                .onMessage(ReplicaWanted.class, r -> step(() -> core.sendView(r.role(), support.outbox)))
                .onMessage(GetMembers.class, this::onGetMembers)
                .onMessage(SubscribeMembers.class, this::onSubscribeMembers)
                .onMessage(SubscribeUserEvents.class, s -> {
                    eventSubscribers.put(s.subscriber(), s.deliver());
                    return this;
                })
                .onMessage(Unsubscribe.class, u -> {
                    memberSubscribers.remove(u.subscriber());
                    eventSubscribers.remove(u.subscriber());
                    node.subscribers().liveViews.remove(u.subscriber());
                    node.subscribers().ownership.remove(u.subscriber());
                    node.subscribers().progress.remove(u.subscriber());
                    return this;
                })
                .onMessage(Emit.class, this::onEmit)
                .onMessage(Join.class, this::onJoin)
                .onMessage(JoinDeadline.class, d -> {
                    joinWaits.deadline(d.id());
                    return this;
                })
                .onMessage(UpdateTags.class, this::onUpdateTags)
                .onMessageEquals(PublishLoad.INSTANCE, () -> step(() -> {
                    core.publishDomains(node.advertisedDomains(), support.outbox); // a restarted membership lost them
                    DomainLoad.sum(node.domains().values())
                            .ifPresent(l -> core.publishLoad(l.keys(), l.bytes(), support.nowMillis(), support.outbox));
                }))
                .onMessageEquals(PublishDomains.INSTANCE, () -> step(() -> core.publishDomains(node.advertisedDomains(), support.outbox)))
                .onMessage(SetTags.class, t -> step(() -> core.updateTags(t.tags(), support.outbox)))
                .onMessage(PublishProgress.class, p -> step(() -> progress.publish(p.progress(), p.index(), p.members(), core.view(), support.outbox)))
                .onMessage(SubscribeProgress.class, s -> {
                    progress.all().forEach(s.deliver());
                    node.subscribers().progress.put(s.subscriber(), s.deliver());
                    return this;
                })
                .onMessage(PublishState.class, this::onPublishState)
                .onMessage(GetStates.class, g -> {
                    g.replyTo().tell(appStates.values(g.key(), core.view()));
                    return this;
                })
                .onMessage(ForceLeave.class, this::onForceLeave)
                .onMessage(Leave.class, this::onLeave)
                .onMessageEquals(SavePeers.INSTANCE, this::onSavePeers)
                .onMessageEquals(PublishMetrics.INSTANCE, () -> {
                    // The monotonic clock stops while the host sleeps or the VM is paused; the wall clock
                    // does not. Re-anchored each second, the far-future epoch rule never judges a peer's
                    // restart by a clock that fell behind.
                    core.clockAt(support.nowMillis(), System.currentTimeMillis());
                    Map<String, Long> gauges = new java.util.LinkedHashMap<>(core.gauges());
                    gauges.put("join_requests_refused", joinWaits.refused());
                    support.publishMetrics(Role.MEMBERSHIP, counters, gauges);
                    aloneLog.check(support.nowMillis(), gauges.getOrDefault("members_live", 0L), core.isLeaving());
                    return this;
                })
                .onSignal(PreRestart.class, s -> {
                    // The new life starts from an empty view; so must the replicas.
                    GrapevineLogs.asNode(core.self().name(), () -> LOG.info(
                            "membership of {} restarts as a new life of the node, under a new epoch", core.self().name()));
                    guardian.tell(NodeGuardian.ResetReplicas.INSTANCE);
                    node.peerUids().clear(); // learnt again as the new view fills
                    node.peerSystems().clear();
                    return this;
                })
                .build();
    }

    private Behavior<Command> onPeer(PeerMessage m) {
        if (Role.of(m.message()) != Role.MEMBERSHIP) {
            node.droppedInputs().misrouted().count("misrouted_messages", 1,
                    "peer messages dropped", "sent to the wrong role",
                    m.message().getClass().getSimpleName() + " from " + m.from() + " to membership");
            return this;
        }
        if (!support.admits(m, clusterGuard) || !support.heard(Role.MEMBERSHIP, m)) {
            return this;
        }
        return step(() -> core.onMessage(m.from(), m.message(), support.nowMillis(), support.outbox));
    }

    private Behavior<Command> step(Runnable action) {
        action.run();
        support.perform(this::publish);
        return this;
    }

    private void publish(Effect effect) {
        if (effect instanceof Effect.Publish p) {
            node.peerUids().viewChanged(p.event().member(), p.event().previous());
            node.peerSystems().viewChanged(p.event().member(), p.event().previous());
            tlsPeers.viewChanged(p.event().member(), p.event().previous());
            memberLog.log(p.event());
            if (node.dataDir().isPresent() && !timers.isTimerActive(SavePeers.INSTANCE)) {
                timers.startSingleTimer(SavePeers.INSTANCE, SAVE_PEERS_AFTER);
            }
            memberSubscribers.values().forEach(s -> s.accept(p.event()));
        } else if (effect instanceof Effect.Deliver d) {
            eventSubscribers.values().forEach(s -> s.accept(d.event()));
        } else if (effect instanceof Effect.ProgressHeard p) {
            node.subscribers().progress.values().forEach(s -> s.accept(p.progress()));
        } else if (effect instanceof Effect.JoinAnswered a) {
            joinWaits.answered(a.from());
        } else if (effect instanceof Effect.JoinRefused r) {
            node.droppedInputs().foreignCluster().count("join_refused_by_foreign_cluster", 1,
                    "joins refused by a node of another cluster", "that address belongs to another cluster",
                    "the node at " + r.from() + " is in cluster '" + r.cluster() + "'; this node is in '"
                            + clusterGuard.cluster().name() + "'");
            joinWaits.refused(r.from(), r.cluster());
        }
    }

    private Behavior<Command> onSavePeers() {
        List<Address> live = new ArrayList<>();
        for (Member m : core.members()) {
            if (m.status().isLive() && !m.name().equals(core.self().name())) {
                live.add(m.address());
            }
        }
        DataDir dataDir = node.dataDir().orElseThrow();
        try {
            dataDir.savePeers(live);
        } catch (java.io.UncheckedIOException e) {
            GrapevineLogs.asNode(node.settings().name(), () -> dataDir.warnFailure("could not record peers for the next start", e));
        }
        return this;
    }

    private Behavior<Command> onJoin(Join request) {
        boolean asked = core.join(request.seeds(), support.nowMillis(), support.outbox);
        if (request.replyTo() != null) {
            if (!asked) {
                request.replyTo().tell(new Joined(List.of(), request.seeds(), true));
            } else {
                long id = joinWaits.add(request.seeds(), request.replyTo());
                if (id >= 0) {
                    timers.startSingleTimer(new JoinDeadline(id), JOIN_ANSWER_WAIT);
                }
            }
        }
        support.perform(this::publish); // after the wait is registered: an answer cannot come sooner anyway
        return this;
    }

    private Behavior<Command> onUpdateTags(UpdateTags request) {
        Map<String, String> next = new java.util.TreeMap<>(core.self().tags());
        next.keySet().removeIf(k -> k.startsWith(Membership.RESERVED_TAG_PREFIX));
        next.keySet().removeAll(request.delete());
        next.putAll(request.set());
        int bytes = Member.tagsBytes(next);
        if (bytes > request.userBytesMax()) {
            request.replyTo().tell(new TagsUpdated(Map.of(), false, "the tags would take " + bytes
                    + " bytes; the limit is " + request.userBytesMax()));
            return this;
        }
        boolean persisted;
        try {
            persisted = node.recordRuntimeTags(node.runtimeTags().then(request.set(), request.delete()));
        } catch (java.io.UncheckedIOException e) {
            request.replyTo().tell(new TagsUpdated(Map.of(), false, "the tags were not changed: " + e.getMessage()));
            return this;
        }
        core.updateTags(next, support.outbox);
        support.perform(this::publish);
        request.replyTo().tell(new TagsUpdated(core.self().tags(), persisted, null));
        return this;
    }

    private Behavior<Command> onGetMembers(GetMembers request) {
        request.replyTo().tell(core.members());
        return this;
    }

    private Behavior<Command> onSubscribeMembers(SubscribeMembers request) {
        for (Member m : core.members()) {
            MemberEvent.Kind kind = switch (m.status()) {
                case ALIVE, SUSPECT -> MemberEvent.Kind.JOINED;
                case DEAD -> MemberEvent.Kind.FAILED;
                case LEFT -> MemberEvent.Kind.LEFT;
            };
            request.deliver().accept(new MemberEvent(kind, m, null, m.name()));
        }
        memberSubscribers.put(request.subscriber(), request.deliver());
        return this;
    }

    private Behavior<Command> onEmit(Emit request) {
        try {
            UserEvent event = core.emit(request.name(), request.payload(), support.outbox);
            support.perform(this::publish);
            request.replyTo().tell(new EmitResult(event, null));
        } catch (IllegalArgumentException e) {
            request.replyTo().tell(new EmitResult(null, e.getMessage()));
        }
        return this;
    }

    private Behavior<Command> onPublishState(PublishState request) {
        try {
            appStates.publish(request.key(), request.value(), core.view(), support.outbox);
        } catch (IllegalArgumentException e) {
            request.replyTo().tell(new StatePublished(e.getMessage()));
            return this;
        }
        support.perform(this::publish);
        request.replyTo().tell(new StatePublished(null));
        return this;
    }

    private Behavior<Command> onForceLeave(ForceLeave request) {
        dev.grapevine.core.node.ForceLeave decision = core.forceLeave(request.name(), support.nowMillis(), support.outbox);
        support.perform(this::publish); // its LEFT event also rewrites the peers file without the member
        LOG.info("force-leave of {}: {}", request.name(), decision.reason());
        request.replyTo().tell(decision);
        return this;
    }

    /**
     * The gossiper owns the queue, so membership cannot see the leave go out; it answers after
     * {@link #LEAVE_GOSSIP_PERIODS} gossip periods, by which time the leave went to
     * {@code fanout} members that many times (or there was nobody to tell).
     */
    private Behavior<Command> onLeave(Leave request) {
        if (core.self().status() != dev.grapevine.core.member.MemberStatus.LEFT) { // a SIGTERM after `grapevine leave` says it once
            GrapevineLogs.asNode(node.settings().name(), () -> LOG.info("{} is leaving the cluster", node.settings().name()));
        }
        core.leave(support.outbox);
        support.perform(this::publish);
        long waitMillis = LEAVE_GOSSIP_PERIODS * core.settings().gossipIntervalMillis();
        getContext().scheduleOnce(Duration.ofMillis(waitMillis), request.replyTo(), Done.getInstance());
        return this;
    }

    static final int LEAVE_GOSSIP_PERIODS = 3;
}
