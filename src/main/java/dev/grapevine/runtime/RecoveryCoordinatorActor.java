package dev.grapevine.runtime;

import dev.grapevine.spi.Recoverable;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.node.DomainsTag;
import dev.grapevine.core.recovery.EpochProgress;
import dev.grapevine.core.recovery.LiveView;
import dev.grapevine.core.recovery.Ownership;
import dev.grapevine.core.recovery.Progress;
import dev.grapevine.core.recovery.RecoveryAction;
import dev.grapevine.core.recovery.RecoveryCoordinator;
import dev.grapevine.core.recovery.RecoveryPlan;
import dev.grapevine.core.recovery.SyncTask;
import dev.grapevine.log.GrapevineLogs;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The shell of the {@link RecoveryCoordinator}: feeds it membership's events and a clock tick, and
 * carries out what it decides: tells domain actors of each new epoch, hands exchanges to the
 * {@link RepairActor}, gossips this node's {@link Progress}, remembers finished
 * epochs (in the data dir too), and hands off then drops partitions no longer owned once the epoch is
 * complete everywhere. After a restart it rebuilds from membership's view and the last finished
 * epoch, and redoes the current epoch's exchanges (cheap where replicas agree: one root hash each).
 *
 * <p>One core coordinator per domain registered here: a domain's partitions are owned by the live
 * members that advertise it ({@link DomainsTag}), so each has its own epochs, exchanges and hand-offs.
 * A node that runs no domain has none: it owns nothing and is never an exchange partner.
 */
final class RecoveryCoordinatorActor extends AbstractBehavior<RecoveryCoordinatorActor.Command> {

    public interface Command {
    }

    /** Sends {@code subscriber} the current live view, then every new version. */
    public record SubscribeLiveView(ActorRef<?> subscriber, Consumer<LiveView.Snapshot> deliver) implements Command {
    }

    /** Sends {@code subscriber} the current epoch of {@code domain} (null: of each domain) if one settled, then every new one. */
    public record SubscribeOwnership(ActorRef<?> subscriber, String domain, Consumer<Epoch> deliver) implements Command {
        public SubscribeOwnership(ActorRef<?> subscriber, Consumer<Epoch> deliver) {
            this(subscriber, null, deliver);
        }
    }

    /** The status of {@code domain}'s recovery; a null domain: of the first domain (by name) run here. */
    public record GetStatus(String domain, ActorRef<RecoveryCoordinator.Status> replyTo) implements Command {
        public GetStatus(ActorRef<RecoveryCoordinator.Status> replyTo) {
            this(null, replyTo);
        }
    }

    /** A domain said it can or cannot hold its data (see {@link UnavailableDomains}); the reason is there. */
    public record AvailabilityChanged(String domain) implements Command {
    }

    /** Runs a round of anti-entropy now, as an operator asks after an incident. */
    public enum RepairNow implements Command { INSTANCE }

    /** One recovery epoch as domain actors need it: the ownership, endpoints by name, and this node's share. */
    public record Epoch(String epoch, Ownership ownership, Map<String, String> addresses, Set<Integer> owned,
                        RecoveryPlan.Task task, String domain) {
    }

    private record MemberChanged(MemberEvent event) implements Command {
    }

    private record ProgressHeard(EpochProgress progress) implements Command {
    }

    private enum Tick implements Command { INSTANCE }

    private record ExchangeFinished(RepairActor.ExchangeDone done) implements Command {
    }

    static final Duration TICK = Duration.ofMillis(200);
    private static final Logger LOG = GrapevineLogs.logger(GrapevineLogs.RECOVERY);
    /** Members named in an epoch's line; beyond, only their number. */
    static final int MEMBERS_NAMED_MAX = 10;

