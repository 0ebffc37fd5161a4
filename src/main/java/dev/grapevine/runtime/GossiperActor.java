package dev.grapevine.runtime;

import dev.grapevine.core.node.Counters;
import dev.grapevine.core.node.Gossiper;
import dev.grapevine.core.node.Role;
import dev.grapevine.core.node.Signal;
import dev.grapevine.core.node.Timer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

import java.util.SplittableRandom;

/**
 * Runs this node's {@link Gossiper}. After a restart it asks membership for the view again; rumors
 * that were still queued are lost with it, and push-pull repairs what they would have told.
 */
public final class GossiperActor extends AbstractBehavior<GossiperActor.Command> {

    public interface Command {
    }

    record FromSibling(Signal signal) implements Command {
    }

    private record Tick(Timer timer) implements Command {
    }

    private final Gossiper core;
    private final RoleActorSupport<Command> support;

    static Behavior<Command> create(NodeContext node, ActorRef<NodeGuardian.Command> guardian) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new GossiperActor(ctx, node, guardian,
                new RoleActorSupport<>(node, guardian, timers, Tick::new, ctx.getSystem()))));
    }

    private GossiperActor(ActorContext<Command> ctx, NodeContext node, ActorRef<NodeGuardian.Command> guardian,
                          RoleActorSupport<Command> support) {
        super(ctx);
        this.support = support;
        this.core = new Gossiper(node.self(), node.settings().protocol(), new SplittableRandom(), node.newNameIndex(),
                new Counters());
        guardian.tell(new NodeGuardian.ReplicaWanted(Role.GOSSIPER));
        core.start(support.nowMillis());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(PeerMessage.class, this::onPeer)
                .onMessage(FromSibling.class, this::onSibling)
                .onMessage(Tick.class, this::onTick)
                .build();
    }

    private Behavior<Command> onPeer(PeerMessage m) {
        core.onMessage(m.message(), support.outbox);
        support.perform(this::unexpected);
        return this;
    }

    private Behavior<Command> onSibling(FromSibling m) {
        core.onSignal(m.signal(), support.nowMillis(), support.outbox);
        support.perform(this::unexpected);
        return this;
    }

    private Behavior<Command> onTick(Tick t) {
        core.onTimer(t.timer(), support.nowMillis(), support.outbox);
        support.perform(this::unexpected);
        return this;
    }

    private void unexpected(Object effect) {
        throw new IllegalStateException("the gossiper produced " + effect);
    }
}
