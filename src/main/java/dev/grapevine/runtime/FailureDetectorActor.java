package dev.grapevine.runtime;

import dev.grapevine.core.node.Counters;
import dev.grapevine.core.node.FailureDetector;
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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs this node's {@link FailureDetector}. Its state (probe order, relays, local health) can be
 * rebuilt: after a restart it asks membership for the view again and carries on probing.
 */
public final class FailureDetectorActor extends AbstractBehavior<FailureDetectorActor.Command> {

    public interface Command {
    }

    record FromSibling(Signal signal) implements Command {
    }

    private record Tick(Timer timer) implements Command {
    }

    /**
     * Membership restarted under a new epoch: start over with an empty replica and ask for the view.
     * The actor itself stays (peers' cached references to its path stay valid).
     */
    enum Reset implements Command { INSTANCE }

    /** Time to copy this actor's figures into the node's metrics. */
    private enum PublishMetrics implements Command { INSTANCE }

    private FailureDetector core;
    private final RoleActorSupport<Command> support;
    private final NodeContext node;
    private final ActorRef<NodeGuardian.Command> guardian;
    private final TimerScheduler<Command> timers;
    private final Counters counters = new Counters();

    static Behavior<Command> create(NodeContext node, ActorRef<NodeGuardian.Command> guardian) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new FailureDetectorActor(ctx, node, guardian, timers)));
    }

    private FailureDetectorActor(ActorContext<Command> ctx, NodeContext node, ActorRef<NodeGuardian.Command> guardian,
                                 TimerScheduler<Command> timers) {
        super(ctx);
        this.node = node;
        this.guardian = guardian;
        this.timers = timers;
        this.support = new RoleActorSupport<>(node, guardian, timers, Tick::new, ctx.getSystem());
        begin();
    }

    private void begin() {
        core = new FailureDetector(node.placeholder(), node.settings().protocol(), new SplittableRandom(), node.newNameIndex(),
                counters);
        timers.startTimerWithFixedDelay(PublishMetrics.INSTANCE, NodeMetrics.PUBLISH_EVERY);
        guardian.tell(new NodeGuardian.ReplicaWanted(Role.FAILURE_DETECTOR));
        core.start(support.nowMillis(), support.outbox);
        support.perform(this::unexpected);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(PeerMessage.class, this::onPeer)
                .onMessage(FromSibling.class, this::onSibling)
                .onMessage(Tick.class, this::onTick)
                .onMessageEquals(PublishMetrics.INSTANCE, () -> {
                    Map<String, Long> figures = new LinkedHashMap<>(counters.asMap());
                    figures.putAll(core.gauges());
                    node.metrics().publish(Role.FAILURE_DETECTOR, figures);
                    return this;
                })
                .onMessageEquals(Reset.INSTANCE, () -> {
                    timers.cancelAll();
                    begin();
                    return this;
                })
                .build();
    }

    private Behavior<Command> onPeer(PeerMessage m) {
        core.onMessage(m.from(), m.message(), support.nowMillis(), support.outbox);
        support.perform(this::unexpected);
        return this;
    }

    private Behavior<Command> onSibling(FromSibling m) {
        core.onSignal(m.signal());
        return this;
    }

    private Behavior<Command> onTick(Tick t) {
        core.onTimer(t.timer(), support.nowMillis(), support.outbox);
        support.perform(this::unexpected);
        return this;
    }

    private void unexpected(Object effect) {
        throw new IllegalStateException("the failure detector produced " + effect);
    }
}
