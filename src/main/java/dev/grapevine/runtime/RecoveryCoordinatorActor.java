package dev.grapevine.runtime;

import dev.grapevine.spi.Recoverable;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.node.DomainsTag;
import dev.grapevine.core.recovery.EpochProgress;
import dev.grapevine.core.recovery.HandOffEffect;
import dev.grapevine.core.recovery.HandOffPlanner;
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

    /**
     * Begins this node's leave (once; a second ask waits for the same end): it stops advertising its
     * domains, hands everything it holds to the owners without it, and replies once it may go, or
     * after {@code grapevine.recovery.decommission-timeout} whatever remains (counted, logged at WARN).
     *
     * @param timeoutMax a shorter bound than the configured one (a shutdown's phase); null: none
     */
    public record Decommission(Duration timeoutMax, ActorRef<Decommissioned> replyTo) implements Command {
    }

    /** The end of a decommission: whether everything held was handed off, and what remained if not. */
    public record Decommissioned(boolean handedOff, String detail) {
    }

    private enum DecommissionTimedOut implements Command { INSTANCE }

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
    /**
     * Partitions of a domain in hand-off at once, each with an exchange per owner: one, as before,
     * so a hand-off's exchanges never crowd out the epoch's own (max-concurrent-syncs).
     */
    static final int HAND_OFFS_AT_ONCE = 1;

    private final NodeContext node;
    private final ActorRef<NodeGuardian.Command> guardian;
    private final ActorRef<RepairActor.Command> repair;
    private final ActorRef<RepairActor.ExchangeDone> exchangeDone;
    /** By domain registered here, in name order. */
    private final Map<String, Domain> domains = new TreeMap<>();
    /** Every member as membership last told it (the reaped forgotten): what a domain registered later starts from. */
    private final Map<String, Member> members = new HashMap<>();
    private final LiveView view = new LiveView();
    private final Map<ActorRef<?>, Consumer<LiveView.Snapshot>> liveViewSubscribers;
    private final Map<ActorRef<?>, Consumer<Epoch>> ownershipSubscribers;
    private final Map<String, Address> addresses = new HashMap<>();
    private final Map<Long, Running> running = new HashMap<>();
    /** Hand-off exchanges in flight, to the domain, partition and owner whose hand-off they serve. */
    private final Map<Long, HandOffExchange> handOffExchanges = new HashMap<>();
    /** Who waits for the decommission's end; non-null once it began, emptied when it ended. */
    private List<ActorRef<Decommissioned>> decommissionWaiters;
    private boolean decommissionEnded;
    private final HandOffFigures figures = new HandOffFigures();
    private final TimerScheduler<Command> timers;
    /** Whether the {@link #TICK} timer runs; off while every core is quiet, when one timer waits for the routine round. */
    private boolean ticking;
    /** Random start: a restarted coordinator must not take a late answer meant for its previous life. */
    private long nextExchange = java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;

    private record HandOffExchange(Domain domain, int partition, String owner) {
    }

    /** An exchange of one domain's epoch work in flight. */
    private record Running(Domain domain, SyncTask task) {
    }

    /** One domain's recovery here: its core, its current epoch, and its hand-offs. */
    private static final class Domain {
        final String name;
        final RecoveryCoordinator core;
        /** Decides what is handed off and dropped; this actor only carries it out. */
        final HandOffPlanner handOffs;
        Epoch current;
        /** When this node started {@link #current}, on its monotonic clock: how long recovery took. */
        long currentStartedMillis;
        /** The repair proof last told to the domain ({@link Recoverable#repairedEverywhere}). */
        long toldRepairedSince = Recoverable.NOT_REPAIRED;

        Domain(String name, RecoveryCoordinator core, String self) {
            this.name = name;
            this.core = core;
            this.handOffs = new HandOffPlanner(self, new HandOffPlanner.Settings(HAND_OFFS_AT_ONCE));
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
        publishFigures(); // at 0 from the start: a metric that appears only once something happened cannot be alerted on
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
                    domains.values().forEach(d -> {
                        d.core.onProgress(p.progress());
                        tellRepaired(d);
                    });
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
                .onMessage(Decommission.class, this::onDecommission)
                .onMessageEquals(DecommissionTimedOut.INSTANCE, this::onDecommissionTimedOut)
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
        decommissionStep();
        for (Domain d : domains.values()) {
            d.core.onWallClock(nowMillis(), System.currentTimeMillis());
            perform(d, d.core.onTick(nowMillis(), () -> held(d)));
            tellRepaired(d);
            quiet &= d.core.quiet();
            nextRoutineMillis = Math.min(nextRoutineMillis, d.core.nextRoutineMillis());
        }
        if (decommissionWaiters != null && !decommissionEnded) {
            wake(); // a leave in progress steps on every tick
        } else if (quiet && nextRoutineMillis == Long.MAX_VALUE) {
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
                        node.settings().recovery().core(), node.lastRecoveryEpoch()), node.settings().name());
                members.forEach((n, m) -> d.core.onMember(n, m.epoch(), m.status(), DomainsTag.parse(m.tags()), nowMillis()));
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
        return new RecoveryCoordinator.Status(null, 0, domain == null, 0, Map.of(), null, 0, 0, 0, 0, 0, 0, null, domain,
                new java.util.TreeMap<>());
    }

    private Behavior<Command> onMemberChanged(MemberChanged m) {
        Member member = m.event().member();
        // A reaped member is gone whatever its last status; a suspect one holds back the next epoch.
        MemberStatus status = m.event().kind() == MemberEvent.Kind.REAPED ? MemberStatus.DEAD : member.status();
        addresses.put(member.name(), member.address());
        if (m.event().kind() == MemberEvent.Kind.REAPED) {
            members.remove(member.name());
        } else {
            members.put(member.name(), member);
        }
        addDomains();
        Set<String> runs = DomainsTag.parse(member.tags());
        domains.values().forEach(d -> {
            d.core.onMember(member.name(), member.epoch(), status, runs, nowMillis());
            tellRepaired(d); // withdrawn at once when the live members change, before any exchange with a newcomer
        });
        LiveView.Snapshot next = view.apply(m.event());
        if (next != null) {
            liveViewSubscribers.values().forEach(s -> s.accept(next));
        }
        return this;
    }

    /**
     * Tells the domain the core's repair proof when it changed (tombstone GC waits for it). The
     * decision is the core's ({@link RecoveryCoordinator#repairedEverywhereSince()}); this only
     * carries it.
     */
    private void tellRepaired(Domain d) {
        long since = d.core.repairedEverywhereSince();
        Recoverable r = node.domains().get(d.name);
        if (since == d.toldRepairedSince || r == null) {
            return;
        }
        d.toldRepairedSince = since;
        try {
            r.repairedEverywhere(since);
        } catch (RuntimeException e) {
            log(() -> LOG.error("domain {} could not take its repair proof: {}", d.name, e.toString()));
        }
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
                if (decommissionWaiters == null) {
                    execute(d, d.handOffs.plan(HandOffPlanner.View.of(d.core), held(d)));
                }
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
        if (decommissionWaiters == null) {
            execute(d, d.handOffs.plan(HandOffPlanner.View.of(d.core), Set.of())); // not complete: what waited leaves the plan
        }
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
        HandOffExchange x = handOffExchanges.remove(done.id());
        if (x != null) {
            if (!done.ok()) {
                node.droppedInputs().repair().count("repair_exchanges_failed", 1, "repair exchanges failed", "each is retried",
                        x.domain().name + " partition " + x.partition() + " handed to " + x.owner() + ": " + done.error());
            }
            execute(x.domain(), x.domain().handOffs.onExchangeDone(x.partition(), x.owner(), done.ok(), handOffView(x.domain())));
        }
        return this;
    }

    // ---------------------------------------------------------------- hand-offs

    /** What a hand-off is judged against: the epoch's view, or while leaving, the others' view without this node. */
    private HandOffPlanner.View handOffView(Domain d) {
        return decommissionWaiters != null ? d.core.leavingView() : HandOffPlanner.View.of(d.core);
    }

    /** Carries out what a domain's {@link HandOffPlanner} decided; answers go back to it. */
    private void execute(Domain d, List<HandOffEffect> effects) {
        for (HandOffEffect e : effects) {
            if (e instanceof HandOffEffect.ReadDigests r) {
                Recoverable domain = node.domains().get(d.name);
                Map<String, Long> digests;
                try {
                    digests = domain == null ? null : domain.digests(r.partition());
                } catch (RuntimeException error) {
                    log(() -> LOG.error("hand-off of {} partition {} skipped: {}", d.name, r.partition(), error.toString()));
                    execute(d, d.handOffs.onDigestsFailed(r.partition(), error.toString()));
                    continue;
                }
                execute(d, digests == null ? d.handOffs.onDigestsFailed(r.partition(), "domain not registered")
                        : d.handOffs.onDigests(r.partition(), digests));
            } else if (e instanceof HandOffEffect.StartExchange x) {
                Address peer = addresses.get(x.owner());
                long id = nextExchange++;
                handOffExchanges.put(id, new HandOffExchange(d, x.partition(), x.owner()));
                if (peer == null) {
                    getContext().getSelf().tell(new ExchangeFinished(new RepairActor.ExchangeDone(id, false, "no address for " + x.owner())));
                } else {
                    repair.tell(new RepairActor.Exchange(id, d.name, x.partition(), peer, exchangeDone));
                }
            } else if (e instanceof HandOffEffect.Drop drop) {
                figures.dropped++;
                LOG.debug("{} partition {} handed to its owners; dropped here", d.name, drop.partition());
                try {
                    node.domains().get(d.name).drop(drop.partition(), drop.delivered());
                } catch (RuntimeException error) {
                    log(() -> LOG.error("domain {} could not drop partition {}: {}", d.name, drop.partition(), error.toString()));
                }
            } else if (e instanceof HandOffEffect.Kept k) {
                figures.kept++;
                LOG.debug("{} partition {} kept here after its hand-off ({}): {}", d.name, k.partition(), k.reason(), k.detail());
            } else if (e instanceof HandOffEffect.RoundDone done) {
                log(() -> LOG.info("{} partitions of {} no longer owned here were handed to their owners and dropped{}", done.dropped(),
                        d.name, done.kept() == 0 ? "" : "; " + done.kept() + " kept for the next round (see DEBUG)"));
            } else if (e instanceof HandOffEffect.Fold f) {
                int moved;
                try {
                    Recoverable domain = node.domains().get(d.name);
                    moved = domain == null ? 0 : domain.prepareToLeave();
                } catch (RuntimeException error) {
                    log(() -> LOG.error("domain {} could not prepare to leave: {}", d.name, error.toString()));
                    moved = 1; // not known to be empty: fold again before the node may go
                }
                if (moved > 0) {
                    int n = moved;
                    log(() -> LOG.info("leaving: {} entries kept outside the partitions of {} moved into them, to hand off", n, d.name));
                }
                execute(d, d.handOffs.onFolded(moved));
            } else if (e instanceof HandOffEffect.Decommissioned done) {
                log(() -> LOG.info("leaving: {} {}", d.name, done.handedOff()
                        ? "handed every partition to its owners" : "has no one to hand its data to (" + done.detail() + "); it stays on this node's disk"));
            }
        }
        publishFigures();
    }

    // ---------------------------------------------------------------- decommission

    private Behavior<Command> onDecommission(Decommission request) {
        Duration timeout = node.settings().recovery().decommissionTimeout();
        if (request.timeoutMax() != null && request.timeoutMax().compareTo(timeout) < 0) {
            timeout = request.timeoutMax();
        }
        if (decommissionWaiters == null && timeout.isZero()) {
            request.replyTo().tell(new Decommissioned(false, "decommission-timeout is 0: nothing handed off"));
            return this; // the leave goes at once, as a node that keeps no data would
        }
        if (decommissionWaiters == null) {
            Duration bound = timeout;
            decommissionWaiters = new java.util.ArrayList<>();
            node.startDecommission();
            node.domains().replaceAll((name, domain) -> LeavingRecoverable.wrap(domain)); // hand-offs push only
            guardian.tell(new NodeGuardian.ToMembership(MembershipActor.PublishDomains.INSTANCE)); // now: none
            addDomains();
            log(() -> LOG.info("leaving: handing {} to the owners without this node, for at most {} ms",
                    domains.isEmpty() ? "nothing" : domains.keySet(), bound.toMillis()));
            timers.startSingleTimer(DecommissionTimedOut.INSTANCE, DecommissionTimedOut.INSTANCE, bound);
            wake();
        }
        if (decommissionEnded) {
            request.replyTo().tell(new Decommissioned(true, "already handed off"));
        } else {
            decommissionWaiters.add(request.replyTo());
            decommissionStep();
        }
        return this;
    }

    /** One step of each domain's decommission; ends it when every domain may go. */
    private void decommissionStep() {
        if (decommissionWaiters == null || decommissionEnded) {
            return;
        }
        boolean all = true;
        for (Domain d : domains.values()) {
            if (!d.handOffs.decommissioned()) {
                HandOffPlanner.View remaining = d.core.leavingView();
                publishLeavingOwnership(d, remaining);
                execute(d, d.handOffs.decommission(remaining, held(d)));
            }
            all &= d.handOffs.decommissioned();
        }
        if (all) {
            endDecommission(true, "every domain handed off");
        }
    }

    /**
     * Tells this node's own subscribers (its KV coordinator among them) the ownership without it, so
     * writes through this node go to the owners that stay, not to itself.
     */
    private void publishLeavingOwnership(Domain d, HandOffPlanner.View remaining) {
        if (d.current != null && remaining.epoch().equals(d.current.epoch())) {
            return;
        }
        Map<String, String> endpoints = new TreeMap<>();
        for (String m : remaining.ownership().members()) {
            Address a = addresses.get(m);
            if (a != null) {
                endpoints.put(m, a.toString());
            }
        }
        Epoch leaving = new Epoch(remaining.epoch(), remaining.ownership(), endpoints, Set.of(),
                new RecoveryPlan.Task(Map.of(), List.copyOf(d.core.ownership() == null ? List.of() : d.core.ownership().partitionsOf(node.settings().name()))),
                d.name);
        d.current = leaving;
        ownershipSubscribers.values().forEach(s -> s.accept(leaving));
    }

    private Behavior<Command> onDecommissionTimedOut() {
        if (decommissionWaiters == null || decommissionEnded) {
            return this;
        }
        StringBuilder left = new StringBuilder();
        for (Domain d : domains.values()) {
            if (!d.handOffs.decommissioned()) {
                left.append(left.length() == 0 ? "" : "; ").append(d.name).append(": ").append(held(d).size()).append(" partitions still held");
            }
        }
        figures.decommissionTimeouts++;
        String detail = left.toString();
        log(() -> LOG.warn("leaving: the hand-off did not finish within the decommission timeout ({}); the node leaves anyway, "
                + "and anti-entropy among the others repairs from their copies", detail));
        endDecommission(false, detail);
        return this;
    }

    private void endDecommission(boolean handedOff, String detail) {
        decommissionEnded = true;
        timers.cancel(DecommissionTimedOut.INSTANCE);
        if (handedOff) {
            figures.decommissionsHandedOff++;
        }
        publishFigures();
        decommissionWaiters.forEach(w -> w.tell(new Decommissioned(handedOff, detail)));
        decommissionWaiters.clear();
    }

    private void publishFigures() {
        node.metrics().publish(HandOffFigures.SOURCE, figures.asMap());
    }
}
