package dev.grapevine.runtime;

import dev.grapevine.spi.Recoverable;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
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
 */
final class RecoveryCoordinatorActor extends AbstractBehavior<RecoveryCoordinatorActor.Command> {

    public interface Command {
    }

    /** Sends {@code subscriber} the current live view, then every new version. */
    public record SubscribeLiveView(ActorRef<?> subscriber, Consumer<LiveView.Snapshot> deliver) implements Command {
    }

    /** Sends {@code subscriber} the current epoch (if one settled), then every new one. */
    public record SubscribeOwnership(ActorRef<?> subscriber, Consumer<Epoch> deliver) implements Command {
    }

    public record GetStatus(ActorRef<RecoveryCoordinator.Status> replyTo) implements Command {
    }

    /** Runs a round of anti-entropy now, as an operator asks after an incident. */
    public enum RepairNow implements Command { INSTANCE }

    /** One recovery epoch as domain actors need it: the ownership, endpoints by name, and this node's share. */
    public record Epoch(String epoch, Ownership ownership, Map<String, String> addresses, Set<Integer> owned,
                        RecoveryPlan.Task task) {
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
    private final RecoveryCoordinator core;
    private final LiveView view = new LiveView();
    private final Map<ActorRef<?>, Consumer<LiveView.Snapshot>> liveViewSubscribers;
    private final Map<ActorRef<?>, Consumer<Epoch>> ownershipSubscribers;
    private final Map<String, Address> addresses = new HashMap<>();
    private final Map<Long, SyncTask> running = new HashMap<>();
    private final ArrayDeque<Map.Entry<Integer, List<String>>> handOffs = new ArrayDeque<>();
    private final Set<Long> handOffExchanges = new java.util.HashSet<>();
    private final TimerScheduler<Command> timers;
    /** Whether the {@link #TICK} timer runs; off while the core is quiet, when one timer waits for the routine round. */
    private boolean ticking;
    private HandOff handOff;
    private Epoch current;
    /** When this node started {@link #current}, on its monotonic clock: how long recovery took. */
    private long currentStartedMillis;
    /** Partitions handed off and dropped here since the epoch completed, for one line when done. */
    private int handedOff;
    /** Random start: a restarted coordinator must not take a late answer meant for its previous life. */
    private long nextExchange = java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;

    /**
     * One partition being handed to its owners before it is dropped here: what each domain held when
     * the hand-off began, which is what the exchanges deliver and what may then be dropped.
     */
    private static final class HandOff {
        final String epoch;
        final int partition;
        final Map<String, Map<String, Long>> delivered;
        int remaining;
        boolean failed;

        HandOff(String epoch, int partition, int exchanges, Map<String, Map<String, Long>> delivered) {
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
        this.core = new RecoveryCoordinator(node.settings().name(), node.settings().recovery().core(), node.lastRecoveryEpoch());
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
                    core.onProgress(p.progress());
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
                    if (current != null) {
                        s.deliver().accept(current);
                    }
                    ownershipSubscribers.put(s.subscriber(), s.deliver());
                    return this;
                })
                .onMessageEquals(RepairNow.INSTANCE, () -> {
                    wake();
                    core.repairNow(nowMillis());
                    return this;
                })
                .onMessage(GetStatus.class, g -> {
                    g.replyTo().tell(core.status());
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
        perform(core.onTick(nowMillis(), this::held));
        if (core.quiet()) {
            ticking = false;
            long untilRoutineMillis = Math.max(0, core.nextRoutineMillis() - nowMillis());
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

    /** Partitions the registered domains hold data for; a domain that fails to say is logged and skipped. */
    private Set<Integer> held() {
        Set<Integer> held = new TreeSet<>();
        node.domains().forEach((name, r) -> {
            try {
                held.addAll(r.partitions());
            } catch (RuntimeException e) {
                log(() -> LOG.error("domain {} could not list its partitions: {}", name, e.toString()));
            }
        });
        return held;
    }

    private Behavior<Command> onMemberChanged(MemberChanged m) {
        Member member = m.event().member();
        boolean live = m.event().kind() != MemberEvent.Kind.REAPED && member.status().isLive();
        addresses.put(member.name(), member.address());
        core.onMember(member.name(), member.epoch(), live, nowMillis());
        LiveView.Snapshot next = view.apply(m.event());
        if (next != null) {
            liveViewSubscribers.values().forEach(s -> s.accept(next));
        }
        return this;
    }

    private Behavior<Command> perform(List<RecoveryAction> actions) {
        for (RecoveryAction a : actions) {
            if (a instanceof RecoveryAction.StartSync s) {
                Address peer = addresses.get(s.task().peer());
                long id = nextExchange++;
                running.put(id, s.task());
                if (peer == null) {
                    getContext().getSelf().tell(new ExchangeFinished(new RepairActor.ExchangeDone(id, false, "no address for " + s.task().peer())));
                } else {
                    repair.tell(new RepairActor.Exchange(id, s.task().partition(), peer, exchangeDone));
                }
            } else if (a instanceof RecoveryAction.EpochStarted e) {
                onEpochStarted(e);
            } else if (a instanceof RecoveryAction.PublishProgress p) {
                guardian.tell(new NodeGuardian.ToMembership(new MembershipActor.PublishProgress(p.progress(), p.index(), p.members())));
            } else if (a instanceof RecoveryAction.SaveEpoch s) {
                node.recordRecoveryEpoch(s.lives());
            } else if (a instanceof RecoveryAction.CompleteEverywhere c) {
                long tookMillis = nowMillis() - currentStartedMillis;
                boolean timed = current != null && current.epoch().equals(c.epoch());
                log(() -> LOG.info("recovery epoch {} is complete everywhere: all {} live members{}", c.epoch(),
                        c.ownership().members().size(), timed ? " in " + tookMillis + " ms since it started here" : ""));
                planHandOffs(c.epoch());
            }
        }
        return this;
    }

    private void onEpochStarted(RecoveryAction.EpochStarted e) {
        Map<String, String> endpoints = new TreeMap<>();
        for (String m : e.ownership().members()) {
            Address a = addresses.get(m);
            if (a != null) {
                endpoints.put(m, a.toString());
            }
        }
        current = new Epoch(e.epoch(), e.ownership(), endpoints, e.owned(), e.task());
        currentStartedMillis = nowMillis();
        List<String> members = e.ownership().members();
        String named = members.size() <= MEMBERS_NAMED_MAX ? " " + members : "";
        log(() -> LOG.info("recovery epoch {} started: {} live members{}; this node owns {} partitions, gained {}, lost {}",
                e.epoch(), members.size(), named, e.owned().size(), e.task().gained().size(), e.task().lost().size()));
        ownershipSubscribers.values().forEach(s -> s.accept(current));
        handOffs.clear();
    }

    private Behavior<Command> onExchangeFinished(ExchangeFinished f) {
        RepairActor.ExchangeDone done = f.done();
        SyncTask task = running.remove(done.id());
        if (task != null) {
            if (!done.ok()) {
                node.droppedInputs().repair().count("repair_exchanges_failed", 1, "repair exchanges failed", "each is retried",
                        "partition " + task.partition() + " with " + task.peer() + ": " + done.error());
            }
            return perform(core.onSyncFinished(task, done.ok(), nowMillis()));
        }
        if (handOffExchanges.remove(done.id()) && handOff != null) {
            handOff.failed |= !done.ok();
            if (--handOff.remaining == 0) {
                finishHandOff();
            }
        }
        return this;
    }

    // ---------------------------------------------------------------- hand-offs

    private void planHandOffs(String epoch) {
        Set<Integer> held = new TreeSet<>();
        for (Recoverable r : node.domains().values()) {
            held.addAll(r.partitions());
        }
        handOffs.clear();
        handOffs.addAll(core.handOffs(held).entrySet());
        if (handOff == null) {
            nextHandOff();
        }
    }

    /** One partition at a time: exchange it with each owner, then drop it if all succeeded in the same epoch. */
    private void nextHandOff() {
        handOff = null;
        Map.Entry<Integer, List<String>> next = handOffs.pollFirst();
        if (next == null || current == null) {
            if (handedOff > 0) {
                int n = handedOff;
                log(() -> LOG.info("{} partitions no longer owned here were handed to their owners and dropped", n));
                handedOff = 0;
            }
            return;
        }
        List<String> owners = next.getValue();
        Map<String, Map<String, Long>> delivered = new HashMap<>();
        try {
            node.domains().forEach((name, r) -> delivered.put(name, r.digests(next.getKey())));
        } catch (RuntimeException e) {
            log(() -> LOG.error("hand-off of partition {} skipped: {}", next.getKey(), e.toString()));
            nextHandOff();
            return;
        }
        handOff = new HandOff(current.epoch(), next.getKey(), owners.size(), delivered);
        for (String owner : owners) {
            Address peer = addresses.get(owner);
            long id = nextExchange++;
            handOffExchanges.add(id);
            if (peer == null) {
                getContext().getSelf().tell(new ExchangeFinished(new RepairActor.ExchangeDone(id, false, "no address for " + owner)));
            } else {
                repair.tell(new RepairActor.Exchange(id, next.getKey(), peer, exchangeDone));
            }
        }
        if (owners.isEmpty()) {
            finishHandOff();
        }
    }

    private void finishHandOff() {
        HandOff h = handOff;
        boolean stillSafe = current != null && h.epoch.equals(current.epoch()) && core.completeEverywhere()
                && core.handOffs(Set.of(h.partition)).containsKey(h.partition);
        if (!h.failed && stillSafe) {
            handedOff++;
            LOG.debug("partition {} handed to its owners; dropped here", h.partition);
            h.delivered.forEach((name, digests) -> {
                Recoverable r = node.domains().get(name);
                try {
                    r.drop(h.partition, digests);
                } catch (RuntimeException e) {
                    log(() -> LOG.error("domain {} could not drop partition {}: {}", name, h.partition, e.toString()));
                }
            });
        }
        nextHandOff();
    }
}
