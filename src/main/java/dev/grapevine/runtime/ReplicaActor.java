package dev.grapevine.runtime;

import dev.grapevine.core.node.ClusterGuard;
import dev.grapevine.core.node.Counters;
import dev.grapevine.core.node.FailureDetector;
import dev.grapevine.core.node.Gossiper;
import dev.grapevine.core.node.Outbox;
import dev.grapevine.core.node.Role;
import dev.grapevine.core.node.Signal;
import dev.grapevine.core.node.Timer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Runs one of the node's two replica components, the {@link FailureDetector} or the
 * {@link Gossiper}: feeds it peers' messages, siblings' signals and its timers, and performs what it
 * decides. Its state can be rebuilt: after a restart, or when membership starts a new life
 * ({@link Reset}), it starts over with an empty replica and asks membership for the view. The actor
 * itself stays, so peers' cached references to its path stay valid.
 */
final class ReplicaActor extends AbstractBehavior<ReplicaActor.Command> {

    public interface Command {
    }

    record FromSibling(Signal signal) implements Command {
    }

    private record Tick(Timer timer) implements Command {
    }

    /** Membership restarted under a new epoch: start over, and ask for the view again. */
    enum Reset implements Command { INSTANCE }

    /** Time to copy this actor's figures into the node's metrics. */
    private enum PublishMetrics implements Command { INSTANCE }

    /**
     * The end of a step, as the core sees it: queued behind the signals already in the mailbox, so
     * a burst of them (membership broadcasting several changes) settles once.
     */
    private enum SettleStep implements Command { INSTANCE }

    /** The little each replica component differs in, seen from its actor. */
    interface Core {
        void start(long nowMillis, Outbox out);

        void onPeer(PeerMessage m, long nowMillis, Outbox out);

        void onSignal(Signal signal, long nowMillis, Outbox out);

        void onTimer(Timer timer, long nowMillis, Outbox out);

        Map<String, Long> gauges();

        /** Whether the core has work for the end of the step ({@link Gossiper#flushNews}). */
        default boolean wantsSettle() {
            return false;
        }

        default void settle(long nowMillis, Outbox out) {
        }
    }

    static Behavior<Command> failureDetector(NodeContext node, ActorRef<NodeGuardian.Command> guardian) {
        return create(node, guardian, Role.FAILURE_DETECTOR, counters -> {
            FailureDetector fd = new FailureDetector(node.placeholder(), node.settings().protocol(), new SplittableRandom(),
                    node.newNameIndex(), counters);
            return new Core() {
                public void start(long now, Outbox out) { fd.start(now, out); }
                public void onPeer(PeerMessage m, long now, Outbox out) { fd.onMessage(m.from(), m.message(), now, out); }
                public void onSignal(Signal s, long now, Outbox out) { fd.onSignal(s, now, out); }
                public void onTimer(Timer t, long now, Outbox out) { fd.onTimer(t, now, out); }
                public Map<String, Long> gauges() { return fd.gauges(); }
            };
        });
    }

    static Behavior<Command> gossiper(NodeContext node, ActorRef<NodeGuardian.Command> guardian) {
        return create(node, guardian, Role.GOSSIPER, counters -> {
            Gossiper g = new Gossiper(node.placeholder(), node.settings().protocol(), new SplittableRandom(),
                    node.newNameIndex(), counters);
            return new Core() {
                public void start(long now, Outbox out) { g.start(now); }
                public void onPeer(PeerMessage m, long now, Outbox out) { g.onMessage(m.from(), m.message(), out); }
                public void onSignal(Signal s, long now, Outbox out) { g.onSignal(s, now, out); }
                public void onTimer(Timer t, long now, Outbox out) { g.onTimer(t, now, out); }
                public Map<String, Long> gauges() { return g.gauges(); }
                public boolean wantsSettle() { return g.hasNews(); }
                public void settle(long now, Outbox out) { g.flushNews(now, out); }
            };
        });
    }

    private static Behavior<Command> create(NodeContext node, ActorRef<NodeGuardian.Command> guardian, Role role,
                                            Function<Counters, Core> newCore) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new ReplicaActor(ctx, node, guardian, timers, role, newCore)));
    }

    private final Role role;
    private final Function<Counters, Core> newCore;
    private final RoleActorSupport<Command> support;
    private final ActorRef<NodeGuardian.Command> guardian;
    private final TimerScheduler<Command> timers;
    private final Counters counters = new Counters();
    private final NodeContext node;
    private final ClusterGuard clusterGuard;
    private Core core;
    private boolean settlePending;

    private ReplicaActor(ActorContext<Command> ctx, NodeContext node, ActorRef<NodeGuardian.Command> guardian,
                         TimerScheduler<Command> timers, Role role, Function<Counters, Core> newCore) {
        super(ctx);
        this.role = role;
        this.node = node;
        this.newCore = newCore;
        this.guardian = guardian;
        this.timers = timers;
        this.support = new RoleActorSupport<>(node, guardian, timers, Tick::new, ctx.getSystem());
        this.clusterGuard = new ClusterGuard(node.settings().cluster(), counters);
        begin();
    }

    private void begin() {
        core = newCore.apply(counters);
        timers.startTimerWithFixedDelay(PublishMetrics.INSTANCE, NodeMetrics.PUBLISH_EVERY);
        guardian.tell(new NodeGuardian.ReplicaWanted(role));
        core.start(support.nowMillis(), support.outbox);
        support.perform(this::unexpected);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(PeerMessage.class, this::onPeer)
                .onMessage(FromSibling.class, m -> step(() -> core.onSignal(m.signal(), support.nowMillis(), support.outbox)))
                .onMessage(Tick.class, t -> step(() -> core.onTimer(t.timer(), support.nowMillis(), support.outbox)))
                .onMessageEquals(PublishMetrics.INSTANCE, () -> {
                    support.publishMetrics(role, counters, core.gauges());
                    return this;
                })
                .onMessageEquals(SettleStep.INSTANCE, () -> {
                    settlePending = false;
                    return step(() -> core.settle(support.nowMillis(), support.outbox));
                })
                .onMessageEquals(Reset.INSTANCE, () -> {
                    timers.cancelAll();
                    begin();
                    return this;
                })
                .build();
    }

    private Behavior<Command> onPeer(PeerMessage m) {
        if (Role.of(m.message()) != role) {
            node.droppedInputs().misrouted().count("misrouted_messages", 1, "peer messages dropped", "sent to the wrong role",
                    m.message().getClass().getSimpleName() + " from " + m.from() + " to the " + PeerRouter.actorName(role));
            return this;
        }
        if (!support.admits(m, clusterGuard) || !support.heard(role, m)) {
            return this;
        }
        return step(() -> core.onPeer(m, support.nowMillis(), support.outbox));
    }

    private Behavior<Command> step(Runnable action) {
        action.run();
        support.perform(this::unexpected);
        if (!settlePending && core.wantsSettle()) {
            settlePending = true;
            getContext().getSelf().tell(SettleStep.INSTANCE);
        }
        return this;
    }

    private void unexpected(Object effect) {
        throw new IllegalStateException("the " + PeerRouter.actorName(role) + " produced " + effect);
    }
}