    private final NodeContext node;
    private final ActorRef<NodeGuardian.Command> guardian;
    private final ActorRef<RepairActor.Command> repair;
    private final ActorRef<RepairActor.ExchangeDone> exchangeDone;
    /** By domain registered here, in name order. */
    private final Map<String, Domain> domains = new TreeMap<>();
    /** Every member as membership last told it (the reaped forgotten): what a domain registered later starts from. */
    private final Map<String, Member> members = new HashMap<>();
    private final Map<String, Boolean> memberLive = new HashMap<>();
    private final LiveView view = new LiveView();
    private final Map<ActorRef<?>, Consumer<LiveView.Snapshot>> liveViewSubscribers;
    private final Map<ActorRef<?>, Consumer<Epoch>> ownershipSubscribers;
    private final Map<String, Address> addresses = new HashMap<>();
    private final Map<Long, Running> running = new HashMap<>();
    /** Hand-off exchanges in flight, to the domain whose hand-off they serve. */
    private final Map<Long, Domain> handOffExchanges = new HashMap<>();
    private final TimerScheduler<Command> timers;
    /** Whether the {@link #TICK} timer runs; off while every core is quiet, when one timer waits for the routine round. */
    private boolean ticking;
    /** Random start: a restarted coordinator must not take a late answer meant for its previous life. */
    private long nextExchange = java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;

    /** An exchange of one domain's epoch work in flight. */
    private record Running(Domain domain, SyncTask task) {
    }

    /** One domain's recovery here: its core, its current epoch, and its hand-offs. */
    private static final class Domain {
        final String name;
        final RecoveryCoordinator core;
        final ArrayDeque<Map.Entry<Integer, List<String>>> handOffs = new ArrayDeque<>();
        HandOff handOff;
        Epoch current;
        /** When this node started {@link #current}, on its monotonic clock: how long recovery took. */
        long currentStartedMillis;
        /** Partitions handed off and dropped here since the epoch completed, for one line when done. */
        int handedOff;

        Domain(String name, RecoveryCoordinator core) {
            this.name = name;
            this.core = core;
        }
    }

    /**
     * One partition being handed to its owners before it is dropped here: what the domain held when
     * the hand-off began, which is what the exchanges deliver and what may then be dropped.
     */
    private static final class HandOff {
        final String epoch;
        final int partition;
        final Map<String, Long> delivered;
        int remaining;
        boolean failed;

        HandOff(String epoch, int partition, int exchanges, Map<String, Long> delivered) {
            this.epoch = epoch;
            this.partition = partition;
            this.remaining = exchanges;
            this.delivered = delivered;
        }
    }

    static Behavior<Command> create(NodeContext node, ActorRef<NodeGuardian.Command> guardian,
                                    ActorRef<RepairActor.Command> repair) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new RecoveryCoordinatorActor(ctx, node, guardian, repair, timers)));
    }

    private RecoveryCoordinatorActor(ActorContext<Command> ctx, NodeContext node, ActorRef<NodeGuardian.Command> guardian,
                                     ActorRef<RepairActor.Command> repair, TimerScheduler<Command> timers) {
        super(ctx);
        this.node = node;
        this.guardian = guardian;
        this.repair = repair;
        this.liveViewSubscribers = node.subscribers().liveViews;
        this.ownershipSubscribers = node.subscribers().ownership;
        this.exchangeDone = ctx.messageAdapter(RepairActor.ExchangeDone.class, ExchangeFinished::new);
        ActorRef<Command> self = ctx.getSelf();
        guardian.tell(new NodeGuardian.ToMembership(new MembershipActor.SubscribeMembers(self, e -> self.tell(new MemberChanged(e)))));
        guardian.tell(new NodeGuardian.ToMembership(new MembershipActor.SubscribeProgress(self, p -> self.tell(new ProgressHeard(p)))));
        this.timers = timers;
        wake();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(MemberChanged.class, m -> {
                    wake();
                    return onMemberChanged(m);
                })
                .onMessage(ProgressHeard.class, p -> {
                    wake();
                    domains.values().forEach(d -> d.core.onProgress(p.progress()));
                    return this;
                })
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessage(ExchangeFinished.class, f -> {
                    wake();
                    return onExchangeFinished(f);
                })
                .onMessage(SubscribeLiveView.class, s -> {
                    s.deliver().accept(view.snapshot());
                    liveViewSubscribers.put(s.subscriber(), s.deliver());
                    return this;
                })
                .onMessage(SubscribeOwnership.class, s -> {
                    Consumer<Epoch> deliver = e -> {
                        if (s.domain() == null || s.domain().equals(e.domain())) {
                            s.deliver().accept(e);
                        }
                    };
                    addDomains();
                    domains.values().forEach(d -> {
                        if (d.current != null) {
                            deliver.accept(d.current);
                        }
                    });
                    ownershipSubscribers.put(s.subscriber(), deliver);
                    return this;
                })
                .onMessageEquals(RepairNow.INSTANCE, () -> {
                    wake();
                    domains.values().forEach(d -> d.core.repairNow(nowMillis()));
                    return this;
                })
                .onMessage(AvailabilityChanged.class, a -> {
                    addDomains();
                    Domain d = domains.get(a.domain());
                    if (d != null) {
                        wake();
                        availability(d);
                    }
                    return this;
                })
                .onMessage(GetStatus.class, g -> {
                    addDomains();
                    g.replyTo().tell(statusOf(g.domain()));
                    return this;
                })
                .build();
    }

    /**
     * Ticks only while the core has work. An idle node's epoch is complete everywhere, and ticking
     * it five times a second changed nothing but cost a wake-up of the node each time (five of the
     * seventeen timer wake-ups a second of an idle agent of five). Once quiet, one timer waits for the
     * routine round of anti-entropy, and any input starts the ticks again (the first within one
     * {@link #TICK}, as before).
     */
    private Behavior<Command> onTick() {
        addDomains();
        boolean quiet = true;
        long nextRoutineMillis = Long.MAX_VALUE;
        for (Domain d : domains.values()) {
            perform(d, d.core.onTick(nowMillis(), () -> held(d)));
            quiet &= d.core.quiet();
            nextRoutineMillis = Math.min(nextRoutineMillis, d.core.nextRoutineMillis());
        }
        if (quiet && nextRoutineMillis == Long.MAX_VALUE) {
            ticking = false; // no domain runs here: nothing to tick for until an input (a member's change) comes
            timers.cancel(Tick.INSTANCE);
        } else if (quiet) {
            ticking = false;
            long untilRoutineMillis = Math.max(0, nextRoutineMillis - nowMillis());
            timers.startSingleTimer(Tick.INSTANCE, Duration.ofMillis(untilRoutineMillis)); // replaces the periodic one
        } else if (!ticking) {
            wake();
        }
        return this;
    }

    private void wake() {
        if (!ticking) {
            ticking = true;
            timers.startTimerWithFixedDelay(Tick.INSTANCE, TICK);
        }
    }

    private void log(Runnable write) {
        GrapevineLogs.asNode(node.settings().name(), write);
    }

    private long nowMillis() {
        return (System.nanoTime() - node.originNanos()) / 1_000_000;
    }

    /** Partitions the domain holds data for; a domain that fails to say is logged and taken as none. */
    private Set<Integer> held(Domain d) {
        Recoverable r = node.domains().get(d.name);
        try {
            return r == null ? Set.of() : new TreeSet<>(r.partitions());
        } catch (RuntimeException e) {
            log(() -> LOG.error("domain {} could not list its partitions: {}", d.name, e.toString()));
            return Set.of();
        }
    }

    /** Starts recovering the domains registered here since the last look: each from every member known. */
    private void addDomains() {
        for (String name : node.domains().keySet()) {
            if (!domains.containsKey(name)) {
                Domain d = new Domain(name, new RecoveryCoordinator(node.settings().name(), name,
                        node.settings().recovery().core(), node.lastRecoveryEpoch()));
                members.forEach((n, m) -> d.core.onMember(n, m.epoch(), memberLive.get(n), DomainsTag.parse(m.tags()), nowMillis()));
                domains.put(name, d);
                availability(d); // a restarted coordinator: the domain may have said so before
                wake();
            }
        }
    }

    /** Tells the domain's core whether its data can be held here, as the domain last said. */
    private void availability(Domain d) {
        String reason = node.unavailableDomains().reason(d.name);
        if (reason != null) {
            d.core.onUnavailable(reason);
            log(() -> LOG.warn("domain {} cannot hold its data here: {}; its partitions count as pending until it can", d.name, reason));
        } else if (d.core.unavailable() != null) {
            int resyncs = d.core.onAvailable(nowMillis());
            log(() -> LOG.info("domain {} holds its data again: {} exchanges with co-owners repair what it missed", d.name, resyncs));
        }
    }

    /**
     * A domain's status; for a null domain, that of the first run here. A domain not run here has no
     * epoch; a node that runs none has nothing to recover (complete, with no domain named).
     */
    private RecoveryCoordinator.Status statusOf(String domain) {
        Domain d = domain == null ? domains.values().stream().findFirst().orElse(null) : domains.get(domain);
        if (d != null) {
            return d.core.status();
        }
        return new RecoveryCoordinator.Status(null, 0, domain == null, 0, Map.of(), null, 0, 0, 0, 0, 0, 0, null, domain);
    }

    private Behavior<Command> onMemberChanged(MemberChanged m) {
        Member member = m.event().member();
        boolean live = m.event().kind() != MemberEvent.Kind.REAPED && member.status().isLive();
        addresses.put(member.name(), member.address());
        if (m.event().kind() == MemberEvent.Kind.REAPED) {
            members.remove(member.name());
            memberLive.remove(member.name());
        } else {
            members.put(member.name(), member);
            memberLive.put(member.name(), live);
        }
        addDomains();
        Set<String> runs = DomainsTag.parse(member.tags());
        domains.values().forEach(d -> d.core.onMember(member.name(), member.epoch(), live, runs, nowMillis()));
        LiveView.Snapshot next = view.apply(m.event());
        if (next != null) {
            liveViewSubscribers.values().forEach(s -> s.accept(next));
        }
        return this;
    }

    private Behavior<Command> perform(Domain d, List<RecoveryAction> actions) {
        for (RecoveryAction a : actions) {
            if (a instanceof RecoveryAction.StartSync s) {
                Address peer = addresses.get(s.task().peer());
                long id = nextExchange++;
                running.put(id, new Running(d, s.task()));
                if (peer == null) {
                    getContext().getSelf().tell(new ExchangeFinished(new RepairActor.ExchangeDone(id, false, "no address for " + s.task().peer())));
                } else {
                    repair.tell(new RepairActor.Exchange(id, d.name, s.task().partition(), peer, exchangeDone));
                }
            } else if (a instanceof RecoveryAction.EpochStarted e) {
                onEpochStarted(d, e);
            } else if (a instanceof RecoveryAction.PublishProgress p) {
                guardian.tell(new NodeGuardian.ToMembership(new MembershipActor.PublishProgress(p.progress(), p.index(), p.members())));
            } else if (a instanceof RecoveryAction.SaveEpoch s) {
                node.recordRecoveryEpoch(s.lives());
            } else if (a instanceof RecoveryAction.CompleteEverywhere c) {
                long tookMillis = nowMillis() - d.currentStartedMillis;
                boolean timed = d.current != null && d.current.epoch().equals(c.epoch());
                log(() -> LOG.info("recovery epoch {} of {} is complete everywhere: all {} live members{}", c.epoch(), d.name,
                        c.ownership().members().size(), timed ? " in " + tookMillis + " ms since it started here" : ""));
                planHandOffs(d);
            }
        }
        return this;
    }

    private void onEpochStarted(Domain d, RecoveryAction.EpochStarted e) {
        Map<String, String> endpoints = new TreeMap<>();
        for (String m : e.ownership().members()) {
            Address a = addresses.get(m);
            if (a != null) {
                endpoints.put(m, a.toString());
            }
        }
        Epoch current = new Epoch(e.epoch(), e.ownership(), endpoints, e.owned(), e.task(), d.name);
        d.current = current;
        d.currentStartedMillis = nowMillis();
        List<String> runners = e.ownership().members();
        String named = runners.size() <= MEMBERS_NAMED_MAX ? " " + runners : "";
        log(() -> LOG.info("recovery epoch {} of {} started: {} live members{}; this node owns {} partitions, gained {}, lost {}",
                e.epoch(), d.name, runners.size(), named, e.owned().size(), e.task().gained().size(), e.task().lost().size()));
        ownershipSubscribers.values().forEach(s -> s.accept(current));
        d.handOffs.clear();
    }

    private Behavior<Command> onExchangeFinished(ExchangeFinished f) {
        RepairActor.ExchangeDone done = f.done();
        Running r = running.remove(done.id());
        if (r != null) {
            SyncTask task = r.task();
            if (!done.ok()) {
                node.droppedInputs().repair().count("repair_exchanges_failed", 1, "repair exchanges failed", "each is retried",
                        r.domain().name + " partition " + task.partition() + " with " + task.peer() + ": " + done.error());
            }
            return perform(r.domain(), r.domain().core.onSyncFinished(task, done.ok(), nowMillis()));
        }
        Domain d = handOffExchanges.remove(done.id());
        if (d != null && d.handOff != null) {
            d.handOff.failed |= !done.ok();
            if (--d.handOff.remaining == 0) {
                finishHandOff(d);
            }
        }
        return this;
    }

    // ---------------------------------------------------------------- hand-offs

    private void planHandOffs(Domain d) {
        d.handOffs.clear();
        d.handOffs.addAll(d.core.handOffs(held(d)).entrySet());
        if (d.handOff == null) {
            nextHandOff(d);
        }
    }

    /** One partition at a time: exchange it with each owner, then drop it if all succeeded in the same epoch. */
    private void nextHandOff(Domain d) {
        d.handOff = null;
        Map.Entry<Integer, List<String>> next = d.handOffs.pollFirst();
        Recoverable r = node.domains().get(d.name);
        if (next == null || d.current == null || r == null) {
            if (d.handedOff > 0) {
                int n = d.handedOff;
                log(() -> LOG.info("{} partitions of {} no longer owned here were handed to their owners and dropped", n, d.name));
                d.handedOff = 0;
            }
            return;
        }
        List<String> owners = next.getValue();
        Map<String, Long> delivered;
        try {
            delivered = r.digests(next.getKey());
        } catch (RuntimeException e) {
            log(() -> LOG.error("hand-off of {} partition {} skipped: {}", d.name, next.getKey(), e.toString()));
            nextHandOff(d);
            return;
        }
        d.handOff = new HandOff(d.current.epoch(), next.getKey(), owners.size(), delivered);
        for (String owner : owners) {
            Address peer = addresses.get(owner);
            long id = nextExchange++;
            handOffExchanges.put(id, d);
            if (peer == null) {
                getContext().getSelf().tell(new ExchangeFinished(new RepairActor.ExchangeDone(id, false, "no address for " + owner)));
            } else {
                repair.tell(new RepairActor.Exchange(id, d.name, next.getKey(), peer, exchangeDone));
            }
        }
        if (owners.isEmpty()) {
            finishHandOff(d);
        }
    }

    private void finishHandOff(Domain d) {
        HandOff h = d.handOff;
        boolean stillSafe = d.current != null && h.epoch.equals(d.current.epoch()) && d.core.completeEverywhere()
                && d.core.handOffs(Set.of(h.partition)).containsKey(h.partition);
        if (!h.failed && stillSafe) {
            d.handedOff++;
            LOG.debug("{} partition {} handed to its owners; dropped here", d.name, h.partition);
            try {
                node.domains().get(d.name).drop(h.partition, h.delivered);
            } catch (RuntimeException e) {
                log(() -> LOG.error("domain {} could not drop partition {}: {}", d.name, h.partition, e.toString()));
            }
        }
        nextHandOff(d);
    }
}
